{#- The month-grain parts of the money KPIs that are not an aggregate of one
    model's rows (the registry maps these columns to customer_lifetime_value,
    support_cost, cost_per_ticket, support_cost_to_revenue_pct and
    customer_acquisition_cost): lifetime value (ARPA x gross margin / churn
    rate) by segment and region, and for `all` the month's support cost and
    marketing spend (rows up to the as-of month), tickets solved, MRR, active
    and new customers (created by the as-of time, in any month: customer
    acquisition cost then exists for every month with spend and new
    customers, inside the money months or not). -#}
{%- set dimensions = ['segment', 'region'] -%}
with

customer_months as (

    select * from {{ ref('fct_customer_months') }}

),

support_costs as (

    select * from {{ ref('stg_support_costs') }}

),

marketing_spend as (

    select * from {{ ref('stg_marketing_spend') }}

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

lifetime_parts as (

    select
        revenue_month as period_start,
        {{ grouped_dimension_columns(dimensions) }},
        sum(case when was_active_previous_month then 1 else 0 end) as previously_active,
        sum(case when was_active_previous_month and not is_active then 1 else 0 end) as churned,
        sum(case when is_active then 1 else 0 end) as active,
        sum(case when is_active then mrr else 0 end) as mrr
    from customer_months
    group by {{ dimension_grouping_sets([['revenue_month']], dimensions) }}  -- noqa: PRS

),

lifetime_values as (

    select
        period_start,
        dimension,
        dimension_value,
        case
            when churned > 0 and active > 0
                then (mrr / active) * ({{ var('gross_margin_pct') }} / 100.0)
                    / (cast(churned as {{ type_double() }}) / previously_active)
        end as lifetime_value,
        previously_active
    from lifetime_parts

),

monthly_costs as (

    select
        support_costs.cost_month as period_start,
        sum(support_costs.amount) as support_cost,
        count(*) as support_cost_rows
    from support_costs
    cross join reporting_bounds
    where support_costs.cost_month <= reporting_bounds.as_of_date
    group by support_costs.cost_month

),

monthly_spend as (

    select
        marketing_spend.spend_month as period_start,
        sum(marketing_spend.amount) as marketing_spend,
        count(*) as marketing_spend_rows
    from marketing_spend
    cross join reporting_bounds
    where marketing_spend.spend_month <= reporting_bounds.as_of_date
    group by marketing_spend.spend_month

),

monthly_solved as (

    select
        {{ month_start('first_resolved_date') }} as period_start,
        count(*) as tickets_solved
    from tickets
    where first_resolved_date is not null
    group by 1

),

monthly_revenue as (

    select
        revenue_month as period_start,
        sum(mrr) as mrr,
        sum(case when is_active then 1 else 0 end) as active_customers
    from customer_months
    group by revenue_month

),

monthly_new_customers as (

    select
        {{ month_start('became_customer_date') }} as period_start,
        count(*) as new_customers
    from customers
    where is_customer_by_as_of
    group by 1

),

months as (

    select period_start from lifetime_parts
    union
    select period_start from monthly_costs
    union
    select period_start from monthly_spend
    union
    select period_start from monthly_solved
    union
    select period_start from monthly_revenue
    union
    select period_start from monthly_new_customers

),

monthly_totals as (

    select
        months.period_start,
        'all' as dimension,
        'all' as dimension_value,
        monthly_costs.support_cost,
        monthly_costs.support_cost_rows,
        monthly_spend.marketing_spend,
        monthly_spend.marketing_spend_rows,
        monthly_solved.tickets_solved,
        monthly_revenue.mrr,
        monthly_revenue.active_customers,
        monthly_new_customers.new_customers
    from months
    left join monthly_costs
        on months.period_start = monthly_costs.period_start
    left join monthly_spend
        on months.period_start = monthly_spend.period_start
    left join monthly_solved
        on months.period_start = monthly_solved.period_start
    left join monthly_revenue
        on months.period_start = monthly_revenue.period_start
    left join monthly_new_customers
        on months.period_start = monthly_new_customers.period_start

),

final as (

    select
        'month' as grain,
        cast(coalesce(lifetime_values.period_start, monthly_totals.period_start) as date) as period_start,
        coalesce(lifetime_values.dimension, monthly_totals.dimension) as dimension,
        coalesce(lifetime_values.dimension_value, monthly_totals.dimension_value) as dimension_value,
        cast(lifetime_values.lifetime_value as {{ type_double() }}) as lifetime_value,
        cast(lifetime_values.previously_active as {{ dbt.type_bigint() }}) as previously_active,
        cast(monthly_totals.support_cost as {{ type_double() }}) as support_cost,
        cast(monthly_totals.support_cost_rows as {{ dbt.type_bigint() }}) as support_cost_rows,
        cast(monthly_totals.marketing_spend as {{ type_double() }}) as marketing_spend,
        cast(monthly_totals.marketing_spend_rows as {{ dbt.type_bigint() }}) as marketing_spend_rows,
        cast(monthly_totals.tickets_solved as {{ dbt.type_bigint() }}) as tickets_solved,
        cast(monthly_totals.mrr as {{ type_double() }}) as mrr,
        cast(monthly_totals.active_customers as {{ dbt.type_bigint() }}) as active_customers,
        cast(monthly_totals.new_customers as {{ dbt.type_bigint() }}) as new_customers
    from lifetime_values
    full outer join monthly_totals
        on lifetime_values.period_start = monthly_totals.period_start
        and lifetime_values.dimension = monthly_totals.dimension
        and lifetime_values.dimension_value = monthly_totals.dimension_value

)

select * from final
