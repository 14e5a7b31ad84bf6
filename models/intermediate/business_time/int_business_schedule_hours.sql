{#- The opening hours of each schedule and weekday as disjoint wall-clock
    ranges [open, close) in seconds of the local day. Overlapping or touching
    rows of the same day are merged: an instant is open when any row covers
    it, and must not count twice. -#}
with

schedules as (

    select * from {{ ref('int_business_schedules_selected') }}

),

usable_rows as (

    select
        schedule_id,
        day_of_week,
        start_second_of_day,
        end_second_of_day
    from schedules
    where is_usable

),

rows_with_reach_so_far as (

    select
        schedule_id,
        day_of_week,
        start_second_of_day,
        end_second_of_day,
        max(end_second_of_day) over (
            partition by schedule_id, day_of_week
            order by start_second_of_day, end_second_of_day
            rows between unbounded preceding and 1 preceding
        ) as previous_reach_second
    from usable_rows

),

island_starts_flagged as (

    select
        schedule_id,
        day_of_week,
        start_second_of_day,
        end_second_of_day,
        case
            when previous_reach_second is null or start_second_of_day > previous_reach_second then 1
            else 0
        end as is_island_start
    from rows_with_reach_so_far

),

islands_numbered as (

    select
        schedule_id,
        day_of_week,
        start_second_of_day,
        end_second_of_day,
        sum(is_island_start) over (
            partition by schedule_id, day_of_week
            order by start_second_of_day, end_second_of_day
            rows between unbounded preceding and current row
        ) as island_number
    from island_starts_flagged

),

merged as (

    select
        schedule_id,
        day_of_week,
        min(start_second_of_day) as open_second_of_day,
        max(end_second_of_day) as close_second_of_day
    from islands_numbered
    group by schedule_id, day_of_week, island_number

),

final as (

    select
        schedule_id,
        day_of_week,
        cast(open_second_of_day as {{ dbt.type_bigint() }}) as open_second_of_day,
        cast(close_second_of_day as {{ dbt.type_bigint() }}) as close_second_of_day,
        cast(close_second_of_day - open_second_of_day as {{ dbt.type_bigint() }}) as open_seconds
    from merged

)

select * from final
