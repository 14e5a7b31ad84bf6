{#- One row per SLA target breached by the as-of time: a ticket's first
    response, its resolution, or one of its next replies. A target met late
    keeps its row with the instant it was met; one still waiting at the as-of
    time is late by the time since its breach. A full table: it holds only the
    breaches, read from the by-ticket marts that runs keep current. -#}
with

tickets as (

    select
        *,
        {{ status_or_new('status_at_as_of') }} as status_at_as_of_or_new
    from {{ ref('fct_tickets') }}

),

next_replies as (

    select * from {{ ref('fct_next_replies') }}

),

agents as (

    select * from {{ ref('dim_agents') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

first_responses as (

    select
        ticket_id,
        'first_response' as sla_metric,
        cast(null as {{ dbt.type_bigint() }}) as cycle_number,
        created_at as started_at,
        first_response_target_minutes as target_minutes,
        first_response_target_source as target_source,
        is_first_response_business_hours as is_business_hours,
        first_response_sla_breach_at as breach_at,
        first_response_at as met_at
    from tickets
    where first_response_sla_status = 'breached'

),

resolutions as (

    select
        ticket_id,
        'resolution' as sla_metric,
        cast(null as {{ dbt.type_bigint() }}) as cycle_number,
        created_at as started_at,
        resolution_target_minutes as target_minutes,
        resolution_target_source as target_source,
        is_resolution_business_hours as is_business_hours,
        resolution_sla_breach_at as breach_at,
        first_resolved_at as met_at
    from tickets
    where resolution_sla_status = 'breached'

),

next_responses as (

    select
        ticket_id,
        'next_response' as sla_metric,
        cycle_number,
        started_at,
        next_response_target_minutes as target_minutes,
        next_response_target_source as target_source,
        is_next_response_business_hours as is_business_hours,
        next_response_sla_breach_at as breach_at,
        replied_at as met_at
    from next_replies
    where next_response_sla_status = 'breached'

),

breaches as (

    select * from first_responses
    union all
    select * from resolutions
    union all
    select * from next_responses

),

final as (

    select
        breaches.ticket_id || ':' || breaches.sla_metric
        || coalesce(':' || cast(breaches.cycle_number as {{ dbt.type_string() }}), '') as breach_id,
        breaches.ticket_id,
        breaches.sla_metric,
        breaches.cycle_number,
        breaches.started_at,
        breaches.target_minutes,
        breaches.target_source,
        case when breaches.target_source = 'policy' then tickets.sla_policy_priority end as sla_policy_priority,
        case when breaches.target_source = 'policy' then tickets.sla_policy_channel end as sla_policy_channel,
        breaches.is_business_hours,
        breaches.breach_at,
        {{ reporting_date('breaches.breach_at') }} as breach_date,
        breaches.met_at,
        breaches.met_at is null and not {{ is_solved_status('tickets.status_at_as_of_or_new') }} as is_still_waiting,
        -- A target never met on a ticket solved without it (e.g. no public reply) has no instant its wait ended.
        case
            when breaches.met_at is not null
                then {{ seconds_between('breaches.breach_at', 'breaches.met_at') }} / 60.0
            when not {{ is_solved_status('tickets.status_at_as_of_or_new') }}
                then {{ seconds_between('breaches.breach_at', 'reporting_bounds.as_of_at') }} / 60.0
        end as minutes_late,
        tickets.status_at_as_of_or_new as status_at_as_of,
        tickets.assignee_id,
        {{ assignee_name('agents.agent_name', 'tickets.assignee_id') }} as assignee_name,
        tickets.subject,
        tickets.created_at,
        tickets.channel,
        tickets.priority,
        tickets.category,
        tickets.team,
        tickets.product,
        tickets.segment,
        tickets.region
    from breaches
    cross join reporting_bounds
    inner join tickets
        on breaches.ticket_id = tickets.ticket_id
    left join agents
        on tickets.assignee_id = agents.agent_id

)

select * from final
