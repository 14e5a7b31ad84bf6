{#- One row per agent and day of agent_activity up to the as-of date: logged-in
    time and the handle seconds of the agent's own events that day (reporting
    time zone). Handle time on a day without an activity row is not an
    agent-day and does not count. -#}
with

agent_activity as (

    select * from {{ ref('stg_agent_activity') }}

),

agents as (

    select * from {{ ref('stg_agents') }}

),

ticket_events as (

    select * from {{ ref('int_ticket_events_sequenced') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

handled as (

    select
        actor_id as agent_id,
        {{ reporting_date('occurred_at') }} as activity_date,
        sum(coalesce(handle_seconds, 0)) as handle_seconds
    from ticket_events
    where actor_type = 'agent'
        and actor_id is not null
    group by 1, 2

),

final as (

    select
        agent_activity.agent_id,
        agent_activity.activity_date,
        coalesce(agents.team, 'unknown') as team,
        agent_activity.agent_id as agent,
        agent_activity.scheduled_seconds,
        agent_activity.logged_in_seconds,
        cast(coalesce(handled.handle_seconds, 0) as {{ dbt.type_bigint() }}) as handle_seconds
    from agent_activity
    cross join reporting_bounds
    left join agents
        on agent_activity.agent_id = agents.agent_id
    left join handled
        on agent_activity.agent_id = handled.agent_id
        and agent_activity.activity_date = handled.activity_date
    where agent_activity.activity_date <= reporting_bounds.as_of_date

)

select * from final
