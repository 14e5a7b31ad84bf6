{#- The KPI periods an incremental run rewrites for the KPIs read from by-ticket models: every day, ISO week and
    month holding a day that a recomputed ticket's rows fall in now, or fell in before (int_kpi_days_superseded).
    Empty when the run rewrites every KPI row. -#}
{%- set registry = kpi_registry() -%}
{#- Which sources are by ticket is known only once the graph is (not while dbt parses): wait for every source. -#}
{%- for name in kpi_observation_sources(registry) | map(attribute='model') | unique %}
-- depends_on: {{ ref(name) }}
{%- endfor %}
{%- set sources = kpi_sources_by_ticket(registry) if target.type != 'spark' else [] -%}
{%- set rewrites_all = not execute or every_ticket_changed() %}
with

-- Read only in a run that rewrites some periods (a full one compiles without it).
tickets_changed as (  -- noqa: ST03

    select * from {{ ref('int_tickets_changed') }}

),

days_superseded as (

    select * from {{ ref('int_kpi_days_superseded') }}

),

days_touched as (

    {% for source in sources if not rewrites_all -%}
    {{ kpi_days_of_changed_tickets(source, ref(source.model), 'tickets_changed') }}
    union all
    {% endfor -%}
    select days_superseded.period_date
    from days_superseded
    {%- if rewrites_all %}
    where 1 = 0
    {%- endif %}

),

days as (

    select distinct period_date from days_touched

),

final as (

    select
        cast('day' as {{ dbt.type_string() }}) as grain,
        period_date as period_start
    from days
    union
    select
        cast('week' as {{ dbt.type_string() }}) as grain,
        {{ week_start('period_date') }} as period_start
    from days
    union
    select
        cast('month' as {{ dbt.type_string() }}) as grain,
        {{ month_start('period_date') }} as period_start
    from days

)

select * from final
