{#- Customer-initiated tickets per channel, day and hour of the day (reporting
    time zone), over the whole days before the as-of date (the as-of day is
    still filling): the one count of arrivals the planning models read. An
    outbound ticket an agent started is work the team chose, not demand it
    must meet, so it is left out. The daily history the forecast learns from
    sums it over the hours (int_ticket_arrivals_counted); staffing sums it
    over the dates of each weekday, the intraday profile that splits a
    forecast day over its hours, taken from the whole history so that a quiet
    channel's hours are not decided by a handful of tickets. An hour with no
    arrival has no row. -#}
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
        tickets.created_date as arrival_date,
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
        arrival_date,
        {{ business_time_iso_day_of_week('arrival_date') }} as iso_weekday,
        cast(extract(hour from created_local_at) as {{ dbt.type_int() }}) as hour_of_day,
        count(*) as tickets
    from local_arrivals
    group by
        channel,
        arrival_date,
        cast(extract(hour from created_local_at) as {{ dbt.type_int() }})

)

select * from final
