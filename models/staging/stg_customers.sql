with

source as (

    {{ contract_input('customers') }}

),

renamed as (

    select
        -- ids
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as became_customer_at,
        -- attributes
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(country as {{ dbt.type_string() }}) as country,
        cast(plan as {{ dbt.type_string() }}) as plan,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
