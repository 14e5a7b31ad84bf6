{#- One row per agent engagement response up to the as-of time, with the
    agent's team. -#}
with

engagement_surveys as (

    select * from {{ ref('stg_engagement_surveys') }}

),

agents as (

    select * from {{ ref('stg_agents') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

final as (

    select
        engagement_surveys.response_id,
        engagement_surveys.agent_id,
        engagement_surveys.responded_at,
        {{ reporting_date('engagement_surveys.responded_at') }} as responded_date,
        engagement_surveys.score,
        engagement_surveys.score >= 9 as is_promoter,
        engagement_surveys.score <= 6 as is_detractor,
        coalesce(engagement_surveys.agent_id, 'unknown') as agent,
        coalesce(agents.team, 'unknown') as team
    from engagement_surveys
    cross join reporting_bounds
    left join agents
        on engagement_surveys.agent_id = agents.agent_id
    where engagement_surveys.responded_at <= reporting_bounds.as_of_at

)

select * from final
