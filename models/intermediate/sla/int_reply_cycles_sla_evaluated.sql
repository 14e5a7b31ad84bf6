{#- Per reply cycle after its ticket's first (the first is the first
    response), answered or still waiting at the as-of time: the next-reply
    SLA. The target is the ticket's own (ticket_sla_targets, metric
    next_response: the latest row applied at or before the cycle's reply, or
    the as-of time while it waits), else the next_response target of the
    policy matching the ticket's priority and channel (as for the first
    response). Elapsed time runs from the cycle's start, in business seconds
    of the ticket's schedule or calendar seconds as the target says. Met: the
    reply came within the target; breached: later, or still waiting with the
    target passed at the as-of time; running otherwise. Agent-initiated
    tickets, cycles without a target, and business targets on an unknown
    schedule have no status. One row per cycle: the targets join is per
    ticket (a few rows each), never per day. Var using_business_time = false
    gives null SLA columns. -#}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
with

reply_cycles as (

    select * from {{ ref('int_reply_cycles_paired') }}
    where {{ changed_tickets_only('ticket_id') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

{% if var('using_business_time') %}
ticket_slas as (

    select * from {{ ref('int_tickets_sla_evaluated') }}
    where {{ changed_tickets_only('ticket_id') }}

),

activity as (

    select * from {{ ref('int_tickets_activity_summarized') }}
    where {{ changed_tickets_only('ticket_id') }}

),

sla_policies as (

    select * from {{ ref('int_sla_policies_selected') }}

),

ticket_targets as (

    select * from {{ ref('stg_ticket_sla_targets') }}
    where {{ changed_tickets_only('ticket_id') }}

),

cycle_instants as (

    select
        reply_cycles.ticket_id || '-' || cast(reply_cycles.cycle_number as {{ dbt.type_string() }}) as cycle_id,
        reply_cycles.ticket_id,
        reply_cycles.cycle_number,
        ticket_slas.effective_schedule_id as schedule_id,
        ticket_slas.sla_policy_priority,
        ticket_slas.sla_policy_channel,
        reply_cycles.started_at,
        reply_cycles.replied_at,
        reporting_bounds.as_of_at,
        coalesce(reply_cycles.replied_at, reporting_bounds.as_of_at) as decided_at,
        coalesce(activity.is_agent_initiated, false) as is_agent_initiated
    from reply_cycles
    cross join reporting_bounds
    inner join ticket_slas
        on reply_cycles.ticket_id = ticket_slas.ticket_id
    left join activity
        on reply_cycles.ticket_id = activity.ticket_id
    where not reply_cycles.is_first_cycle

),

applied_targets as (

    select
        cycle_instants.cycle_id,
        ticket_targets.target_minutes * 60 as target_seconds,
        coalesce(ticket_targets.is_business_hours, true) as is_business_hours,
        row_number() over (
            partition by cycle_instants.cycle_id
            order by ticket_targets.applied_at desc
        ) as applied_rank
    from cycle_instants
    inner join ticket_targets
        on cycle_instants.ticket_id = ticket_targets.ticket_id
    where
        ticket_targets.metric = 'next_response'
        and ticket_targets.applied_at <= cycle_instants.decided_at

),

targeted as (

    select
        cycle_instants.*,
        case
            when applied_targets.cycle_id is not null then applied_targets.target_seconds
            else sla_policies.next_response_target_seconds
        end as target_seconds,
        case
            when applied_targets.cycle_id is not null then applied_targets.is_business_hours
            else sla_policies.is_business_hours
        end as is_business_hours,
        case
            when applied_targets.cycle_id is not null then 'ticket'
            when sla_policies.next_response_target_seconds is not null then 'policy'
        end as target_source
    from cycle_instants
    left join applied_targets
        on cycle_instants.cycle_id = applied_targets.cycle_id
        and applied_targets.applied_rank = 1
    left join sla_policies
        on cycle_instants.sla_policy_priority = sla_policies.priority
        and cycle_instants.sla_policy_channel = sla_policies.channel

),

business_cycles as (

    select * from targeted
    where is_business_hours and target_seconds is not null

),

clock_readings as (

    {{ business_clock_readings(
        'business_cycles', 'cycle_id', 'schedule_id', ['started_at', 'replied_at', 'as_of_at']
    ) }}

),

business_breach_deadlines as (

    {{ business_clock_deadlines(
        'business_cycles', 'cycle_id', 'schedule_id', 'started_at',
        {'next_response_past_target_at': 'target_seconds'},
        past_target=true
    ) }}

),

elapsed as (

    select
        targeted.*,
        case
            when targeted.is_business_hours
                then clock_readings.replied_clock_seconds - clock_readings.started_clock_seconds
            else {{ seconds_between('targeted.started_at', 'targeted.replied_at') }}
        end as elapsed_seconds,
        case
            when targeted.is_business_hours
                then clock_readings.as_of_clock_seconds - clock_readings.started_clock_seconds
            else {{ seconds_between('targeted.started_at', 'targeted.as_of_at') }}
        end as elapsed_at_as_of_seconds,
        case
            when targeted.is_business_hours then business_breach_deadlines.next_response_past_target_at
            else {{ add_seconds('targeted.started_at', 'targeted.target_seconds') }}
        end as breach_at
    from targeted
    left join clock_readings
        on targeted.cycle_id = clock_readings.cycle_id
    left join business_breach_deadlines
        on targeted.cycle_id = business_breach_deadlines.cycle_id

),

final as (

    select
        cycle_id,
        ticket_id,
        cycle_number,
        started_at,
        replied_at,
        cast(target_seconds as {{ type_double() }}) / 60.0 as next_response_target_minutes,
        target_source as next_response_target_source,
        is_business_hours as is_next_response_business_hours,
        case
            when is_business_hours then cast(elapsed_seconds as {{ type_double() }}) / 60.0
        end as business_wait_minutes,
        case
            when is_agent_initiated or target_seconds is null then null
            when replied_at is not null
                then
                    case
                        when elapsed_seconds is null then null
                        when elapsed_seconds <= target_seconds then 'met'
                        else 'breached'
                    end
            when elapsed_at_as_of_seconds is null then null
            when elapsed_at_as_of_seconds > target_seconds then 'breached'
            else 'running'
        end as next_response_sla_status,
        case when not is_agent_initiated and target_seconds is not null then breach_at end
            as next_response_sla_breach_at
    from elapsed

)

select * from final
{% else %}
final as (

    select
        reply_cycles.ticket_id || '-' || cast(reply_cycles.cycle_number as {{ dbt.type_string() }}) as cycle_id,
        reply_cycles.ticket_id,
        reply_cycles.cycle_number,
        reply_cycles.started_at,
        reply_cycles.replied_at,
        cast(null as {{ type_double() }}) as next_response_target_minutes,
        cast(null as {{ dbt.type_string() }}) as next_response_target_source,
        cast(null as {{ dbt.type_boolean() }}) as is_next_response_business_hours,
        cast(null as {{ type_double() }}) as business_wait_minutes,
        cast(null as {{ dbt.type_string() }}) as next_response_sla_status,
        cast(null as {{ dbt.type_timestamp() }}) as next_response_sla_breach_at
    from reply_cycles
    cross join reporting_bounds
    where not reply_cycles.is_first_cycle

)

select * from final
{% endif %}
