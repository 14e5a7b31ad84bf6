{#- The business-hours schedules in force, one row per schedule, weekday and
    opening: the user's business_schedules file when it has rows, else the
    shipped seed. When the user's file has no `default` schedule, the seed's
    `default` (the contract's Mon–Fri 09:00–17:00 UTC) is added, so tickets
    without a schedule still have business hours. Times are parsed into seconds
    of the local day and every row says whether the clock can use it. -#}
with

staged_schedules as (

    select * from {{ ref('stg_business_schedules') }}

),

seeded_schedules as (

    select * from {{ ref('business_schedules') }}

),

known_timezones as (

    {{ business_time_known_timezones() }}

),

user_schedules as (

    select
        schedule_id,
        timezone,
        day_of_week,
        start_time,
        end_time,
        'user' as config_source
    from staged_schedules

),

user_schedules_presence as (

    select
        count(*) as user_row_count,
        sum(case when schedule_id = 'default' then 1 else 0 end) as user_default_row_count
    from user_schedules

),

shipped_schedules as (

    select
        cast(seeded_schedules.schedule_id as {{ dbt.type_string() }}) as schedule_id,
        cast(seeded_schedules.timezone as {{ dbt.type_string() }}) as timezone,
        cast(seeded_schedules.day_of_week as {{ dbt.type_bigint() }}) as day_of_week,
        cast(seeded_schedules.start_time as {{ dbt.type_string() }}) as start_time,
        cast(seeded_schedules.end_time as {{ dbt.type_string() }}) as end_time,
        'seed' as config_source
    from seeded_schedules
    cross join user_schedules_presence
    where user_schedules_presence.user_row_count = 0
        or (
            seeded_schedules.schedule_id = 'default'
            and user_schedules_presence.user_default_row_count = 0
        )

),

unioned as (

    select * from user_schedules
    union all
    select * from shipped_schedules

),

canonical_timezones as (

    select
        lower(timezone_name) as timezone_key,
        min(timezone_name) as timezone_name
    from known_timezones
    group by lower(timezone_name)

),

parsed as (

    select
        unioned.schedule_id,
        coalesce(canonical_timezones.timezone_name, unioned.timezone) as timezone,
        unioned.day_of_week,
        unioned.start_time,
        unioned.end_time,
        {{ business_time_seconds_of_day('unioned.start_time') }} as start_second_of_day,
        {{ business_time_seconds_of_day('unioned.end_time') }} as end_second_of_day,
        canonical_timezones.timezone_name is not null as is_known_timezone,
        unioned.config_source
    from unioned
    left join canonical_timezones
        on lower(trim(unioned.timezone)) = canonical_timezones.timezone_key

),

final as (

    select
        schedule_id,
        timezone,
        day_of_week,
        start_time,
        end_time,
        start_second_of_day,
        end_second_of_day,
        is_known_timezone,
        coalesce(
            schedule_id is not null
            and is_known_timezone
            and day_of_week between 1 and 7
            and start_second_of_day < end_second_of_day,
            false
        ) as is_usable,
        config_source
    from parsed

)

select * from final
