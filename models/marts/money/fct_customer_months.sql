{#- One row per customer with revenue history and money month: MRR, whether
    the customer is active (MRR > 0; no row means 0) and was active the month
    before. Grows as customers x months. The first money month has no
    previous month: nobody counts as active before it. -#}
with

customer_revenue as (

    select * from {{ ref('stg_customer_revenue') }}

),

money_months as (

    select * from {{ ref('int_money_months_spined') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

revenue_customers as (

    select distinct customer_id from customer_revenue

),

monthly_revenue as (

    select
        customer_id,
        revenue_month,
        sum(mrr) as mrr
    from customer_revenue
    group by customer_id, revenue_month

),

spined as (

    select
        revenue_customers.customer_id,
        money_months.money_month as revenue_month,
        coalesce(monthly_revenue.mrr, 0) as mrr
    from revenue_customers
    cross join money_months
    left join monthly_revenue
        on revenue_customers.customer_id = monthly_revenue.customer_id
        and money_months.money_month = monthly_revenue.revenue_month

),

with_previous as (

    select
        *,
        mrr > 0 as is_active,
        coalesce(lag(mrr) over (partition by customer_id order by revenue_month), 0) as previous_mrr
    from spined

),

final as (

    select
        with_previous.customer_id,
        with_previous.revenue_month,
        with_previous.mrr,
        with_previous.previous_mrr,
        with_previous.is_active,
        with_previous.previous_mrr > 0 as was_active_previous_month,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(customers.region, 'unknown') as region
    from with_previous
    left join customers
        on with_previous.customer_id = customers.customer_id

)

select * from final
