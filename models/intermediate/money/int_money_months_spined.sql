{#- The months money KPIs run over: from the first customer_revenue month to
    the month of the as-of time (reporting time zone). -#}
with

customer_revenue as (

    select * from {{ ref('stg_customer_revenue') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

days as (

    {{ date_range(
        '(select min(revenue_month) from customer_revenue)',
        '(select as_of_date from reporting_bounds)'
    ) }}

),

final as (

    select distinct {{ month_start('date_day') }} as money_month
    from days

)

select * from final
