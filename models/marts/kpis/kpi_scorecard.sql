{#- For the latest complete period of each grain (the one before the period
    holding the as-of time), each KPI's overall value against its target,
    with the previous period's value. A count KPI without a row is 0.
    Status follows the KPI's direction; neutral KPIs, and KPIs without a
    target or a value, are `no_target`. -#}
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

scored_periods as (

    {% for grain, current_start, unit in [
        ('day', 'as_of_date', 'day'),
        ('week', week_start('as_of_date'), 'week'),
        ('month', month_start('as_of_date'), 'month'),
    ] %}
    select
        '{{ grain }}' as grain,
        cast({{ dbt.dateadd(unit, -1, current_start) }} as date) as period_start,
        cast({{ dbt.dateadd(unit, -2, current_start) }} as date) as previous_period_start
    from reporting_bounds
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

final as (

    select
        grain,
        period_start,
        kpi_id,
        name,
        unit,
        direction,
        value,
        previous_period_start,
        previous_value,
        value - previous_value as change_from_previous,
        target,
        case
            when target is null or value is null or direction = 'neutral' then 'no_target'
            when direction = 'higher_is_better' and value >= target then 'on_target'
            when direction = 'lower_is_better' and value <= target then 'on_target'
            else 'off_target'
        end as status,
        catalog_order
    from joined

)

select * from final
