{#- One row per public agent reply up to the as-of time. The `agent`
    dimension is the replying agent (not the ticket's assignee); the other
    dimensions come from the ticket. -#}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
-- depends_on: {{ ref('int_kpi_days_superseded') }}
with

ticket_events as (

    select * from {{ ref('int_ticket_events_sequenced') }}
    where {{ changed_tickets_only('ticket_id') }}

),

tickets as (

    select * from {{ ref('fct_tickets') }}
    where {{ changed_tickets_only('ticket_id') }}

),

final as (

    select
        ticket_events.event_id,
        ticket_events.ticket_id,
        ticket_events.actor_id as agent_id,
        ticket_events.occurred_at,
        {{ reporting_date('ticket_events.occurred_at') }} as occurred_date,
        tickets.channel,
        tickets.priority,
        tickets.category,
        tickets.team,
        coalesce(ticket_events.actor_id, 'unknown') as agent,
        tickets.product,
        tickets.segment,
        tickets.region
    from ticket_events
    inner join tickets
        on ticket_events.ticket_id = tickets.ticket_id
    where ticket_events.is_public_agent_reply

)

select * from final
