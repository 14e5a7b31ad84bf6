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
