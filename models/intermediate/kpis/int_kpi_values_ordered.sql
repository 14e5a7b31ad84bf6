{#- Medians, p90 and distinct counts of event-attributed KPIs, one row per
    KPI, grain, period, dimension and dimension value; kpi_values publishes
    them. Built one aggregate per statement (see kpi_ordered_steps in
    macros/kpis/kpi_sources.sql): this query is the first step, and each
    other step is a post-hook inserting into the table, so only one step's
    quantile state is ever in memory. -#}
{%- set steps = kpi_ordered_steps(kpi_registry()) -%}
{{ config(post_hook=kpi_ordered_step_hooks(steps), **by_period_incremental()) }}
-- depends_on: {{ ref('int_kpi_periods_affected') }}
{#- The hooks read every source model: declare them all. -#}
{%- for model in steps | map(attribute='source.model') | unique %}
-- depends_on: {{ ref(model) }}
{%- endfor %}
{% if steps %}
{{ kpi_ordered_step_query(steps[0], kpi_rewrite_plan()) }}
{% else %}
with

final as (

    select
        cast(null as {{ dbt.type_string() }}) as kpi_id,
        cast(null as {{ dbt.type_string() }}) as grain,
        cast(null as date) as period_start,
        cast(null as {{ dbt.type_string() }}) as dimension,
        cast(null as {{ dbt.type_string() }}) as dimension_value,
        cast(null as {{ type_double() }}) as value,
        cast(null as {{ dbt.type_bigint() }}) as sample_size

)

select * from final
where false
{% endif %}
