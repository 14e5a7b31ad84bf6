with

source as (

    {{ contract_input('ticket_sla_targets') }}

),

renamed as (

    select
        -- ids
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        -- timestamps
        cast(applied_at as {{ dbt.type_timestamp() }}) as applied_at,
        -- booleans
        cast(business_hours as {{ dbt.type_boolean() }}) as is_business_hours,
        -- numerics
        cast(target_minutes as {{ type_double() }}) as target_minutes,
        -- attributes
        cast(metric as {{ dbt.type_string() }}) as metric,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
