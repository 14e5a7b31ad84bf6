{#- One row per schedule and UTC date the clock covers: the clock's reading at
    that UTC midnight and the business seconds of the date. A reading exists
    exactly for the instants whose UTC date has a row here. The portable
    reading path joins on (schedule_id, utc_date) instead of an as-of join. -#}
with

clock_schedules as (

    select * from {{ ref('int_business_clock_schedules') }}

),

clock_intervals as (

    select * from {{ ref('int_business_clock_intervals') }}

),

seconds_per_utc_date as (

    select
        schedule_id,
        utc_date,
        sum(business_seconds) as business_seconds_on_date
    from clock_intervals
    group by schedule_id, utc_date

),

utc_dates as (

    {#- One day before the first local date through one after the last: every
        interval's UTC date, so the running total starts from zero. -#}
    select
        clock_schedules.schedule_id,
        clock_schedules.clock_start_date,
        clock_schedules.clock_end_date,
        cast({{ dbt.dateadd('day', 'date_steps.day_number - 1', 'clock_schedules.clock_start_date') }} as date)
            as utc_date
    from clock_schedules
    {{ business_time_integer_series_join(
        0,
        dbt.datediff('clock_schedules.clock_start_date', 'clock_schedules.clock_end_date', 'day') ~ ' + 2',
        'date_steps',
        'day_number'
    ) }}
    where clock_schedules.clock_start_date is not null

),

dates_totalled as (

    select
        utc_dates.schedule_id,
        utc_dates.clock_start_date,
        utc_dates.clock_end_date,
        utc_dates.utc_date,
        coalesce(seconds_per_utc_date.business_seconds_on_date, 0) as business_seconds_on_date,
        coalesce(
            sum(seconds_per_utc_date.business_seconds_on_date) over (
                partition by utc_dates.schedule_id
                order by utc_dates.utc_date
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as business_seconds_before_date
    from utc_dates
    left join seconds_per_utc_date
        on utc_dates.schedule_id = seconds_per_utc_date.schedule_id
        and utc_dates.utc_date = seconds_per_utc_date.utc_date

),

final as (

    select
        schedule_id,
        utc_date,
        cast(utc_date as {{ dbt.type_timestamp() }}) as utc_date_start_at,
        business_seconds_before_date,
        business_seconds_on_date
    from dates_totalled
    where utc_date > clock_start_date
        and utc_date < clock_end_date

)

select * from final
