{#- MetricFlow's time spine (dbt's semantic layer needs one): one row per
    day, never per ticket and day. A fixed range rather than the data's: it
    costs ~47,000 rows, and a warehouse with customers since the 1990s or
    costs planned years ahead needs no rebuild of it. -#}
with

days as (

    {{ date_range("'1970-01-01'", "'2099-12-31'") }}

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
