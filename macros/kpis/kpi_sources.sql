{#- Event-attributed KPIs grouped by what they read: one source per model and
    attribution column. kpi_values scans each source once per grouping and
    computes all its KPIs side by side (one column set per KPI), instead of
    first copying every observation of every KPI into one long table: the
    facts are read where they are, and an observation is never materialized.

    Each source: name (a CTE name), model, attribution (column), is_date
    (attributed_date: already a reporting-zone date), kpis, and dimensions
    (those of its KPIs' dimension sets, in ticket_dimensions() order). -#}
{% macro kpi_observation_sources(registry) %}
    {%- set sources = [] -%}
    {%- set positions = {} -%}
    {%- for kpi in registry.kpis if kpi.aggregation != 'custom' -%}
        {%- set is_date = kpi.attributed_date is defined -%}
        {%- set attribution = kpi.attributed_date if is_date else kpi.attributed_at -%}
        {%- set key = kpi.model ~ '.' ~ attribution -%}
        {%- if key not in positions -%}
            {%- do positions.update({key: sources | length}) -%}
            {%- do sources.append({
                'name': kpi.model ~ '_by_' ~ attribution,
                'model': kpi.model,
                'attribution': attribution,
                'is_date': is_date,
                'kpis': [],
                'dimensions': [],
            }) -%}
        {%- endif -%}
        {%- do sources[positions[key]].kpis.append(kpi) -%}
    {%- endfor -%}
    {%- for source in sources -%}
        {%- do source.dimensions.extend(dimensions_of(registry, source.kpis)) -%}
    {%- endfor -%}
    {{ return(sources) }}
{% endmacro %}

{#- The dimensions a KPI is published for, `all` first. -#}
{% macro kpi_dimensions(registry, kpi) -%}
    {{ return(['all'] + (registry.dimension_sets[kpi.dimension_set] if kpi.dimension_set else [])) }}
{%- endmacro %}

{#- The dimensions a group of KPIs needs between them, in ticket_dimensions() order. -#}
{% macro dimensions_of(registry, kpis) -%}
    {%- set used = [] -%}
    {%- for kpi in kpis -%}
        {%- do used.extend(kpi_dimensions(registry, kpi)) -%}
    {%- endfor -%}
    {{ return(ticket_dimensions() | select('in', used) | list) }}
{%- endmacro %}

{#- One KPI's contribution from one row of its source: null where the row is
    not one of its observations, so every aggregate skips it. -#}
{% macro kpi_contribution(kpi, expression, type) -%}
    {%- if kpi.where is defined -%}
        case when {{ kpi.where }} then cast({{ expression }} as {{ type }}) end
    {%- else -%}
        cast({{ expression }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{#- A KPI's per-observation contribution to sample_size. -#}
{% macro kpi_sample_weight(kpi) -%}
    {%- if kpi.sample is defined -%}
        {{ return(kpi.sample) }}
    {%- elif kpi.aggregation in ('mean', 'median', 'p90') -%}
        {{ return('case when ' ~ kpi.value ~ ' is null then 0 else 1 end') }}
    {%- else -%}
        {{ return('1') }}
    {%- endif -%}
{%- endmacro %}

{#- The select lists kpi_values builds per source, as lists of `expression as
    name` (joined by the model, so no loop has to place commas). -#}
{% macro kpi_contribution_columns(source) -%}
    {%- set columns = [] -%}
    {%- for kpi in source.kpis -%}
        {%- do columns.append(kpi_contribution(kpi, '1', dbt.type_bigint()) ~ ' as ' ~ kpi.id ~ '__observed') -%}
        {%- for part in ['value', 'numerator', 'denominator'] if kpi[part] is defined -%}
            {%- do columns.append(kpi_contribution(kpi, kpi[part], type_double()) ~ ' as ' ~ kpi.id ~ '__' ~ part) -%}
        {%- endfor -%}
        {%- if kpi.distinct is defined -%}
            {%- do columns.append(
                kpi_contribution(kpi, kpi.distinct, dbt.type_string()) ~ ' as ' ~ kpi.id ~ '__distinct'
            ) -%}
        {%- endif -%}
        {%- do columns.append(
            kpi_contribution(kpi, kpi_sample_weight(kpi), dbt.type_bigint()) ~ ' as ' ~ kpi.id ~ '__sample'
        ) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{% macro kpi_additive_sums(kpis) -%}
    {%- set columns = [] -%}
    {%- for kpi in kpis -%}
        {%- do columns.append('count(' ~ kpi.id ~ '__observed) as ' ~ kpi.id ~ '__observations') -%}
        {%- if kpi.value is defined -%}
            {%- do columns.append('count(' ~ kpi.id ~ '__value) as ' ~ kpi.id ~ '__value_count') -%}
        {%- endif -%}
        {%- for part in ['value', 'numerator', 'denominator'] if kpi[part] is defined -%}
            {%- do columns.append('sum(' ~ kpi.id ~ '__' ~ part ~ ') as ' ~ kpi.id ~ '__' ~ part ~ '_sum') -%}
        {%- endfor -%}
        {%- do columns.append('sum(' ~ kpi.id ~ '__sample) as ' ~ kpi.id ~ '__sample_sum') -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{% macro kpi_ordered_aggregates(kpis) -%}
    {%- set fractions = {'median': 0.5, 'p90': 0.9} -%}
    {%- set columns = [] -%}
    {%- for kpi in kpis -%}
        {%- if kpi.aggregation == 'count_distinct' -%}
            {%- do columns.append(
                'count(distinct ' ~ kpi.id ~ '__distinct) as ' ~ kpi.id ~ '__distinct_count'
            ) -%}
        {%- else -%}
            {%- do columns.append('count(' ~ kpi.id ~ '__value) as ' ~ kpi.id ~ '__value_count') -%}
            {%- do columns.append(
                percentile_cont(kpi.id ~ '__value', fractions[kpi.aggregation]) ~ ' as ' ~ kpi.id ~ '__percentile'
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- A source's rows as kpi_values aggregates them: per row its period (day,
    week, month), its dimensions (as strings) and per KPI its contribution.
    `relation` is what to read (an import CTE's name or a ref). -#}
{% macro kpi_source_rows(source, relation, plan) -%}
    {%- set period_date = (
        'cast(' ~ source.attribution ~ ' as date)' if source.is_date else reporting_date(source.attribution)
    ) -%}
    {%- set columns = [
        period_date ~ ' as period_date',
        week_start(period_date) ~ ' as period_week',
        month_start(period_date) ~ ' as period_month',
    ] -%}
    {%- for dimension in source.dimensions -%}
        {%- do columns.append('cast(' ~ dimension ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ dimension) -%}
    {%- endfor -%}
    {%- do columns.extend(kpi_contribution_columns(source)) -%}
    select
        {{ columns | join(',\n        ') }}
    from {{ relation }}
    where {{ source.attribution }} is not null
        and {{ kpi_source_rows_needed(plan, source, week_start(period_date), month_start(period_date)) }}
{%- endmacro %}

{#- Medians, percentiles and distinct counts do not add up: each (source,
    grain, dimension) is its own aggregate over the source. A quantile keeps
    every value of its groups in memory and cannot spill, and an engine builds
    every aggregate of one statement before it reads any (measured on DuckDB:
    peak memory grows with each aggregate in a union), so
    int_kpi_values_ordered runs each step as its own statement. A step lists
    the source's KPIs published for its dimension; steps without any are left
    out. -#}
{% macro kpi_ordered_steps(registry) -%}
    {%- set steps = [] -%}
    {%- for source in kpi_observation_sources(registry) -%}
        {%- set ordered_kpis = source.kpis | selectattr('aggregation', 'in', ['median', 'p90', 'count_distinct']) | list -%}
        {%- for grain, period_column in [('day', 'period_date'), ('week', 'period_week'), ('month', 'period_month')] -%}
            {%- for dimension in ['all'] + dimensions_of(registry, ordered_kpis) -%}
                {%- set kpis = [] -%}
                {%- for kpi in ordered_kpis if dimension in kpi_dimensions(registry, kpi) -%}
                    {%- do kpis.append(kpi) -%}
                {%- endfor -%}
                {%- if kpis -%}
                    {%- do steps.append({
                        'source': source,
                        'grain': grain,
                        'period_column': period_column,
                        'dimension': dimension,
                        'kpis': kpis,
                    }) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(steps) }}
{%- endmacro %}

{#- One step of int_kpi_values_ordered as a query: one row per KPI, period and
    dimension value (null sample sizes and segments included: kpi_values
    drops them). Every column is cast, so the steps inserted after the first
    fit the table the first created. -#}
{% macro kpi_ordered_step_query(step, plan) -%}
    {%- set dimension = step.dimension -%}
    {#- Only the step's KPIs and dimension: the other columns are not read. -#}
    {%- set step_source = {
        'model': step.source.model,
        'attribution': step.source.attribution,
        'is_date': step.source.is_date,
        'kpis': step.kpis,
        'dimensions': [] if dimension == 'all' else [dimension],
    } -%}
with

source_rows as (

    {{ kpi_source_rows(step_source, ref(step.source.model), plan) | indent(4) }}

),

aggregated as (

    select
        {{ step.period_column }} as period_start,
        {{ "'all'" if dimension == 'all' else dimension }} as dimension_value,
        {{ kpi_ordered_aggregates(step.kpis) | join(',\n        ') }}
    from source_rows
    {%- if dimension != 'all' %}
    where {{ dimension }} is not null
    group by {{ step.period_column }}, {{ dimension }}
    {%- else %}
    group by {{ step.period_column }}
    {%- endif %}

),

final as (

    {%- for kpi in step.kpis %}
    {%- set is_distinct = kpi.aggregation == 'count_distinct' %}
    select
        cast('{{ kpi.id }}' as {{ dbt.type_string() }}) as kpi_id,
        cast('{{ step.grain }}' as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast('{{ dimension }}' as {{ dbt.type_string() }}) as dimension,
        cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast({{ kpi.id }}__{{ 'distinct_count' if is_distinct else 'percentile' }} as {{ type_double() }}) as value,
        cast({{ kpi.id }}__{{ 'distinct_count' if is_distinct else 'value_count' }} as {{ dbt.type_bigint() }})
            as sample_size
    from aggregated
    where {{ kpi_rows_rewritten(plan, "'" ~ kpi.id ~ "'", "'" ~ step.grain ~ "'", 'aggregated.period_start') }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from final
{%- endmacro %}

{#- The steps after the first, as int_kpi_values_ordered's post-hooks, Jinja rendered when the hook runs (after the
    table exists, on every adapter's table materialization). Where the adapter runs several statements in one call,
    one hook holds them all, so the registry and the rewrite plan are worked out once, not once per step (that took
    most of the model's time); each insert is still its own statement. Spark takes one statement per hook. -#}
{% macro kpi_ordered_step_hooks(steps) -%}
    {%- if target.type != 'spark' -%}
        {{- return([
            '{%- set plan = kpi_rewrite_plan() -%}{%- for step in kpi_ordered_steps(kpi_registry())[1:] -%}'
            ~ 'insert into {{ this }} {{ kpi_ordered_step_query(step, plan) }};{% endfor %}'
        ] if steps | length > 1 else []) -}}
    {%- endif -%}
    {%- set hooks = [] -%}
    {%- for step in steps[1:] -%}
        {%- do hooks.append(
            'insert into {{ this }} {{ kpi_ordered_step_query(kpi_ordered_steps(kpi_registry())['
            ~ loop.index ~ '], kpi_rewrite_plan()) }}'
        ) -%}
    {%- endfor -%}
    {{ return(hooks) }}
{%- endmacro %}
