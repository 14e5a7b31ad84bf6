{#- The contract's `ticket_events` a flat export implies, in the raw table's shape, and nothing else: the creation
    (the customer's public message at created_at), the first public agent reply at first_response_at (by the
    current assignee, as the export names no one else), and the solve (a status change to solved, at resolved_at,
    or at closed_at when the export has no resolved time). A flat export holds no other message, status change,
    assignment or working time: the KPIs that need them are unavailable over source flat (kpi_catalog says why).
    _source_row is the export row the event comes from. -#}
with

tickets as (

    select * from {{ source('flat', 'tickets_export') }}

),

creations as (

    select
        'created:' || ticket_id as event_id,
        ticket_id,
        created_at as occurred_at,
        'message' as event_type,
        'customer' as actor_type,
        customer_id as actor_id,
        true as is_public,
        cast(null as {{ dbt.type_string() }}) as new_status,
        _source_file,
        _source_row
    from tickets

),

first_responses as (

    select
        'first_response:' || ticket_id as event_id,
        ticket_id,
        first_response_at as occurred_at,
        'message' as event_type,
        'agent' as actor_type,
        assignee_id as actor_id,
        true as is_public,
        cast(null as {{ dbt.type_string() }}) as new_status,
        _source_file,
        _source_row
    from tickets
    where first_response_at is not null

),

solves as (

    select
        'solved:' || ticket_id as event_id,
        ticket_id,
        coalesce(resolved_at, closed_at) as occurred_at,
        'status_change' as event_type,
        'agent' as actor_type,
        assignee_id as actor_id,
        cast(null as {{ dbt.type_boolean() }}) as is_public,
        'solved' as new_status,
        _source_file,
        _source_row
    from tickets
    where coalesce(resolved_at, closed_at) is not null

),

all_events as (

    select * from creations
    union all
    select * from first_responses
    union all
    select * from solves

),

final as (

    select
        event_id,
        ticket_id,
        occurred_at,
        event_type,
        actor_type,
        actor_id,
        is_public,
        new_status,
        cast(null as {{ dbt.type_string() }}) as new_assignee_id,
        cast(null as {{ dbt.type_string() }}) as new_team,
        cast(null as {{ dbt.type_bigint() }}) as new_tier,
        cast(null as {{ dbt.type_bigint() }}) as handle_seconds,
        cast(null as {{ dbt.type_string() }}) as body,
        _source_file,
        _source_row
    from all_events

)

select * from final
