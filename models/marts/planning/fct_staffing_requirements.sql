{#- One row per staffed channel, forecast day and hour of the day (reporting
    time zone): the tickets expected in the hour, and the agents Erlang C
    needs answering to meet the channel's service target, then raised by
    shrinkage to the agents to schedule. Built on DuckDB only. -#}
with

requirements as (

    select * from {{ ref('int_staffing_requirements_computed') }}

),

final as (

    select
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(forecast_date as date) as forecast_date,
        cast(iso_weekday as {{ dbt.type_bigint() }}) as iso_weekday,
        cast(hour_of_day as {{ dbt.type_bigint() }}) as hour_of_day,
        cast(forecast_tickets as {{ type_double() }}) as forecast_tickets,
        cast(handle_minutes as {{ type_double() }}) as handle_minutes,
        cast(service_level_target_pct as {{ type_double() }}) as service_level_target_pct,
        cast(answer_within_minutes as {{ type_double() }}) as answer_within_minutes,
        cast(shrinkage_pct as {{ type_double() }}) as shrinkage_pct,
        cast(agents_required as {{ dbt.type_bigint() }}) as agents_required,
        cast(agents_scheduled as {{ dbt.type_bigint() }}) as agents_scheduled,
        cast(expected_service_level_pct as {{ type_double() }}) as expected_service_level_pct,
        cast(occupancy_pct as {{ type_double() }}) as occupancy_pct
    from requirements

)

select * from final
