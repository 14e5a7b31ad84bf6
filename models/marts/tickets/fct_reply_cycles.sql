{#- One row per answered reply cycle, with its ticket's dimensions. -#}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
-- depends_on: {{ ref('int_kpi_days_superseded') }}
with

reply_cycles as (

    select * from {{ ref('int_reply_cycles_paired') }}
    where {{ changed_tickets_only('ticket_id') }}

),

tickets as (

    select * from {{ ref('fct_tickets') }}
    where {{ changed_tickets_only('ticket_id') }}

),

final as (

    select
        reply_cycles.ticket_id,
        cast(reply_cycles.cycle_number as {{ dbt.type_bigint() }}) as cycle_number,
        reply_cycles.reply_event_id,
        reply_cycles.started_at,
        reply_cycles.replied_at,
        {{ reporting_date('reply_cycles.replied_at') }} as replied_date,
        reply_cycles.wait_seconds,
        reply_cycles.wait_seconds / 60.0 as wait_minutes,
        tickets.is_agent_initiated,
        tickets.channel,
        tickets.priority,
        tickets.category,
        tickets.team,
        tickets.agent,
        tickets.product,
        tickets.segment,
        tickets.region
    from reply_cycles
    inner join tickets
        on reply_cycles.ticket_id = tickets.ticket_id
    -- Answered cycles only (a waiting cycle has no reply yet).
    where reply_cycles.replied_at is not null

)

select * from final
