{#- One row per ticket created up to the as-of time, with every lifecycle
    measure the KPIs rest on. Dimension columns are the ticket's current row
    (segment and region through its customer), a null being its own segment
    'unknown'. -#}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
-- depends_on: {{ ref('int_kpi_days_superseded') }}
with

tickets as (

    select * from {{ ref('stg_tickets') }}
    where {{ changed_tickets_only('ticket_id') }}

),

customers as (

    select * from {{ ref('stg_customers') }}

),

activity as (

    select * from {{ ref('int_tickets_activity_summarized') }}
    where {{ changed_tickets_only('ticket_id') }}

),

resolutions as (

    select * from {{ ref('int_tickets_resolutions_summarized') }}
    where {{ changed_tickets_only('ticket_id') }}

),

sla as (

    select * from {{ ref('int_tickets_sla_evaluated') }}
    where {{ changed_tickets_only('ticket_id') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

tickets_in_scope as (

    select tickets.*
    from tickets
    cross join reporting_bounds
    where tickets.created_at <= reporting_bounds.as_of_at

),

joined as (

    select
        tickets_in_scope.ticket_id,
        tickets_in_scope.customer_id,
        tickets_in_scope.assignee_id,
        tickets_in_scope.schedule_id,
        tickets_in_scope.created_at,
        tickets_in_scope.status,
        tickets_in_scope.subject,
        coalesce(tickets_in_scope.channel, 'unknown') as channel,
        coalesce(tickets_in_scope.priority, 'unknown') as priority,
        coalesce(tickets_in_scope.category, 'unknown') as category,
        coalesce(tickets_in_scope.team, 'unknown') as team,
        coalesce(tickets_in_scope.assignee_id, 'unknown') as agent,
        coalesce(tickets_in_scope.product, 'unknown') as product,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(customers.region, 'unknown') as region,
        coalesce(activity.is_agent_initiated, false) as is_agent_initiated,
        activity.first_response_at,
        coalesce(activity.public_agent_reply_count, 0) as public_agent_reply_count,
        coalesce(activity.public_bot_message_count, 0) as public_bot_message_count,
        coalesce(activity.customer_message_count, 0) as customer_message_count,
        coalesce(activity.escalation_count, 0) as escalation_count,
        coalesce(activity.handle_seconds, 0) as handle_seconds,
        resolutions.first_resolved_at,
        resolutions.status_at_as_of,
        -- Last resolved only counts while the ticket is still solved/closed.
        case
            when {{ is_solved_status('resolutions.status_at_as_of') }} then resolutions.latest_solve_at
        end as last_resolved_at,
        coalesce(resolutions.solve_count, 0) as solve_count,
        coalesce(resolutions.reopen_count, 0) as reopen_count,
        sla.effective_schedule_id,
        sla.business_first_response_minutes,
        sla.business_first_resolution_hours,
        sla.sla_policy_priority,
        sla.sla_policy_channel,
        sla.is_sla_business_hours,
        sla.first_response_target_minutes,
        sla.first_response_target_source,
        sla.is_first_response_business_hours,
        sla.first_response_sla_status,
        sla.first_response_sla_breach_at,
        sla.resolution_target_minutes,
        sla.resolution_target_source,
        sla.is_resolution_business_hours,
        sla.resolution_sla_status,
        sla.resolution_sla_breach_at,
        reporting_bounds.as_of_at
    from tickets_in_scope
    cross join reporting_bounds
    left join customers
        on tickets_in_scope.customer_id = customers.customer_id
    left join activity
        on tickets_in_scope.ticket_id = activity.ticket_id
    left join resolutions
        on tickets_in_scope.ticket_id = resolutions.ticket_id
    left join sla
        on tickets_in_scope.ticket_id = sla.ticket_id

),

measured as (

    select
        *,
        {{ seconds_between('created_at', 'first_response_at') }} / 60.0 as first_response_minutes,
        -- The buckets hold the tickets the medians measure: customer-initiated for the first response.
        case
            when not is_agent_initiated
                then {{ duration_bucket(seconds_between('created_at', 'first_response_at'), [1, 8, 24], 'h') }}
        end as first_response_time_bucket,
        {{ duration_bucket(seconds_between('created_at', 'first_resolved_at'), [1, 8, 24], 'h') }}
            as resolution_time_bucket,
        {{ seconds_between('created_at', 'first_resolved_at') }} / 3600.0 as first_resolution_hours,
        {{ seconds_between('created_at', 'last_resolved_at') }} / 3600.0 as full_resolution_hours,
        cast(handle_seconds as {{ type_double() }}) / 60 as handle_minutes,
        (
            {{ seconds_between('created_at', 'first_resolved_at') }}
            <= {{ var('resolution_target_hours') }} * 3600
        ) as is_first_resolved_within_target,
        (
            {{ seconds_between('created_at', 'as_of_at') }}
            >= {{ var('resolution_target_hours') }} * 3600
        ) as is_target_elapsed_at_as_of
    from joined

),

final as (

    select
        ticket_id,
        customer_id,
        assignee_id,
        schedule_id,
        effective_schedule_id,
        created_at,
        {{ reporting_date('created_at') }} as created_date,
        status,
        status_at_as_of,
        subject,
        channel,
        priority,
        category,
        team,
        agent,
        product,
        segment,
        region,
        is_agent_initiated,
        first_response_at,
        first_response_minutes,
        first_response_time_bucket,
        business_first_response_minutes,
        first_resolved_at,
        {{ reporting_date('first_resolved_at') }} as first_resolved_date,
        first_resolution_hours,
        resolution_time_bucket,
        business_first_resolution_hours,
        last_resolved_at,
        {{ reporting_date('last_resolved_at') }} as last_resolved_date,
        full_resolution_hours,
        solve_count,
        reopen_count,
        public_agent_reply_count,
        public_bot_message_count,
        customer_message_count,
        escalation_count,
        escalation_count > 0 as is_escalated,
        handle_seconds,
        handle_minutes,
        coalesce(is_first_resolved_within_target, false) as is_resolved_within_target,
        -- Decided: resolved (in time or late) or the target has already passed.
        (first_resolved_at is not null or is_target_elapsed_at_as_of) as is_resolution_target_decided,
        sla_policy_priority,
        sla_policy_channel,
        is_sla_business_hours,
        first_response_target_minutes,
        first_response_target_source,
        is_first_response_business_hours,
        first_response_sla_status,
        first_response_sla_breach_at,
        resolution_target_minutes,
        resolution_target_source,
        is_resolution_business_hours,
        resolution_sla_status,
        resolution_sla_breach_at
    from measured

)

select * from final
