{#- Every observation of every event-attributed KPI, one row each, derived
    from the KPI registry (macros/kpis/kpi_registry.sql): the period date it
    is attributed to (reporting time zone), its dimension values (null where a
    dimension does not apply to the KPI), and its contribution: `value` for
    means, medians, percentiles and net counts, `numerator`/`denominator` for
    ratios. -#}
{%- set registry = kpi_registry() -%}
{%- set dimensions = ticket_dimensions() -%}
{%- set kpis = registry.kpis | rejectattr('aggregation', 'equalto', 'custom') | list -%}
{%- set models = kpis | map(attribute='model') | unique | list -%}
with

{% for model in models %}
{{ model }} as {{ not_materialized() }} (

    select * from {{ ref(model) }}

),

{% endfor %}
observations as (

    {% for kpi in kpis %}
    {%- set kpi_dimensions = registry.dimension_sets[kpi.dimension_set] if kpi.dimension_set else [] %}
    select
        '{{ kpi.id }}' as kpi_id,
        '{{ kpi.aggregation }}' as aggregation,
        {% if kpi.attributed_date is defined -%}
        cast({{ kpi.attributed_date }} as date) as period_date,
        {%- else -%}
        {{ reporting_date(kpi.attributed_at) }} as period_date,
        {%- endif %}
        {%- for dimension in dimensions %}
        {% if dimension in kpi_dimensions -%}
        cast({{ dimension }} as {{ dbt.type_string() }})
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as {{ dimension }},
        {%- endfor %}
        cast({{ kpi.value if kpi.value is defined else 'null' }} as {{ type_double() }}) as value,
        cast({{ kpi.numerator if kpi.numerator is defined else 'null' }} as {{ type_double() }}) as numerator,
        cast({{ kpi.denominator if kpi.denominator is defined else 'null' }} as {{ type_double() }}) as denominator,
        cast({{ kpi.distinct if kpi.distinct is defined else 'null' }} as {{ dbt.type_string() }}) as distinct_key,
        {% if kpi.sample is defined -%}
        cast({{ kpi.sample }} as {{ dbt.type_bigint() }})
        {%- elif kpi.aggregation in ('mean', 'median', 'p90') -%}
        case when {{ kpi.value }} is null then 0 else 1 end
        {%- else -%}
        1
        {%- endif %} as sample_weight
    from {{ kpi.model }}
    where {{ kpi.attributed_date if kpi.attributed_date is defined else kpi.attributed_at }} is not null
        {%- if kpi.where is defined %} and ({{ kpi.where }}){% endif %}
    {% if not loop.last %}
    union all
    {% endif %}
    {%- endfor %}

),

final as (

    select
        kpi_id,
        aggregation,
        period_date,
        {{ week_start('period_date') }} as period_week,
        {{ month_start('period_date') }} as period_month,
        {% for dimension in dimensions -%}
        {{ dimension }},
        {% endfor -%}
        value,
        numerator,
        denominator,
        distinct_key,
        sample_weight
    from observations

)

select * from final
