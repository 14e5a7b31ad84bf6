{#- Top agents per month: tickets solved, CSAT, first-contact resolution and
    median first response of the tickets assigned to each agent, plus public
    replies sent ("most active"). Each measure becomes a percent rank within
    the month (first response reversed: faster is better) and the score is
    their weighted mean over the measures the agent has, with weights from
    var leaderboard_weights. Agents with fewer than var
    leaderboard_min_solved tickets solved in the month are listed, not
    ranked. -#}
{%- set weights = var('leaderboard_weights') -%}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

survey_responses as (

    select * from {{ ref('fct_survey_responses') }}

),

agent_replies as (

    select * from {{ ref('fct_agent_replies') }}

),

agents as (

    select * from {{ ref('dim_agents') }}

),

solved as (

    select
        agent,
        {{ month_start('first_resolved_date') }} as leaderboard_month,
        count(*) as tickets_solved,
        sum(case when public_agent_reply_count >= 1 then 1 else 0 end) as fcr_eligible,
        sum(case when public_agent_reply_count = 1 and reopen_count = 0 then 1 else 0 end) as fcr_resolved
    from tickets
    where first_resolved_date is not null
    group by 1, 2

),

responded as (

    select
        agent,
        {{ month_start('created_date') }} as leaderboard_month,
        {{ percentile_cont('first_response_minutes', 0.5) }} as first_response_median_minutes
    from tickets
    where not is_agent_initiated
        and first_response_at is not null
    group by 1, 2

),

rated as (

    select
        agent,
        {{ month_start('responded_date') }} as leaderboard_month,
        count(*) as csat_responses,
        sum(case when is_satisfied then 1 else 0 end) as csat_satisfied
    from survey_responses
    where survey_type = 'csat'
        and agent is not null
    group by 1, 2

),

replied as (

    select
        agent,
        {{ month_start('occurred_date') }} as leaderboard_month,
        count(*) as public_replies
    from agent_replies
    group by 1, 2

),

agent_months as (

    select
        agent,
        leaderboard_month
    from solved
    union
    select
        agent,
        leaderboard_month
    from responded
    union
    select
        agent,
        leaderboard_month
    from rated
    union
    select
        agent,
        leaderboard_month
    from replied

),

measured as (

    select
        agent_months.agent as agent_id,
        agent_months.leaderboard_month,
        coalesce(solved.tickets_solved, 0) as tickets_solved,
        100 * cast(rated.csat_satisfied as {{ type_double() }}) / nullif(rated.csat_responses, 0) as csat_pct,
        coalesce(rated.csat_responses, 0) as csat_responses,
        100 * cast(solved.fcr_resolved as {{ type_double() }}) / nullif(solved.fcr_eligible, 0)
            as first_contact_resolution_pct,
        responded.first_response_median_minutes,
        coalesce(replied.public_replies, 0) as public_replies
    from agent_months
    left join solved
        on agent_months.agent = solved.agent and agent_months.leaderboard_month = solved.leaderboard_month
    left join responded
        on agent_months.agent = responded.agent and agent_months.leaderboard_month = responded.leaderboard_month
    left join rated
        on agent_months.agent = rated.agent and agent_months.leaderboard_month = rated.leaderboard_month
    left join replied
        on agent_months.agent = replied.agent and agent_months.leaderboard_month = replied.leaderboard_month
    where agent_months.agent <> 'unknown'

),

rankable as (

    select
        *,
        tickets_solved >= {{ var('leaderboard_min_solved') }} as is_ranked
    from measured

),

percentiles as (

    select
        *,
        case
            when is_ranked
                then
                    percent_rank() over (
                        partition by leaderboard_month, is_ranked order by tickets_solved
                    )
        end as tickets_solved_rank,
        case
            when is_ranked and csat_pct is not null
                then
                    percent_rank() over (
                        partition by leaderboard_month, is_ranked, csat_pct is null order by csat_pct
                    )
        end as csat_rank,
        case
            when is_ranked and first_contact_resolution_pct is not null
                then
                    percent_rank() over (
                        partition by leaderboard_month, is_ranked, first_contact_resolution_pct is null
                        order by first_contact_resolution_pct
                    )
        end as first_contact_resolution_rank,
        case
            when is_ranked and first_response_median_minutes is not null
                then
                    percent_rank() over (
                        partition by leaderboard_month, is_ranked, first_response_median_minutes is null
                        order by first_response_median_minutes desc
                    )
        end as first_response_rank
    from rankable

),

scored as (

    select
        *,
        (
            coalesce(tickets_solved_rank, 0) * {{ weights.tickets_solved }}
            + coalesce(csat_rank, 0) * {{ weights.csat }}
            + coalesce(first_contact_resolution_rank, 0) * {{ weights.first_contact_resolution }}
            + coalesce(first_response_rank, 0) * {{ weights.first_response }}
        ) / nullif(
            case when tickets_solved_rank is null then 0 else {{ weights.tickets_solved }} end
            + case when csat_rank is null then 0 else {{ weights.csat }} end
            + case when first_contact_resolution_rank is null then 0 else {{ weights.first_contact_resolution }} end
            + case when first_response_rank is null then 0 else {{ weights.first_response }} end,
            0
        ) as leaderboard_score
    from percentiles

),

named as (

    select
        scored.*,
        -- An assignee missing from agents keeps its id.
        coalesce(agents.agent_name, scored.agent_id) as agent_name
    from scored
    left join agents
        on scored.agent_id = agents.agent_id

),

final as (

    select
        leaderboard_month,
        agent_id,
        agent_name,
        case
            when is_ranked
                then
                    cast(rank() over (
                        partition by leaderboard_month, is_ranked order by leaderboard_score desc
                    ) as {{ dbt.type_bigint() }})
        end as leaderboard_rank,
        leaderboard_score,
        is_ranked,
        tickets_solved,
        csat_pct,
        csat_responses,
        first_contact_resolution_pct,
        first_response_median_minutes,
        public_replies,
        cast(rank() over (partition by leaderboard_month order by public_replies desc) as {{ dbt.type_bigint() }})
            as activity_rank
    from named

)

select * from final
