{#- One row per reply cycle after its ticket's first (the next replies),
    answered or still waiting at the as-of time, with its next-reply SLA and
    its ticket's dimensions. -#}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
-- depends_on: {{ ref('int_kpi_days_superseded') }}
with

cycle_slas as (

    select * from {{ ref('int_reply_cycles_sla_evaluated') }}
    where {{ changed_tickets_only('ticket_id') }}

),

tickets as (

    select * from {{ ref('fct_tickets') }}
    where {{ changed_tickets_only('ticket_id') }}

),

final as (

    select
        cycle_slas.cycle_id,
        cycle_slas.ticket_id,
        cast(cycle_slas.cycle_number as {{ dbt.type_bigint() }}) as cycle_number,
        cycle_slas.started_at,
        {{ reporting_date('cycle_slas.started_at') }} as started_date,
        cycle_slas.replied_at,
        {{ seconds_between('cycle_slas.started_at', 'cycle_slas.replied_at') }} / 60.0 as wait_minutes,
        cycle_slas.business_wait_minutes,
        cycle_slas.next_response_target_minutes,
        cycle_slas.next_response_target_source,
        cycle_slas.is_next_response_business_hours,
        cycle_slas.next_response_sla_status,
        cycle_slas.next_response_sla_breach_at,
        tickets.is_agent_initiated,
        tickets.channel,
        tickets.priority,
        tickets.category,
        tickets.team,
        tickets.agent,
        tickets.product,
        tickets.segment,
        tickets.region
    from cycle_slas
    inner join tickets
        on cycle_slas.ticket_id = tickets.ticket_id

)

select * from final
