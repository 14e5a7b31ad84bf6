{#- kpi_values: one row per KPI, grain, period and segment (see the KPI
    catalog). Event-attributed KPIs are aggregated here straight from the
    facts they read, grouped by source (macros/kpis/kpi_sources.sql): each
    source is scanned once per grouping and all its KPIs are computed side by
    side, so no table of observations is ever written. Medians, p90 and
    distinct counts come from int_kpi_values_ordered, which builds them one
    aggregate at a time (they cannot spill). KPIs that are states
    at period ends (custom) come from their own models, whose named columns
    the registry maps to value, numerator, denominator and sample_size.
    Ratios keep their additive parts so that any roll-up is
    sum(numerator) / sum(denominator). -#}
{%- set registry = kpi_registry() -%}
{{ config(**by_period_incremental()) }}
{%- set plan = kpi_rewrite_plan() -%}
{%- set sources = kpi_observation_sources(registry) -%}
{%- set additive = ['count', 'net', 'sum', 'mean', 'ratio'] -%}
{%- set pct_kpis = registry.kpis | selectattr('unit', 'equalto', 'pct') | map(attribute='id') | list -%}
{#- A ratio in percent is x 100. -#}
{%- set pct_scale = (
    "case when kpi_id in ('" ~ pct_kpis | join("', '") ~ "') then 100.0 else 1.0 end" if pct_kpis else '1.0'
) -%}
{%- set custom_kpis = registry.kpis | selectattr('aggregation', 'equalto', 'custom') | list -%}
{%- set custom_models = custom_kpis | map(attribute='model') | unique | list -%}
{%- set limited_grain_kpis = registry.kpis | selectattr('grains', 'defined') | list -%}
{%- set additive_outputs = [] -%}
{%- for source in sources -%}
{%- for kpi in source.kpis if kpi.aggregation in additive -%}
{%- do additive_outputs.append((source, kpi)) -%}
{%- endfor -%}
{%- endfor -%}
{%- set additive_models = additive_outputs | map(attribute='0.model') | unique | list -%}
-- depends_on: {{ ref('int_kpi_periods_affected') }}
with

{% for model in additive_models %}
{{ model }} as {{ not_materialized() }} (

    select * from {{ ref(model) }}

),

{% endfor %}
kpi_catalog as (

    select * from {{ ref('kpi_catalog') }}

),

int_kpi_values_ordered as (

    select * from {{ ref('int_kpi_values_ordered') }}

),

{% for model in custom_models %}
{{ model }} as (

    select * from {{ ref(model) }}

),

{% endfor %}
{% for source in sources %}
{%- set additive_kpis = source.kpis | selectattr('aggregation', 'in', additive) | list %}
{%- set additive_dimensions = dimensions_of(registry, additive_kpis) %}
{%- if additive_kpis %}
{{ source.name }} as {{ not_materialized() }} (

    -- Per row: its period, its dimensions, and per KPI its contribution
    -- (null where the row is not one of that KPI's observations).
    {{ kpi_source_rows(source, source.model, plan) | indent(4) }}

),

{{ source.name }}_daily as (

    select
        period_date as period_start,
        {{ grouped_dimension_columns(additive_dimensions) }},
        {{ kpi_additive_sums(additive_kpis) | join(',\n        ') }}
    from {{ source.name }}
    group by {{ dimension_grouping_sets([['period_date']], additive_dimensions) }}  -- noqa: PRS

),
{%- endif %}

{% endfor %}

additive_daily as (

    -- Sums are additive: the day grain is aggregated from the facts, weeks
    -- and months from the (much smaller) daily groups.
    {%- for source, kpi in additive_outputs %}
    select
        '{{ kpi.id }}' as kpi_id,
        '{{ kpi.aggregation }}' as aggregation,
        period_start,
        dimension,
        dimension_value,
        {{ kpi.id }}__observations as observation_count,
        {{ kpi.id ~ '__value_count' if kpi.value is defined else '0' }} as value_count,
        {%- for part in ['value', 'numerator', 'denominator'] %}
        {{ kpi.id ~ '__' ~ part ~ '_sum' if kpi[part] is defined else 'cast(null as ' ~ type_double() ~ ')' }}
            as {{ part }}_sum,
        {%- endfor %}
        {{ kpi.id }}__sample_sum as sample_weight_sum
    from {{ source.name }}_daily
    where {{ kpi.id }}__observations > 0
        and dimension in ('{{ kpi_dimensions(registry, kpi) | join("', '") }}')  -- noqa: LT05
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

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

ordered_values as (

    select
        kpi_id,
        grain,
        period_start,
        dimension,
        dimension_value,
        value,
        cast(null as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        sample_size
    from int_kpi_values_ordered

),

unioned as (

    select * from additive_values
    union all
    select * from ordered_values
    {% for kpi in custom_kpis %}
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
        dimension in ('{{ kpi_dimensions(registry, kpi) | join("', '") }}')  -- noqa: LT05
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
        -- An incremental run writes only what it rewrites (macros/incremental/kpi_period_increments.sql).
        and {{ kpi_rows_rewritten(plan, 'unioned.kpi_id', 'unioned.grain', 'unioned.period_start') }}

)

select * from final
