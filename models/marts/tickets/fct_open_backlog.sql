{#- One row per ticket open at the as-of time: the tickets backlog_open_tickets
    counts at its latest instant (status from the ticket's status history,
    'new' before any change), with how long each has been open. A full table:
    it holds only the open tickets, read from fct_tickets. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

agents as (

    select * from {{ ref('dim_agents') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

open_tickets as (

    select
        tickets.*,
        {{ status_or_new('tickets.status_at_as_of') }} as status_now,
        {{ seconds_between('tickets.created_at', 'reporting_bounds.as_of_at') }} as age_seconds
    from tickets
    cross join reporting_bounds
    where not {{ is_solved_status(status_or_new('tickets.status_at_as_of')) }}

),

final as (

    select
        open_tickets.ticket_id,
        open_tickets.subject,
        open_tickets.created_at,
        open_tickets.created_date,
        open_tickets.status_now as status_at_as_of,
        open_tickets.assignee_id,
        {{ assignee_name('agents.agent_name', 'open_tickets.assignee_id') }} as assignee_name,
        open_tickets.channel,
        open_tickets.priority,
        open_tickets.category,
        open_tickets.team,
        open_tickets.product,
        open_tickets.segment,
        open_tickets.region,
        open_tickets.first_response_at,
        open_tickets.age_seconds / 3600.0 as age_hours,
        open_tickets.age_seconds / 86400.0 as age_days,
        {{ duration_bucket('open_tickets.age_seconds', [1, 3, 7, 30], 'd') }} as age_bucket,
        cast({{ duration_bucket_order('open_tickets.age_seconds', [1, 3, 7, 30], 'd') }} as {{ dbt.type_bigint() }})
            as age_bucket_order
    from open_tickets
    left join agents
        on open_tickets.assignee_id = agents.agent_id

)

select * from final
