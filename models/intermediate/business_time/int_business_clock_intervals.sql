{#- The business clock: one row per open interval of each schedule, in UTC,
    with the business seconds that elapsed on the clock before it. An instant
    is open when its wall-clock time in the schedule's zone lies in one of the
    day's opening ranges and its local date is not a holiday. A local opening
    range [open, close) maps to the UTC instants u whose offset o gives
    open <= u + o < close: per stretch of constant offset that is
    [open - o, close - o) clipped to the stretch, so a skipped hour is absent
    and a repeated hour counts twice. Intervals are cut at UTC midnight so
    that a lookup can also join on the UTC date (the portable reading path).
    Rows grow as schedules × days, never with tickets. -#}
with

clock_schedules as (

    select * from {{ ref('int_business_clock_schedules') }}

),

schedule_hours as (

    select * from {{ ref('int_business_schedule_hours') }}

),

holidays as (

    select * from {{ ref('int_holidays_selected') }}

),

zone_offsets as (

    select * from {{ ref('int_business_time_zone_offsets') }}

),

local_days as (

    select
        clock_schedules.schedule_id,
        clock_schedules.timezone,
        cast({{ dbt.dateadd('day', 'day_steps.day_number', 'clock_schedules.clock_start_date') }} as date)
            as local_date
    from clock_schedules
    {{ business_time_integer_series_join(
        0,
        dbt.datediff('clock_schedules.clock_start_date', 'clock_schedules.clock_end_date', 'day'),
        'day_steps',
        'day_number'
    ) }}
    where clock_schedules.clock_start_date is not null

),

working_days as (

    select
        local_days.schedule_id,
        local_days.timezone,
        local_days.local_date,
        {{ business_time_iso_day_of_week('local_days.local_date') }} as day_of_week
    from local_days
    left join holidays
        on local_days.schedule_id = holidays.schedule_id
        and local_days.local_date = holidays.holiday_date
    where holidays.schedule_id is null

),

wall_clock_openings as (

    select
        working_days.schedule_id,
        working_days.timezone,
        working_days.local_date,
        {{ add_seconds(
            'cast(working_days.local_date as ' ~ dbt.type_timestamp() ~ ')', 'schedule_hours.open_second_of_day'
        ) }}
            as wall_open_at,
        {{ add_seconds(
            'cast(working_days.local_date as ' ~ dbt.type_timestamp() ~ ')', 'schedule_hours.close_second_of_day'
        ) }}
            as wall_close_at
    from working_days
    inner join schedule_hours
        on working_days.schedule_id = schedule_hours.schedule_id
        and working_days.day_of_week = schedule_hours.day_of_week

),

openings_per_offset as (

    select
        wall_clock_openings.schedule_id,
        wall_clock_openings.local_date,
        zone_offsets.valid_from_at,
        zone_offsets.valid_to_at,
        {{ add_seconds('wall_clock_openings.wall_open_at', '-zone_offsets.utc_offset_seconds') }} as candidate_start_at,
        {{ add_seconds('wall_clock_openings.wall_close_at', '-zone_offsets.utc_offset_seconds') }} as candidate_end_at
    from wall_clock_openings
    inner join zone_offsets
        on wall_clock_openings.timezone = zone_offsets.timezone

),

utc_openings as (

    select
        schedule_id,
        local_date,
        case when candidate_start_at > valid_from_at then candidate_start_at else valid_from_at end as opening_start_at,
        case when candidate_end_at < valid_to_at then candidate_end_at else valid_to_at end as opening_end_at
    from openings_per_offset
    where candidate_start_at < valid_to_at
        and candidate_end_at > valid_from_at

),

utc_day_parts as (

    {#- Bigint: DuckDB's add_seconds() multiplies by 10^6 in the argument's type. #}
    select cast(0 as {{ dbt.type_bigint() }}) as day_part
    union all
    select cast(1 as {{ dbt.type_bigint() }}) as day_part

),

openings_by_utc_day as (

    select
        utc_openings.schedule_id,
        utc_openings.local_date,
        utc_openings.opening_start_at,
        utc_openings.opening_end_at,
        {{ add_seconds(
            'cast(cast(utc_openings.opening_start_at as date) as ' ~ dbt.type_timestamp() ~ ')',
            'utc_day_parts.day_part * 86400'
        ) }} as utc_day_start_at
    from utc_openings
    cross join utc_day_parts

),

intervals_cut_at_utc_midnight as (

    select
        schedule_id,
        local_date,
        case
            when opening_start_at > utc_day_start_at then opening_start_at else utc_day_start_at
        end as interval_start_at,
        case
            when opening_end_at < {{ add_seconds('utc_day_start_at', 'cast(86400 as ' ~ dbt.type_bigint() ~ ')') }}
                then opening_end_at
            else {{ add_seconds('utc_day_start_at', 'cast(86400 as ' ~ dbt.type_bigint() ~ ')') }}
        end as interval_end_at
    from openings_by_utc_day
    where opening_start_at < {{ add_seconds('utc_day_start_at', 'cast(86400 as ' ~ dbt.type_bigint() ~ ')') }}
        and opening_end_at > utc_day_start_at

),

intervals_measured as (

    select
        schedule_id,
        local_date,
        cast(interval_start_at as date) as utc_date,
        interval_start_at,
        interval_end_at,
        {{ seconds_between('interval_start_at', 'interval_end_at') }} as business_seconds
    from intervals_cut_at_utc_midnight

),

intervals_totalled as (

    select
        schedule_id,
        local_date,
        utc_date,
        interval_start_at,
        interval_end_at,
        business_seconds,
        sum(business_seconds) over (
            partition by schedule_id
            order by interval_start_at
            rows between unbounded preceding and current row
        ) - business_seconds as business_seconds_before,
        lead(interval_start_at) over (
            partition by schedule_id, utc_date
            order by interval_start_at
        ) as next_start_same_utc_date_at
    from intervals_measured

),

final as (

    select
        schedule_id,
        local_date,
        utc_date,
        interval_start_at,
        interval_end_at,
        business_seconds,
        business_seconds_before,
        business_seconds_before + business_seconds as business_seconds_after,
        coalesce(
            next_start_same_utc_date_at,
            {{ add_seconds(
                'cast(utc_date as ' ~ dbt.type_timestamp() ~ ')', 'cast(86400 as ' ~ dbt.type_bigint() ~ ')'
            ) }}
        ) as lookup_until_at
    from intervals_totalled

)

select * from final
