with

source as (

    {{ contract_input('surveys') }}

),

renamed as (

    select
        -- ids
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        -- timestamps
        cast(responded_at as {{ dbt.type_timestamp() }}) as responded_at,
        -- numerics
        cast(score as {{ type_double() }}) as score,
        cast(scale_min as {{ dbt.type_bigint() }}) as scale_min,
        cast(scale_max as {{ dbt.type_bigint() }}) as scale_max,
        -- attributes
        cast(survey_type as {{ dbt.type_string() }}) as survey_type,
        cast(comment as {{ dbt.type_string() }}) as comment,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
