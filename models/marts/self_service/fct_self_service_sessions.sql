{#- One row per help-center or bot session up to the as-of time. A session is
    deflected when the customer said it solved the problem and no ticket was
    opened from it. -#}
with

sessions as (

    select * from {{ ref('stg_self_service_sessions') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

final as (

    select
        sessions.session_id,
        sessions.customer_id,
        sessions.article_id,
        sessions.ticket_id,
        sessions.started_at,
        {{ reporting_date('sessions.started_at') }} as started_date,
        coalesce(sessions.is_resolved, false) as is_resolved,
        sessions.is_helpful,
        coalesce(sessions.is_resolved, false) and sessions.ticket_id is null as is_deflected,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(customers.region, 'unknown') as region
    from sessions
    cross join reporting_bounds
    left join customers
        on sessions.customer_id = customers.customer_id
    where sessions.started_at <= reporting_bounds.as_of_at

)

select * from final
