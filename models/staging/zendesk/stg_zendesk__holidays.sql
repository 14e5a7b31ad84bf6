{#- The contract's `holidays` from the connector's `schedule_holiday` table, in the raw table's shape: one row per
    local date from start_date to end_date inclusive. Deleted holidays and holidays of deleted schedules are left
    out. -#}
with

holidays as (

    select * from {{ ref('base_zendesk__schedule_holiday') }}
    where not is_fivetran_deleted

),

schedules as (

    select distinct schedule_id from {{ ref('stg_zendesk__business_schedules') }}

),

days as (

    {{ date_range(
        "(select min(start_date) from " ~ ref('base_zendesk__schedule_holiday') ~ ")",
        "(select max(end_date) from " ~ ref('base_zendesk__schedule_holiday') ~ ")"
    ) }}

),

final as (

    select
        holidays.schedule_id,
        days.date_day as holiday_date,
        min(holidays.holiday_name) as name,
        'zendesk.schedule_holiday' as _source_file,
        row_number() over (order by holidays.schedule_id, days.date_day) as _source_row
    from holidays
    inner join schedules
        on holidays.schedule_id = schedules.schedule_id
    inner join days
        on days.date_day between holidays.start_date and holidays.end_date
    group by holidays.schedule_id, days.date_day

)

select * from final
