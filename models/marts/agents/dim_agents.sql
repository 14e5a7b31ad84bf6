{#- One row per agent, with the name dashboards and lists show. A name two
    agents share is followed by the agent_id, so a chart grouped by name never
    merges two people; an agent without a name shows its id. -#}
with

agents as (

    select * from {{ ref('stg_agents') }}

),

named as (

    select
        agent_id,
        nullif(trim(agent_name), '') as agent_name,
        email,
        team,
        tier,
        hired_date,
        terminated_date
    from agents

),

counted as (

    select
        *,
        count(*) over (partition by agent_name) as agents_with_the_name
    from named

),

final as (

    select
        agent_id,
        case
            when agent_name is null then agent_id
            when agents_with_the_name > 1 then {{ dbt.concat(["agent_name", "' ('", "agent_id", "')'"]) }}
            else agent_name
        end as agent_name,
        email,
        team,
        tier,
        hired_date,
        terminated_date
    from counted

)

select * from final
