{#- For the reported period of each grain, each KPI's overall value against
    its target, with the previous period's value and the change. The reported
    period is the latest complete one (the one before the period holding the
    as-of time); when that period holds no KPI value at all (a first export
    that covers only the running month), it is the latest period that does,
    labelled "to date". A count KPI without a row is 0. Status follows the
    KPI's direction; neutral KPIs, and KPIs without a target or a value, are
    `no_target`. Changes of pct and score KPIs are in points, of every other
    unit relative. -#}
{%- set grains = [
    ('day', 'as_of_date'),
    ('week', week_start('as_of_date')),
    ('month', month_start('as_of_date')),
] -%}
with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

kpi_catalog as (

    select * from {{ ref('kpi_catalog') }}

),

targets as (

    select * from {{ ref('int_kpi_targets_selected') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

overall_periods as (

    select distinct
        grain,
        period_start
    from kpi_values
    where dimension = 'all'

),

running_periods as (

    {% for grain, running_start in grains %}
    select
        '{{ grain }}' as grain,
        cast({{ running_start }} as date) as running_period_start,
        cast({{ dbt.dateadd(grain, -1, running_start) }} as date) as complete_period_start
    from reporting_bounds
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

periods_with_data as (

    select
        running_periods.grain,
        running_periods.running_period_start,
        running_periods.complete_period_start,
        max(
            case when overall_periods.period_start = running_periods.complete_period_start then 1 else 0 end
        ) as complete_period_has_data,
        max(overall_periods.period_start) as latest_period_with_data
    from running_periods
    left join overall_periods
        on running_periods.grain = overall_periods.grain
        and running_periods.running_period_start >= overall_periods.period_start
    group by
        running_periods.grain,
        running_periods.running_period_start,
        running_periods.complete_period_start

),

reported_periods as (

    select
        grain,
        running_period_start,
        case
            when complete_period_has_data = 1 or latest_period_with_data is null then complete_period_start
            else latest_period_with_data
        end as period_start
    from periods_with_data

),

scored_periods as (

    {% for grain, _ in grains %}
    select
        grain,
        period_start,
        cast({{ dbt.dateadd(grain, 1, 'period_start') }} as date) as period_end,
        period_start < running_period_start as is_complete_period,
        {{ period_label(grain, 'period_start', 'period_start < running_period_start') }} as period_label,
        cast({{ dbt.dateadd(grain, -1, 'period_start') }} as date) as previous_period_start
    from reported_periods
    where grain = '{{ grain }}'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

kpi_periods as (

    select
        kpi_catalog.kpi_id,
        kpi_catalog.name,
        kpi_catalog.unit,
        kpi_catalog.direction,
        kpi_catalog.catalog_order,
        scored_periods.grain,
        scored_periods.period_start,
        scored_periods.period_end,
        scored_periods.is_complete_period,
        scored_periods.period_label,
        scored_periods.previous_period_start
    from kpi_catalog
    inner join scored_periods
        on {{ dbt.position("',' || scored_periods.grain || ','", "',' || kpi_catalog.grains || ','") }} > 0
    where kpi_catalog.is_available

),

overall_values as (

    select * from kpi_values
    where dimension = 'all'

),

joined as (

    select
        kpi_periods.*,
        coalesce(current_values.value, case when kpi_periods.unit = 'count' then 0 end) as value,
        coalesce(previous_values.value, case when kpi_periods.unit = 'count' then 0 end) as previous_value,
        coalesce(current_values.sample_size, 0) as sample_size,
        targets.target
    from kpi_periods
    left join overall_values as current_values
        on kpi_periods.kpi_id = current_values.kpi_id
        and kpi_periods.grain = current_values.grain
        and kpi_periods.period_start = current_values.period_start
    left join overall_values as previous_values
        on kpi_periods.kpi_id = previous_values.kpi_id
        and kpi_periods.grain = previous_values.grain
        and kpi_periods.previous_period_start = previous_values.period_start
    left join targets
        on kpi_periods.kpi_id = targets.kpi_id

),

change_kinds as (

    select
        *,
        value - previous_value as change_from_previous,
        case
            when unit in ('pct', 'score') then 'points'
            else 'relative'
        end as change_kind
    from joined

),

changes as (

    select
        *,
        case
            when change_kind = 'relative' and previous_value <> 0
                then 100 * change_from_previous / abs(previous_value)
        end as change_pct
    from change_kinds

),

final as (

    select
        grain,
        period_start,
        period_end,
        is_complete_period,
        period_label,
        kpi_id,
        name,
        unit,
        direction,
        value,
        sample_size,
        previous_period_start,
        previous_value,
        change_from_previous,
        change_kind,
        change_pct,
        case
            when value is null then 'no value'
            when previous_value is null then 'no previous value'
            when change_kind = 'points' then {{ signed_one_decimal_text('change_from_previous') }} || ' points'
            when change_pct is not null then {{ signed_one_decimal_text('change_pct') }} || '%'
            when value = 0 then 'no change'
            else 'up from 0'
        end as change_label,
        target,
        case
            when target is null or value is null or direction = 'neutral' then 'no_target'
            when direction = 'higher_is_better' and value >= target then 'on_target'
            when direction = 'lower_is_better' and value <= target then 'on_target'
            else 'off_target'
        end as status,
        catalog_order
    from changes

)

select * from final
