{#- One row per customer account, with the segment and region dimensions
    ('unknown' when null), whether it became a customer by the as-of time
    (new_customers counts those, in every month up to the as-of month) and
    whether that was inside the money months. -#}
with

customers as (

    select * from {{ ref('stg_customers') }}

),

money_months as (

    select * from {{ ref('int_money_months_spined') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

dated as (

    select
        customers.*,
        {{ reporting_date('customers.became_customer_at') }} as became_customer_date
    from customers

),

final as (

    select
        dated.customer_id,
        dated.became_customer_at,
        dated.became_customer_date,
        coalesce(dated.segment, 'unknown') as segment,
        coalesce(dated.region, 'unknown') as region,
        dated.country,
        dated.plan,
        coalesce(dated.became_customer_at <= reporting_bounds.as_of_at, false) as is_customer_by_as_of,
        (
            dated.became_customer_at <= reporting_bounds.as_of_at
            and money_months.money_month is not null
        ) as is_new_in_money_months
    from dated
    cross join reporting_bounds
    left join money_months
        on {{ month_start('dated.became_customer_date') }} = money_months.money_month

)

select * from final
