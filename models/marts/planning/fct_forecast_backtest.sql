{#- One row per channel (and `all`) and forecasting method: how far off each
    was, over the backtest's origins, when forecasting the days after each
    origin from the history before it. Built on DuckDB only. -#}
with

backtested as (

    select * from {{ ref('int_ticket_arrivals_backtested') }}

),

seasonal_naive as (

    select
        channel,
        mase as seasonal_naive_mase
    from backtested
    where forecast_method = 'seasonal_naive'

),

final as (

    select
        cast(backtested.channel as {{ dbt.type_string() }}) as channel,
        cast(backtested.forecast_method as {{ dbt.type_string() }}) as forecast_method,
        cast(backtested.mase as {{ type_double() }}) as mase,
        cast(backtested.coverage_80_pct as {{ type_double() }}) as coverage_80_pct,
        cast(backtested.coverage_95_pct as {{ type_double() }}) as coverage_95_pct,
        case
            when backtested.forecast_method <> 'seasonal_naive'
                then backtested.mase < seasonal_naive.seasonal_naive_mase
        end as beats_seasonal_naive,
        cast(backtested.origins as {{ dbt.type_bigint() }}) as origins,
        cast(backtested.horizon_days as {{ dbt.type_bigint() }}) as horizon_days,
        cast(backtested.first_cutoff_date as date) as first_cutoff_date,
        cast(backtested.last_cutoff_date as date) as last_cutoff_date
    from backtested
    left join seasonal_naive
        on backtested.channel = seasonal_naive.channel

)

select * from final
