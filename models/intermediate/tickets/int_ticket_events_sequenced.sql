{#- Every event up to the as-of time, in the order the catalog fixes for equal
    timestamps: customer message, other messages, status changes, other
    events, then file order. Orphan events (no ticket) are left to the input
    gate; tickets created after the as-of time do not exist yet. -#}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
with

ticket_events as (

    select * from {{ ref('stg_ticket_events') }}
    where {{ changed_tickets_only('ticket_id') }}

),

tickets as (

    select * from {{ ref('stg_tickets') }}
    where {{ changed_tickets_only('ticket_id') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

events_in_scope as (

    select
        ticket_events.*,
        tickets.created_at as ticket_created_at
    from ticket_events
    inner join tickets
        on ticket_events.ticket_id = tickets.ticket_id
    cross join reporting_bounds
    where ticket_events.occurred_at <= reporting_bounds.as_of_at
        and tickets.created_at <= reporting_bounds.as_of_at

),

classified as (

    select
        *,
        case
            when event_type = 'message' and actor_type = 'customer' then 0
            when event_type = 'message' then 1
            when event_type = 'status_change' then 2
            else 3
        end as same_instant_rank,
        (event_type = 'message' and actor_type = 'customer') as is_customer_message,
        (event_type = 'message' and actor_type = 'agent' and coalesce(is_public, false)) as is_public_agent_reply,
        (event_type = 'message' and actor_type = 'bot' and coalesce(is_public, false)) as is_public_bot_message
    from events_in_scope

),

final as (

    select
        event_id,
        ticket_id,
        occurred_at,
        ticket_created_at,
        event_type,
        actor_type,
        actor_id,
        is_public,
        new_status,
        new_assignee_id,
        new_team,
        new_tier,
        handle_seconds,
        is_customer_message,
        is_public_agent_reply,
        is_public_bot_message,
        row_number() over (
            partition by ticket_id
            order by occurred_at, same_instant_rank, source_row_number, event_id
        ) as event_sequence
    from classified

)

select * from final
