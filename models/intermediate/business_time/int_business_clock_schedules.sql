{#- One row per usable schedule: its time zone and the stretch of time its
    business clock covers. The clock runs over the schedule's local dates from
    two days before the first activity to var business_clock_horizon_days after
    the as-of date (room for SLA deadlines). Readings are given for instants
    from the UTC midnight after the first local date to the UTC midnight of the
    last one: every instant there has a local date inside the clock, whatever
    the zone's offset (offsets stay within ±14 hours). -#}
with

schedules as (

    select * from {{ ref('int_business_schedules_selected') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

usable_schedules as (

    select
        schedule_id,
        min(timezone) as timezone,
        count(distinct timezone) as distinct_timezone_count
    from schedules
    where is_usable
    group by schedule_id

),

local_bounds as (

    select
        usable_schedules.schedule_id,
        usable_schedules.timezone,
        usable_schedules.distinct_timezone_count,
        cast(
            {{ business_time_local_timestamp('reporting_bounds.first_activity_at', 'usable_schedules.timezone') }}
            as date
        )
            as first_activity_local_date,
        cast({{ business_time_local_timestamp('reporting_bounds.as_of_at', 'usable_schedules.timezone') }} as date)
            as as_of_local_date
    from usable_schedules
    cross join reporting_bounds

),

clock_ranges as (

    select
        schedule_id,
        timezone,
        distinct_timezone_count,
        cast({{ dbt.dateadd('day', -2, 'first_activity_local_date') }} as date) as clock_start_date,
        cast({{ dbt.dateadd('day', var('business_clock_horizon_days', 400), 'as_of_local_date') }} as date)
            as clock_end_date
    from local_bounds

),

final as (

    select
        schedule_id,
        timezone,
        distinct_timezone_count,
        clock_start_date,
        clock_end_date,
        cast({{ dbt.dateadd('day', 1, 'clock_start_date') }} as {{ dbt.type_timestamp() }}) as covered_from_at,
        cast(clock_end_date as {{ dbt.type_timestamp() }}) as covered_to_at
    from clock_ranges

)

select * from final
