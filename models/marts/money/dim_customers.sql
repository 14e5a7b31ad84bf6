{#- One row per customer account, with the segment and region dimensions
    ('unknown' when null) and whether it became a customer inside the money
    months (new_customers). -#}
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
