{#- Per ticket: business-hours durations and both SLAs. The target of a
    measurement is the ticket's own (ticket_sla_targets: the latest row of the
    ticket and metric applied at or before the measurement ends, i.e. the
    first response or the first solve, or the as-of time while it has not
    ended), else the SLA policy matching the ticket's priority and channel, an
    exact channel beating `*`; each target says whether it counts business or
    calendar time. An SLA is met when the elapsed time since created_at
    (business time of the ticket's schedule, or calendar time, per target) is
    <= its target; breached when it is above, or when there is no response yet
    and the elapsed time at the as-of instant is above it; running otherwise.
    Agent-initiated tickets and tickets without a target have no SLA status;
    neither has a business SLA on an unknown schedule. The breach instant is
    the first instant from which the elapsed time exceeds the target (for
    business time, a deadline falling at a closing time breaches at the next
    opening). Var using_business_time = false turns all of this off (null
    columns). -#}
{%- set sla_kinds = [
    ('first_response', 'first_response_at', 'first_response_target_seconds'),
    ('resolution', 'first_resolved_at', 'resolution_target_seconds'),
] -%}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
with

tickets as (

    select * from {{ ref('stg_tickets') }}
    where {{ changed_tickets_only('ticket_id') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

{% if var('using_business_time') %}
activity as (

    select * from {{ ref('int_tickets_activity_summarized') }}
    where {{ changed_tickets_only('ticket_id') }}

),

resolutions as (

    select * from {{ ref('int_tickets_resolutions_summarized') }}
    where {{ changed_tickets_only('ticket_id') }}

),

sla_policies as (

    select * from {{ ref('int_sla_policies_selected') }}

),

ticket_targets as (

    select * from {{ ref('stg_ticket_sla_targets') }}
    where {{ changed_tickets_only('ticket_id') }}

),

ticket_instants as (

    select
        tickets.ticket_id,
        coalesce(tickets.schedule_id, 'default') as schedule_id,
        tickets.priority,
        tickets.channel,
        tickets.created_at,
        activity.first_response_at,
        resolutions.first_resolved_at,
        reporting_bounds.as_of_at,
        coalesce(activity.first_response_at, reporting_bounds.as_of_at) as first_response_decided_at,
        coalesce(resolutions.first_resolved_at, reporting_bounds.as_of_at) as resolution_decided_at,
        coalesce(activity.is_agent_initiated, false) as is_agent_initiated
    from tickets
    cross join reporting_bounds
    left join activity
        on tickets.ticket_id = activity.ticket_id
    left join resolutions
        on tickets.ticket_id = resolutions.ticket_id
    where tickets.created_at <= reporting_bounds.as_of_at

),

clock_readings as (

    {{ business_clock_readings(
        'ticket_instants', 'ticket_id', 'schedule_id',
        ['created_at', 'first_response_at', 'first_resolved_at', 'as_of_at']
    ) }}

),

matched_policies as (

    select
        ticket_instants.ticket_id,
        sla_policies.priority as policy_priority,
        sla_policies.channel as policy_channel,
        sla_policies.is_business_hours,
        sla_policies.first_response_target_seconds,
        sla_policies.resolution_target_seconds,
        row_number() over (
            partition by ticket_instants.ticket_id
            order by case when sla_policies.is_any_channel then 1 else 0 end
        ) as match_rank
    from ticket_instants
    inner join sla_policies
        on ticket_instants.priority = sla_policies.priority
        and (ticket_instants.channel = sla_policies.channel or sla_policies.is_any_channel)

),

applied_targets as (

    select
        ticket_instants.ticket_id,
        ticket_targets.metric,
        ticket_targets.target_minutes * 60 as target_seconds,
        coalesce(ticket_targets.is_business_hours, true) as is_business_hours,
        row_number() over (
            partition by ticket_instants.ticket_id, ticket_targets.metric
            order by ticket_targets.applied_at desc
        ) as applied_rank
    from ticket_instants
    inner join ticket_targets
        on ticket_instants.ticket_id = ticket_targets.ticket_id
    where
        ticket_targets.applied_at <= case ticket_targets.metric
            when 'first_response' then ticket_instants.first_response_decided_at
            when 'resolution' then ticket_instants.resolution_decided_at
        end

),

policed as (

    select
        ticket_instants.*,
        matched_policies.policy_priority,
        matched_policies.policy_channel,
        matched_policies.is_business_hours as is_policy_business_hours,
        {% for kind, event_column, target_column in sla_kinds %}
        case
            when {{ kind }}_targets.ticket_id is not null then {{ kind }}_targets.target_seconds
            else matched_policies.{{ target_column }}
        end as {{ target_column }},
        case
            when {{ kind }}_targets.ticket_id is not null then {{ kind }}_targets.is_business_hours
            else matched_policies.is_business_hours
        end as is_{{ kind }}_business_hours,
        case
            when {{ kind }}_targets.ticket_id is not null then 'ticket'
            when matched_policies.{{ target_column }} is not null then 'policy'
        end as {{ kind }}_target_source,
        {% endfor %}
        clock_readings.created_clock_seconds,
        clock_readings.first_response_clock_seconds,
        clock_readings.first_resolved_clock_seconds,
        clock_readings.as_of_clock_seconds
    from ticket_instants
    left join matched_policies
        on ticket_instants.ticket_id = matched_policies.ticket_id
        and matched_policies.match_rank = 1
    {% for kind, event_column, target_column in sla_kinds %}
    left join applied_targets as {{ kind }}_targets
        on ticket_instants.ticket_id = {{ kind }}_targets.ticket_id
        and {{ kind }}_targets.metric = '{{ kind }}'
        and {{ kind }}_targets.applied_rank = 1
    {% endfor %}
    left join clock_readings
        on ticket_instants.ticket_id = clock_readings.ticket_id

),

business_breach_targets as (

    select
        ticket_id,
        schedule_id,
        created_at,
        case when is_first_response_business_hours then first_response_target_seconds end
            as first_response_business_target_seconds,
        case when is_resolution_business_hours then resolution_target_seconds end
            as resolution_business_target_seconds
    from policed
    where is_first_response_business_hours or is_resolution_business_hours

),

business_breach_deadlines as (

    {{ business_clock_deadlines(
        'business_breach_targets', 'ticket_id', 'schedule_id', 'created_at',
        {
            'first_response_past_target_at': 'first_response_business_target_seconds',
            'resolution_past_target_at': 'resolution_business_target_seconds',
        },
        past_target=true
    ) }}

),

elapsed as (

    select
        policed.*,
        {% for kind, event_column, target_column in sla_kinds %}
        case
            when policed.is_{{ kind }}_business_hours
                then policed.{{ kind.replace('resolution', 'first_resolved') }}_clock_seconds
                    - policed.created_clock_seconds
            else {{ seconds_between('created_at', event_column) }}
        end as {{ kind }}_elapsed_seconds,
        case
            when policed.is_{{ kind }}_business_hours
                then policed.as_of_clock_seconds - policed.created_clock_seconds
            else {{ seconds_between('created_at', 'as_of_at') }}
        end as {{ kind }}_elapsed_at_as_of_seconds,
        case
            when policed.is_{{ kind }}_business_hours
                then business_breach_deadlines.{{ kind }}_past_target_at
            else {{ add_seconds('created_at', target_column) }}
        end as {{ kind }}_breach_at,
        {% endfor %}
        policed.first_response_clock_seconds - policed.created_clock_seconds as business_first_response_seconds,
        policed.first_resolved_clock_seconds - policed.created_clock_seconds as business_first_resolution_seconds
    from policed
    left join business_breach_deadlines
        on policed.ticket_id = business_breach_deadlines.ticket_id

),

final as (

    select
        ticket_id,
        schedule_id as effective_schedule_id,
        cast(business_first_response_seconds as {{ type_double() }}) / 60.0 as business_first_response_minutes,
        cast(business_first_resolution_seconds as {{ type_double() }}) / 3600.0 as business_first_resolution_hours,
        policy_priority as sla_policy_priority,
        policy_channel as sla_policy_channel,
        is_policy_business_hours as is_sla_business_hours,
        {#- sqlfluff cannot lay out a loop that ends a select list (sqlfluff#5371): no LT02 up to `from`. #}
        -- noqa: disable=LT02
        {% for kind, event_column, target_column in sla_kinds %}
        cast({{ target_column }} as {{ type_double() }}) / 60.0 as {{ kind }}_target_minutes,
        {{ kind }}_target_source,
        is_{{ kind }}_business_hours,
        case
            when is_agent_initiated or {{ target_column }} is null then null
            when {{ event_column }} is not null then
                case
                    when {{ kind }}_elapsed_seconds is null then null
                    when {{ kind }}_elapsed_seconds <= {{ target_column }} then 'met'
                    else 'breached'
                end
            when {{ kind }}_elapsed_at_as_of_seconds is null then null
            when {{ kind }}_elapsed_at_as_of_seconds > {{ target_column }} then 'breached'
            else 'running'
        end as {{ kind }}_sla_status,
        case when not is_agent_initiated then {{ kind }}_breach_at end as {{ kind }}_sla_breach_at
        {{- ',' if not loop.last }}
        {% endfor %}
    from elapsed  -- noqa: enable=LT02

)

select * from final
{% else %}
final as (

    select
        tickets.ticket_id,
        coalesce(tickets.schedule_id, 'default') as effective_schedule_id,
        cast(null as {{ type_double() }}) as business_first_response_minutes,
        cast(null as {{ type_double() }}) as business_first_resolution_hours,
        cast(null as {{ dbt.type_string() }}) as sla_policy_priority,
        cast(null as {{ dbt.type_string() }}) as sla_policy_channel,
        cast(null as {{ dbt.type_boolean() }}) as is_sla_business_hours,
        cast(null as {{ type_double() }}) as first_response_target_minutes,
        cast(null as {{ dbt.type_string() }}) as first_response_target_source,
        cast(null as {{ dbt.type_boolean() }}) as is_first_response_business_hours,
        cast(null as {{ dbt.type_string() }}) as first_response_sla_status,
        cast(null as {{ dbt.type_timestamp() }}) as first_response_sla_breach_at,
        cast(null as {{ type_double() }}) as resolution_target_minutes,
        cast(null as {{ dbt.type_string() }}) as resolution_target_source,
        cast(null as {{ dbt.type_boolean() }}) as is_resolution_business_hours,
        cast(null as {{ dbt.type_string() }}) as resolution_sla_status,
        cast(null as {{ dbt.type_timestamp() }}) as resolution_sla_breach_at
    from tickets
    cross join reporting_bounds
    where tickets.created_at <= reporting_bounds.as_of_at

)

select * from final
{% endif %}
