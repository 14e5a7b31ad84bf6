{#- Month-grain KPIs built from other KPIs' parts: customer_lifetime_value
    (ARPA x gross margin / churn rate) by segment and region, and the cost
    KPIs, which exist only for months with cost (or, for acquisition cost,
    spend) rows up to the as-of month. -#}
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
    group by {{ dimension_grouping_sets([['revenue_month']], dimensions) }}

),

lifetime_values as (

    select
        'customer_lifetime_value' as kpi_id,
        period_start,
        dimension,
        dimension_value,
        case
            when churned > 0 and active > 0
                then (mrr / active) * ({{ var('gross_margin_pct') }} / 100.0) / (churned * 1.0 / previously_active)
        end as value,
        cast(null as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        previously_active as sample_size
    from lifetime_parts

),

monthly_costs as (

    select cost_month as period_start, sum(amount) as support_cost, count(*) as cost_rows
    from support_costs
    cross join reporting_bounds
    where cost_month <= reporting_bounds.as_of_date
    group by cost_month

),

monthly_spend as (

    select spend_month as period_start, sum(amount) as marketing_spend
    from marketing_spend
    cross join reporting_bounds
    where spend_month <= reporting_bounds.as_of_date
    group by spend_month

),

monthly_solved as (

    select {{ month_start('first_resolved_date') }} as period_start, count(*) as tickets_solved
    from tickets
    where first_resolved_date is not null
    group by 1

),

monthly_revenue as (

    select revenue_month as period_start, sum(mrr) as mrr, sum(case when is_active then 1 else 0 end) as active
    from customer_months
    group by revenue_month

),

monthly_new_customers as (

    select {{ month_start('became_customer_date') }} as period_start, count(*) as new_customers
    from customers
    where is_new_in_money_months
    group by 1

),

cost_values as (

    select
        'support_cost' as kpi_id,
        period_start,
        support_cost as value,
        cast(null as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        cost_rows as sample_size
    from monthly_costs

    union all

    select
        'cost_per_ticket' as kpi_id,
        monthly_costs.period_start,
        monthly_costs.support_cost / monthly_solved.tickets_solved as value,
        monthly_costs.support_cost as numerator,
        monthly_solved.tickets_solved as denominator,
        monthly_solved.tickets_solved as sample_size
    from monthly_costs
    inner join monthly_solved
        on monthly_costs.period_start = monthly_solved.period_start

    union all

    select
        'support_cost_to_revenue_pct' as kpi_id,
        monthly_costs.period_start,
        100.0 * monthly_costs.support_cost / monthly_revenue.mrr as value,
        monthly_costs.support_cost as numerator,
        monthly_revenue.mrr as denominator,
        monthly_revenue.active as sample_size
    from monthly_costs
    inner join monthly_revenue
        on monthly_costs.period_start = monthly_revenue.period_start
    where monthly_revenue.mrr > 0

    union all

    select
        'customer_acquisition_cost' as kpi_id,
        monthly_spend.period_start,
        monthly_spend.marketing_spend / monthly_new_customers.new_customers as value,
        monthly_spend.marketing_spend as numerator,
        monthly_new_customers.new_customers as denominator,
        monthly_new_customers.new_customers as sample_size
    from monthly_spend
    inner join monthly_new_customers
        on monthly_spend.period_start = monthly_new_customers.period_start

),

final as (

    select
        kpi_id,
        'month' as grain,
        cast(period_start as date) as period_start,
        dimension,
        dimension_value,
        cast(value as {{ type_double() }}) as value,
        cast(numerator as {{ type_double() }}) as numerator,
        cast(denominator as {{ type_double() }}) as denominator,
        cast(sample_size as {{ dbt.type_bigint() }}) as sample_size
    from lifetime_values
    where sample_size > 0

    union all

    select
        kpi_id,
        'month' as grain,
        cast(period_start as date) as period_start,
        'all' as dimension,
        'all' as dimension_value,
        cast(value as {{ type_double() }}) as value,
        cast(numerator as {{ type_double() }}) as numerator,
        cast(denominator as {{ type_double() }}) as denominator,
        cast(sample_size as {{ dbt.type_bigint() }}) as sample_size
    from cost_values
    where sample_size > 0

)

select * from final
