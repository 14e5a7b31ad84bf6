{#- One row per public review up to the as-of time. A 5-star review carries
    the gap, in days, since the previous 5-star review (over all reviews, in
    published order), which avg_days_between_positive_reviews averages in
    the period of the later review. -#}
with

reviews as (

    select * from {{ ref('stg_reviews') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

in_scope as (

    select reviews.*
    from reviews
    cross join reporting_bounds
    where reviews.published_at <= reporting_bounds.as_of_at

),

positive_gaps as (

    select
        review_id,
        lag(published_at) over (order by published_at, review_id) as previous_positive_at
    from in_scope
    where rating = 5

),

final as (

    select
        in_scope.review_id,
        in_scope.customer_id,
        in_scope.review_source,
        in_scope.rating,
        in_scope.published_at,
        {{ reporting_date('in_scope.published_at') }} as published_date,
        in_scope.rating = 5 as is_positive,
        positive_gaps.previous_positive_at,
        {{ seconds_between('positive_gaps.previous_positive_at', 'in_scope.published_at') }} / 86400.0
            as days_since_previous_positive,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(customers.region, 'unknown') as region
    from in_scope
    left join positive_gaps
        on in_scope.review_id = positive_gaps.review_id
    left join customers
        on in_scope.customer_id = customers.customer_id

)

select * from final
