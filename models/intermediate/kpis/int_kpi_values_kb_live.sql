{#- Articles published by a period's end and not archived by then
    (kb_articles_live), from a running sum of +1 at publish and -1 at archive
    over a days spine; the end is the next period's start (exclusive) or the
    as-of time. An archive stamped before its publish never makes the article
    live. -#}
with

articles as (

    select * from {{ ref('fct_kb_articles') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

live_changes as (

    select
        {{ reporting_date('published_at') }} as change_date,
        1 as live_delta
    from articles
    where published_at is not null
        and (archived_at is null or archived_at >= published_at)

    union all

    select
        {{ reporting_date('archived_at') }} as change_date,
        -1 as live_delta
    from articles
    where published_at is not null
        and archived_at >= published_at

),

daily_changes as (

    select
        change_date,
        sum(live_delta) as live_delta
    from live_changes
    group by change_date

),

days as (

    {{ date_range(
        '(select min(change_date) from daily_changes)',
        '(select as_of_date from reporting_bounds)'
    ) }}

),

daily_live as (

    select
        days.date_day,
        sum(coalesce(daily_changes.live_delta, 0)) over (
            order by days.date_day
            rows between unbounded preceding and current row
        ) as live_articles
    from days
    left join daily_changes
        on days.date_day = daily_changes.change_date

),

period_ends as (

    {{ period_end_states('daily_live', [], ['live_articles']) }}

),

final as (

    select
        grain,
        period_start,
        'all' as dimension,
        'all' as dimension_value,
        cast(live_articles as {{ dbt.type_bigint() }}) as live_articles
    from period_ends
    where days_from_end = 1
        and live_articles > 0

)

select * from final
