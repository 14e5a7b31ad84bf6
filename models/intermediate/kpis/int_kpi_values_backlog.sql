{#- Open tickets at each period's end, per dimension (backlog_open_tickets;
    the registry maps open_tickets to its value).
    A ticket adds 1 when created and flips by -1/+1 at each status change that
    closes or reopens it, so the backlog at an instant is a running sum of
    these changes: the model grows as (changes + days x segments), never as
    tickets x days. A change stamped before its ticket's creation takes effect
    at the creation. -#}
{%- set dimensions = ticket_dimensions() -%}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

status_changes as (

    select * from {{ ref('int_ticket_status_changes_classified') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

open_state_changes as (

    select
        ticket_id,
        created_at as effective_at,
        1 as open_delta
    from tickets

    union all

    select
        ticket_id,
        case when occurred_at < ticket_created_at then ticket_created_at else occurred_at end as effective_at,
        case when is_solved_after then -1 else 1 end as open_delta
    from status_changes
    where is_solved_after <> is_solved_before

),

dated_changes as (

    select
        {% for dimension in dimensions %}
        tickets.{{ dimension }},
        {% endfor %}
        {{ reporting_date('open_state_changes.effective_at') }} as change_date,
        open_state_changes.open_delta
    from open_state_changes
    inner join tickets
        on open_state_changes.ticket_id = tickets.ticket_id

),

daily_changes as (

    select
        change_date,
        {{ grouped_dimension_columns(dimensions) }},
        sum(open_delta) as open_delta
    from dated_changes
    group by {{ dimension_grouping_sets([['change_date']], dimensions) }}  -- noqa: PRS

),

segments as (

    select distinct
        dimension,
        dimension_value
    from daily_changes

),

days as (

    {{ date_range(
        '(select min(change_date) from daily_changes)',
        '(select as_of_date from reporting_bounds)'
    ) }}

),

daily_backlog as (

    select
        days.date_day,
        segments.dimension,
        segments.dimension_value,
        sum(coalesce(daily_changes.open_delta, 0)) over (
            partition by segments.dimension, segments.dimension_value
            order by days.date_day
            rows between unbounded preceding and current row
        ) as open_tickets
    from days
    cross join segments
    left join daily_changes
        on days.date_day = daily_changes.change_date
        and segments.dimension = daily_changes.dimension
        and segments.dimension_value = daily_changes.dimension_value

),

period_ends as (

    {{ period_end_states('daily_backlog', ['dimension', 'dimension_value'], ['open_tickets']) }}

),

final as (

    select
        grain,
        period_start,
        dimension,
        dimension_value,
        cast(open_tickets as {{ dbt.type_bigint() }}) as open_tickets
    from period_ends
    where days_from_end = 1
        and open_tickets > 0

)

select * from final
