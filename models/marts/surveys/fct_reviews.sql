{#- One row per public review up to the as-of time. -#}
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

final as (

    select
        in_scope.review_id,
        in_scope.customer_id,
        in_scope.review_source,
        in_scope.rating,
        in_scope.published_at,
        {{ reporting_date('in_scope.published_at') }} as published_date,
        in_scope.rating = 5 as is_positive,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(customers.region, 'unknown') as region
    from in_scope
    left join customers
        on in_scope.customer_id = customers.customer_id

)

select * from final
