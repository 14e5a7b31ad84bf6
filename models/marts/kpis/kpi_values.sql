{#- kpi_values: one row per KPI, grain, period and segment (see the KPI
    catalog). Event-attributed KPIs are aggregated here from their
    observations; KPIs that are states at period ends (custom) come from their
    own models, whose named columns the registry maps to value, numerator,
    denominator and sample_size. Ratios keep their additive parts so that any
    roll-up is sum(numerator) / sum(denominator). -#}
{%- set registry = kpi_registry() -%}
{%- set dimensions = ticket_dimensions() -%}
{%- set key_sets = [
    ['kpi_id', 'aggregation', 'period_date'],
    ['kpi_id', 'aggregation', 'period_week'],
    ['kpi_id', 'aggregation', 'period_month'],
] -%}
{%- set pct_kpis = registry.kpis | selectattr('unit', 'equalto', 'pct') | map(attribute='id') | list -%}
{#- A ratio in percent is x 100. -#}
{%- set pct_scale = (
    "case when kpi_id in ('" ~ pct_kpis | join("', '") ~ "') then 100.0 else 1.0 end" if pct_kpis else '1.0'
) -%}
{%- set custom_kpis = registry.kpis | selectattr('aggregation', 'equalto', 'custom') | list -%}
{%- set custom_models = custom_kpis | map(attribute='model') | unique | list -%}
{%- set limited_grain_kpis = registry.kpis | selectattr('grains', 'defined') | list -%}
with

observations as {{ not_materialized() }} (

    select * from {{ ref('int_kpi_observations_unioned') }}

),

kpi_catalog as (

    select * from {{ ref('kpi_catalog') }}

),

{% for model in custom_models %}
{{ model }} as (

    select * from {{ ref(model) }}

),

{% endfor %}
additive_daily as (

    -- Sums are additive: the day grain is aggregated from the observations,
    -- weeks and months from the (much smaller) daily groups.
    select
        kpi_id,
        aggregation,
        period_date as period_start,
        {{ grouped_dimension_columns(dimensions) }},
        count(*) as observation_count,
        count(value) as value_count,
        sum(value) as value_sum,
        sum(numerator) as numerator_sum,
        sum(denominator) as denominator_sum,
        sum(sample_weight) as sample_weight_sum
    from observations
    where aggregation in ('count', 'net', 'sum', 'mean', 'ratio')
    group by {{ dimension_grouping_sets([['kpi_id', 'aggregation', 'period_date']], dimensions) }}  -- noqa: PRS

),

additive_groups as (

    select
        'day' as grain,
        additive_daily.*
    from additive_daily
    {% for grain in ['week', 'month'] %}
    union all
    select
        '{{ grain }}' as grain,
        kpi_id,
        aggregation,
        {{ week_start('period_start') if grain == 'week' else month_start('period_start') }} as period_start,
        dimension,
        dimension_value,
        sum(observation_count) as observation_count,
        sum(value_count) as value_count,
        sum(value_sum) as value_sum,
        sum(numerator_sum) as numerator_sum,
        sum(denominator_sum) as denominator_sum,
        sum(sample_weight_sum) as sample_weight_sum
    from additive_daily
    group by 1, 2, 3, 4, 5, 6
    {% endfor %}

),

{% for aggregation, fraction in [('median', 0.5), ('p90', 0.9)] %}
{{ aggregation }}_groups as (

    select
        kpi_id,
        aggregation,
        {{ grain_of_grouping() }},
        {{ grouped_dimension_columns(dimensions) }},
        count(value) as value_count,
        {{ percentile_cont('value', fraction) }} as percentile_value
    from observations
    where aggregation = '{{ aggregation }}'
        and value is not null
    group by {{ dimension_grouping_sets(key_sets, dimensions) }}  -- noqa: PRS

),

{% endfor %}
distinct_groups as (

    select
        kpi_id,
        aggregation,
        {{ grain_of_grouping() }},
        {{ grouped_dimension_columns(dimensions) }},
        count(distinct distinct_key) as distinct_count
    from observations
    where aggregation = 'count_distinct'
    group by {{ dimension_grouping_sets(key_sets, dimensions) }}  -- noqa: PRS

),

additive_values as (

    select
        kpi_id,
        grain,
        period_start,
        dimension,
        dimension_value,
        case aggregation
            when 'count' then observation_count
            when 'net' then value_sum
            when 'sum' then value_sum
            when 'mean' then value_sum / value_count
            when 'ratio' then numerator_sum / denominator_sum * {{ pct_scale }}  -- noqa: LT05
        end as value,
        case aggregation
            when 'mean' then value_sum
            when 'ratio' then numerator_sum
        end as numerator,
        case aggregation
            when 'mean' then value_count
            when 'ratio' then denominator_sum
        end as denominator,
        sample_weight_sum as sample_size
    from additive_groups
    where not (aggregation = 'ratio' and coalesce(denominator_sum, 0) = 0)
        and not (aggregation = 'mean' and value_count = 0)

),

percentile_values as (

    {% for aggregation in ['median', 'p90'] %}
    select
        kpi_id,
        grain,
        period_start,
        dimension,
        dimension_value,
        percentile_value as value,
        cast(null as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        value_count as sample_size
    from {{ aggregation }}_groups
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

distinct_values as (

    select
        kpi_id,
        grain,
        period_start,
        dimension,
        dimension_value,
        cast(distinct_count as {{ type_double() }}) as value,
        cast(null as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        distinct_count as sample_size
    from distinct_groups

),

unioned as (

    select * from additive_values
    union all
    select * from percentile_values
    union all
    select * from distinct_values
    {% for kpi in custom_kpis %}
    {%- set kpi_dimensions = ['all'] + (registry.dimension_sets[kpi.dimension_set] if kpi.dimension_set else []) %}
    union all
    select
        '{{ kpi.id }}' as kpi_id,
        grain,
        period_start,
        dimension,
        dimension_value,
        cast({{ kpi.value }} as {{ type_double() }}) as value,
        cast({{ kpi.numerator if kpi.numerator is defined else 'null' }} as {{ type_double() }}) as numerator,
        cast({{ kpi.denominator if kpi.denominator is defined else 'null' }} as {{ type_double() }}) as denominator,
        {{ kpi.sample }} as sample_size
    from {{ kpi.model }}
    where
        dimension in ('{{ kpi_dimensions | join("', '") }}')  -- noqa: LT05
        and ({{ kpi.where if kpi.where is defined else 'true' }})
    {% endfor %}

),

final as (

    select
        cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(dimension as {{ dbt.type_string() }}) as dimension,
        cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast(value as {{ type_double() }}) as value,
        cast(numerator as {{ type_double() }}) as numerator,
        cast(denominator as {{ type_double() }}) as denominator,
        cast(sample_size as {{ dbt.type_bigint() }}) as sample_size
    from unioned
    -- A KPI whose input tables were not supplied is not computed, even where
    -- another of its inputs (e.g. tickets for deflection) has rows.
    where kpi_id in (
            select kpi_catalog.kpi_id
            from kpi_catalog
            where kpi_catalog.is_available
        )
        {% for kpi in limited_grain_kpis %}
        and not (kpi_id = '{{ kpi.id }}' and grain not in ('{{ kpi.grains | join("', '") }}'))
        {% endfor %}
        -- A dimension that does not apply to a KPI groups as null: not a segment.
        and dimension_value is not null
        and sample_size > 0

)

select * from final
