{#- The holidays in force, one row per schedule and local date: the user's
    holidays file when it has rows, else the shipped seed's holidays of the
    schedules that come from the seed (shipped holidays never land on a
    schedule the user defined: a user's `emea` need not keep UK bank holidays). -#}
with

staged_holidays as (

    select * from {{ ref('stg_holidays') }}

),

seeded_holidays as (

    select * from {{ ref('holidays') }}

),

schedules as (

    select * from {{ ref('int_business_schedules_selected') }}

),

user_holidays as (

    select
        schedule_id,
        holiday_date,
        holiday_name,
        'user' as config_source
    from staged_holidays

),

user_holidays_presence as (

    select count(*) as user_row_count from user_holidays

),

seed_schedules as (

    select distinct schedule_id
    from schedules
    where config_source = 'seed'

),

shipped_holidays as (

    select
        cast(seeded_holidays.schedule_id as {{ dbt.type_string() }}) as schedule_id,
        cast(seeded_holidays.holiday_date as date) as holiday_date,
        cast(seeded_holidays.name as {{ dbt.type_string() }}) as holiday_name,
        'seed' as config_source
    from seeded_holidays
    inner join seed_schedules
        on seeded_holidays.schedule_id = seed_schedules.schedule_id
    cross join user_holidays_presence
    where user_holidays_presence.user_row_count = 0

),

unioned as (

    select * from user_holidays
    union all
    select * from shipped_holidays

),

deduplicated as (

    select
        schedule_id,
        holiday_date,
        min(holiday_name) as holiday_name,
        min(config_source) as config_source
    from unioned
    where schedule_id is not null
        and holiday_date is not null
    group by schedule_id, holiday_date

),

final as (

    select * from deduplicated

)

select * from final
