{#- One row per channel (and `all`, every channel together) and day of the
    forecast horizon: the expected customer-initiated tickets and the 80% and
    95% prediction intervals. Built on DuckDB only (a dbt Python model). -#}
with

forecasted as (

    select * from {{ ref('int_ticket_arrivals_forecasted') }}

),

final as (

    select
        cast(forecast_date as date) as forecast_date,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(forecast_tickets as {{ type_double() }}) as forecast_tickets,
        cast(lower_80 as {{ type_double() }}) as lower_80,
        cast(upper_80 as {{ type_double() }}) as upper_80,
        cast(lower_95 as {{ type_double() }}) as lower_95,
        cast(upper_95 as {{ type_double() }}) as upper_95,
        cast(forecast_model as {{ dbt.type_string() }}) as forecast_model,
        cast(trained_through_date as date) as trained_through_date
    from forecasted

)

select * from final
