{#- The contract's `business_schedules` from the connector's `schedule` table, in the raw table's shape. Each
    interval (minutes from Sunday 00:00 local time, 0..10080) becomes one row per ISO weekday it covers, with local
    HH:MM times (an interval ending at midnight ends at 24:00). The Zendesk (Rails) time-zone name becomes its IANA
    name through the zendesk_time_zones seed: exact name first, then case-insensitive; a name the seed does not
    know passes through (an IANA name). Deleted schedules are left out. -#}
with

schedules as (

    select * from {{ ref('base_zendesk__schedule') }}
    where not is_fivetran_deleted

),

time_zones as (

    select * from {{ ref('zendesk_time_zones') }}

),

week_days as (

    -- 0 = Sunday .. 6 = Saturday: the day offsets of a Zendesk week.
    select day_numbers.day_offset
    from (values (0), (1), (2), (3), (4), (5), (6)) as day_numbers (day_offset)

),

day_intervals as (

    select
        schedules.schedule_id,
        schedules.time_zone,
        week_days.day_offset,
        greatest(schedules.start_minute, 1440 * week_days.day_offset) - 1440 * week_days.day_offset as start_minute,
        least(schedules.end_minute, 1440 * (week_days.day_offset + 1)) - 1440 * week_days.day_offset as end_minute
    from schedules
    inner join week_days
        on schedules.start_minute < 1440 * (week_days.day_offset + 1)
        and schedules.end_minute > 1440 * week_days.day_offset

),

final as (

    select
        day_intervals.schedule_id,
        coalesce(exact_zone.iana_name, folded_zone.iana_name, day_intervals.time_zone) as timezone,
        case when day_intervals.day_offset = 0 then 7 else day_intervals.day_offset end as day_of_week,
        {{ zendesk_clock_time('day_intervals.start_minute') }} as start_time,
        {{ zendesk_clock_time('day_intervals.end_minute') }} as end_time,
        'zendesk.schedule' as _source_file,
        row_number() over (
            order by day_intervals.schedule_id, day_intervals.day_offset, day_intervals.start_minute
        ) as _source_row
    from day_intervals
    left join time_zones as exact_zone
        on day_intervals.time_zone = exact_zone.rails_name
    left join time_zones as folded_zone
        on lower(day_intervals.time_zone) = lower(folded_zone.rails_name)

)

select * from final
