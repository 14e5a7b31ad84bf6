with

source as (

    {{ contract_input('ticket_events') }}

),

renamed as (

    select
        -- ids
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(actor_id as {{ dbt.type_string() }}) as actor_id,
        cast(new_assignee_id as {{ dbt.type_string() }}) as new_assignee_id,
        -- timestamps
        cast(occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        -- booleans
        cast(is_public as {{ dbt.type_boolean() }}) as is_public,
        -- numerics
        cast(new_tier as {{ dbt.type_bigint() }}) as new_tier,
        cast(handle_seconds as {{ dbt.type_bigint() }}) as handle_seconds,
        -- attributes
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(actor_type as {{ dbt.type_string() }}) as actor_type,
        cast(new_status as {{ dbt.type_string() }}) as new_status,
        cast(new_team as {{ dbt.type_string() }}) as new_team,
        cast(body as {{ dbt.type_string() }}) as body,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
