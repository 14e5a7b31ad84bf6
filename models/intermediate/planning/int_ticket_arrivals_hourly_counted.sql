{#- Arrivals per channel, ISO weekday and hour of the day (reporting time
    zone), over the whole history of whole days: the intraday profile that
    splits a forecast day over its hours. The whole history rather than
    recent weeks, so that a quiet channel's hours are not decided by a handful
    of tickets. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

local_arrivals as (

    select
        tickets.channel,
        {{ to_local_timestamp('tickets.created_at', var('reporting_timezone')) }} as created_local_at
    from tickets
    cross join reporting_bounds
    where
        not tickets.is_agent_initiated
        and tickets.created_date < reporting_bounds.as_of_date

),

final as (

    select
        channel,
        {{ business_time_iso_day_of_week('created_local_at') }} as iso_weekday,
        cast(extract(hour from created_local_at) as {{ dbt.type_int() }}) as hour_of_day,
        count(*) as tickets
    from local_arrivals
    group by
        channel,
        {{ business_time_iso_day_of_week('created_local_at') }},
        cast(extract(hour from created_local_at) as {{ dbt.type_int() }})

)

select * from final
