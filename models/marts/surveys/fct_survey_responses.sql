{#- One row per CSAT, NPS or CES response up to the as-of time, its score on
    a 0-1 scale and the flags the survey KPIs count. Ticket dimensions come
    from the linked ticket (null, i.e. not a segment, for unlinked
    responses); segment and region from the response's customer, else the
    ticket's. -#}
with

surveys as (

    select * from {{ ref('stg_surveys') }}

),

tickets as (

    select * from {{ ref('fct_tickets') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

scaled as (

    select
        surveys.*,
        -- NPS is always 0-10; the other scales default per survey type.
        case
            when surveys.survey_type = 'nps' then 0
            else coalesce(surveys.scale_min, 1)
        end as effective_scale_min,
        case
            when surveys.survey_type = 'nps' then 10
            when surveys.survey_type = 'csat' then coalesce(surveys.scale_max, 5)
            else coalesce(surveys.scale_max, 7)
        end as effective_scale_max
    from surveys
    cross join reporting_bounds
    where surveys.responded_at <= reporting_bounds.as_of_at

),

joined as (

    select
        scaled.response_id,
        scaled.survey_type,
        scaled.ticket_id,
        coalesce(scaled.customer_id, tickets.customer_id) as customer_id,
        scaled.responded_at,
        scaled.score,
        scaled.effective_scale_min as scale_min,
        scaled.effective_scale_max as scale_max,
        -- The scale's width in doubles: the ends are BIGINT, and a BIGINT difference can overflow.
        (
            (scaled.score - scaled.effective_scale_min)
            / nullif(
                cast(scaled.effective_scale_max as {{ type_double() }})
                - cast(scaled.effective_scale_min as {{ type_double() }}),
                0
            )
        ) as normalized_score,
        tickets.channel,
        tickets.priority,
        tickets.category,
        tickets.team,
        tickets.agent,
        tickets.product,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(customers.region, 'unknown') as region
    from scaled
    left join tickets
        on scaled.ticket_id = tickets.ticket_id
    left join customers
        on coalesce(scaled.customer_id, tickets.customer_id) = customers.customer_id

),

final as (

    select
        response_id,
        survey_type,
        ticket_id,
        customer_id,
        responded_at,
        {{ reporting_date('responded_at') }} as responded_date,
        score,
        scale_min,
        scale_max,
        normalized_score,
        survey_type = 'csat' and normalized_score >= 0.75 as is_satisfied,
        survey_type = 'nps' and score >= 9 as is_promoter,
        survey_type = 'nps' and score <= 6 as is_detractor,
        case when survey_type = 'ces' then 1 + 6 * normalized_score end as effort_score,
        channel,
        priority,
        category,
        team,
        agent,
        product,
        segment,
        region
    from joined

)

select * from final
