with

source as (

    {{ contract_input('sla_policies') }}

),

renamed as (

    select
        -- booleans
        cast(business_hours as {{ dbt.type_boolean() }}) as is_business_hours,
        -- numerics
        cast(first_response_minutes as {{ type_double() }}) as first_response_minutes,
        cast(resolution_minutes as {{ type_double() }}) as resolution_minutes,
        cast(next_response_minutes as {{ type_double() }}) as next_response_minutes,
        -- attributes
        cast(priority as {{ dbt.type_string() }}) as priority,
        cast(channel as {{ dbt.type_string() }}) as channel,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
