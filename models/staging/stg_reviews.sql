with

source as (

    {{ contract_input('reviews') }}

),

renamed as (

    select
        -- ids
        cast(review_id as {{ dbt.type_string() }}) as review_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        -- timestamps
        cast(published_at as {{ dbt.type_timestamp() }}) as published_at,
        -- numerics
        cast(rating as {{ dbt.type_bigint() }}) as rating,
        -- attributes
        cast(source as {{ dbt.type_string() }}) as review_source,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
