{#- For each schedule time zone, the stretches of UTC time with one UTC offset,
    [valid_from_at, valid_to_at), over the clocks' range plus a margin. SQL
    engines expose no transition table, so the offset is sampled every UTC
    hour, and each hour in which it changed is searched minute by minute,
    then second by second, for the exact transition instant. Zones change
    offset at most once an hour, so no transition is missed. -#}
with

clock_schedules as (

    select * from {{ ref('int_business_clock_schedules') }}

),

zone_ranges as (

    select
        timezone,
        cast({{ dbt.dateadd('day', -2, 'min(clock_start_date)') }} as date) as sample_start_date,
        cast({{ dbt.dateadd('day', 3, 'max(clock_end_date)') }} as date) as sample_end_date
    from clock_schedules
    where clock_start_date is not null
    group by timezone

),

sample_ranges as (

    select
        timezone,
        cast(sample_start_date as {{ dbt.type_timestamp() }}) as sample_start_at,
        cast(sample_end_date as {{ dbt.type_timestamp() }}) as sample_end_at,
        {{ dbt.datediff('sample_start_date', 'sample_end_date', 'day') }} * 24 as sample_hour_count  -- noqa: LT05
    from zone_ranges

),

hourly_instants as (

    select
        sample_ranges.timezone,
        {{ add_seconds('sample_ranges.sample_start_at', 'hour_steps.hour_number * 3600') }} as sampled_at
    from sample_ranges
    {{ business_time_integer_series_join(0, 'sample_ranges.sample_hour_count', 'hour_steps', 'hour_number') }}

),

hourly_offsets as (

    select
        timezone,
        sampled_at,
        {{ seconds_between('sampled_at', business_time_local_timestamp('sampled_at', 'timezone')) }}
            as utc_offset_seconds
    from hourly_instants

),

hourly_offsets_with_previous as (

    select
        timezone,
        sampled_at,
        utc_offset_seconds,
        lag(sampled_at) over (partition by timezone order by sampled_at) as previous_sampled_at,
        lag(utc_offset_seconds) over (partition by timezone order by sampled_at) as previous_utc_offset_seconds
    from hourly_offsets

),

hours_with_transition as (

    select
        timezone,
        previous_sampled_at,
        previous_utc_offset_seconds
    from hourly_offsets_with_previous
    where utc_offset_seconds <> previous_utc_offset_seconds

),

minute_probes as (

    select
        hours_with_transition.timezone,
        hours_with_transition.previous_sampled_at,
        hours_with_transition.previous_utc_offset_seconds,
        {{ add_seconds('hours_with_transition.previous_sampled_at', 'minute_steps.minute_number * 60') }} as probed_at
    from hours_with_transition
    {{ business_time_integer_series_join(1, 60, 'minute_steps', 'minute_number') }}

),

transition_minutes as (

    select
        timezone,
        previous_sampled_at,
        previous_utc_offset_seconds,
        min(probed_at) as changed_by_minute_at
    from minute_probes
    where {{ seconds_between('probed_at', business_time_local_timestamp('probed_at', 'timezone')) }}
        <> previous_utc_offset_seconds
    group by timezone, previous_sampled_at, previous_utc_offset_seconds

),

second_probes as (

    select
        transition_minutes.timezone,
        transition_minutes.previous_utc_offset_seconds,
        transition_minutes.changed_by_minute_at,
        {{ add_seconds('transition_minutes.changed_by_minute_at', 'second_steps.second_number - 60') }} as probed_at
    from transition_minutes
    {{ business_time_integer_series_join(1, 60, 'second_steps', 'second_number') }}

),

transitions as (

    select
        timezone,
        min(probed_at) as transition_at
    from second_probes
    where {{ seconds_between('probed_at', business_time_local_timestamp('probed_at', 'timezone')) }}
        <> previous_utc_offset_seconds
    group by timezone, changed_by_minute_at

),

period_starts as (

    select
        sample_ranges.timezone,
        sample_ranges.sample_start_at as valid_from_at
    from sample_ranges
    union all
    select
        timezone,
        transition_at as valid_from_at
    from transitions

),

periods as (

    select
        period_starts.timezone,
        period_starts.valid_from_at,
        coalesce(
            lead(period_starts.valid_from_at) over (
                partition by period_starts.timezone order by period_starts.valid_from_at
            ),
            sample_ranges.sample_end_at
        ) as valid_to_at
    from period_starts
    inner join sample_ranges
        on period_starts.timezone = sample_ranges.timezone

),

final as (

    select
        timezone,
        valid_from_at,
        valid_to_at,
        cast(
            {{ seconds_between('valid_from_at', business_time_local_timestamp('valid_from_at', 'timezone')) }}
            as {{ dbt.type_bigint() }}
        ) as utc_offset_seconds
    from periods

)

select * from final
