{#- What staffing a channel rests on, besides its forecast: the average
    handle time of its recent tickets and the service it must give.

    - Handle time: the mean of handle_seconds (every event's agent working
      time) over the channel's customer-initiated tickets first resolved in
      the 8 weeks before the as-of date, as average_handle_time_minutes
      counts it. Recent, because handle time drifts with tooling and mix.
    - Service: a channel in var staffing_service_targets (the live channels,
      phone and chat) answers that share within that many seconds. Any other
      channel answers by its first-response SLA: the share is the
      sla_first_response_attainment_pct target (80 without one) and the time
      is the policy target most of its recent tickets had (the shorter on a
      tie). A channel with neither has no answer time and is not staffed. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

kpi_targets as (

    select * from {{ ref('int_kpi_targets_selected') }}

),

inbound_tickets as (

    select tickets.*
    from tickets
    cross join reporting_bounds
    where
        not tickets.is_agent_initiated
        and tickets.created_date < reporting_bounds.as_of_date

),

handle_times as (

    select
        inbound_tickets.channel,
        count(*) as resolved_tickets,
        avg(inbound_tickets.handle_seconds) / 60.0 as handle_minutes
    from inbound_tickets
    cross join reporting_bounds
    where
        inbound_tickets.first_resolved_date < reporting_bounds.as_of_date
        and inbound_tickets.first_resolved_date >= {{ dbt.dateadd('day', -56, 'reporting_bounds.as_of_date') }}
    group by inbound_tickets.channel

),

policy_targets_counted as (

    select
        inbound_tickets.channel,
        inbound_tickets.first_response_target_minutes,
        count(*) as tickets
    from inbound_tickets
    cross join reporting_bounds
    where
        inbound_tickets.first_response_target_minutes is not null
        and inbound_tickets.created_date >= {{ dbt.dateadd('day', -56, 'reporting_bounds.as_of_date') }}
    group by inbound_tickets.channel, inbound_tickets.first_response_target_minutes

),

policy_targets_ranked as (

    select
        channel,
        first_response_target_minutes,
        row_number() over (
            partition by channel order by tickets desc, first_response_target_minutes asc
        ) as target_rank
    from policy_targets_counted

),

live_targets as (

    {%- set live = var('staffing_service_targets') or {} %}
    {%- for channel, target in live.items() | sort %}
    select
        cast('{{ channel }}' as {{ dbt.type_string() }}) as channel,
        cast({{ target['service_level_pct'] }} as {{ type_double() }}) as service_level_pct,
        cast({{ target['answer_within_seconds'] }} as {{ type_double() }}) / 60.0 as answer_within_minutes
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as {{ type_double() }}) as service_level_pct,
        cast(null as {{ type_double() }}) as answer_within_minutes
    where 1 = 0
    {%- endfor %}

),

attainment_target as (

    select max(target) as service_level_pct
    from kpi_targets
    where kpi_id = 'sla_first_response_attainment_pct'

),

final as (

    select
        handle_times.channel,
        handle_times.resolved_tickets,
        handle_times.handle_minutes,
        coalesce(live_targets.service_level_pct, attainment_target.service_level_pct, 80.0) as service_level_pct,
        coalesce(live_targets.answer_within_minutes, policy_targets_ranked.first_response_target_minutes)
            as answer_within_minutes,
        case
            when live_targets.channel is not null then 'staffing_service_targets'
            when policy_targets_ranked.channel is not null then 'sla_policy'
        end as service_target_source
    from handle_times
    cross join attainment_target
    left join live_targets
        on handle_times.channel = live_targets.channel
    left join policy_targets_ranked
        on
            handle_times.channel = policy_targets_ranked.channel
            and policy_targets_ranked.target_rank = 1

)

select * from final
