{#- Incremental KPI values by period (README and DECISIONS.md, "Daily runs"). kpi_values and
    int_kpi_values_ordered are incremental: a run rewrites, for the KPIs read from by-ticket models (their rows
    replaced by ticket, macros/incremental/ticket_increments.sql), only the periods in int_kpi_periods_affected:
    every day, week and month a recomputed ticket's rows fell in before this run or fall in now. Those periods are
    recomputed from all their observations, never merged, so medians, p90 and distinct counts stay exact. KPIs read
    from other models (surveys, sessions, revenue, period-end states) are small and rewritten whole. When every
    ticket is recomputed, so is every KPI row. Spark keeps them as tables, rebuilt whole. -#}

{#- The config of kpi_values and int_kpi_values_ordered. -#}
{% macro by_period_incremental() -%}
    {{- return(incremental_after(pre_hook="{{ delete_rewritten_kpi_rows() }}")) -}}
{%- endmacro %}


{#- Whether a project model replaces its rows by ticket (its config runs delete_changed_tickets). -#}
{% macro is_by_ticket_model(name) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set node = project_model_node(name) -%}
    {#- The graph names the config key as the project does: `pre-hook`. -#}
    {%- set hooks = (node.config.get('pre-hook') or node.config.get('pre_hook') or []) if node else [] -%}
    {%- for hook in hooks if 'delete_changed_tickets' in (hook.sql if hook.sql is defined else hook | string) -%}
        {{- return(true) -}}
    {%- endfor -%}
    {{- return(false) -}}
{%- endmacro %}


{#- The KPI sources (kpi_observation_sources) whose model replaces its rows by ticket: their KPIs are rewritten by
    period. -#}
{% macro kpi_sources_by_ticket(registry) -%}
    {%- set found = [] -%}
    {%- for source in kpi_observation_sources(registry) if is_by_ticket_model(source.model) -%}
        {%- do found.append(source) -%}
    {%- endfor -%}
    {{- return(found) -}}
{%- endmacro %}


{#- What this model run rewrites, worked out once per rendering (a query and graph lookups each): `some` (only
    some KPI rows: an incremental run that does not recompute every ticket), `ids` (the KPIs rewritten by period)
    and `models` (their source models). -#}
{% macro kpi_rewrite_plan() -%}
    {%- set some = is_incremental() and not every_ticket_changed() -%}
    {%- set sources = kpi_sources_by_ticket(kpi_registry()) if some else [] -%}
    {{- return({
        'some': some,
        'ids': sources | map(attribute='kpis') | sum(start=[]) | map(attribute='id') | list,
        'models': sources | map(attribute='model') | unique | list,
    }) -}}
{%- endmacro %}


{#- The reporting days a by-ticket KPI source's rows of the changed tickets (`changed`: the caller's import CTE of
    int_tickets_changed) fall in, in `relation`: the model now, or as the previous run left it. -#}
{% macro kpi_days_of_changed_tickets(source, relation, changed) -%}
    select {{ 'cast(' ~ source.attribution ~ ' as date)' if source.is_date else reporting_date(source.attribution) }}
        as period_date
    from {{ relation }}
    where {{ source.attribution }} is not null
        and ticket_id in (select {{ changed }}.ticket_id from {{ changed }})
{%- endmacro %}


{#- A where-condition holding for the KPI rows the plan rewrites: every row of a KPI rewritten whole, and the rows
    of the affected periods of the others. The caller names its columns qualified by their relation: unqualified,
    they would name the affected periods' own in the subquery. -#}
{% macro kpi_rows_rewritten(plan, kpi_column, grain_column, period_column) -%}
    {%- if plan.some and plan.ids -%}
        ({{ kpi_column }} not in ('{{ plan.ids | join("', '") }}')
            or exists (
                select 1 from {{ ref('int_kpi_periods_affected') }} as affected
                where affected.grain = {{ grain_column }} and affected.period_start = {{ period_column }}
            ))
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}


{#- A where-condition keeping the source rows an affected period needs: every row of its months and weeks (a week
    can reach into a month not affected). Every row of a source not read by ticket, or in a run rewriting all. -#}
{% macro kpi_source_rows_needed(plan, source, week_expression, month_expression) -%}
    {%- if plan.some and source.model in plan.models -%}
        ({{ month_expression }} in (
                select affected.period_start from {{ ref('int_kpi_periods_affected') }} as affected
                where affected.grain = 'month'
            )
            or {{ week_expression }} in (
                select affected.period_start from {{ ref('int_kpi_periods_affected') }} as affected
                where affected.grain = 'week'
            ))
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}


{#- The pre-hook: the rows about to be rewritten go first, in the same transaction as the append. -#}
{% macro delete_rewritten_kpi_rows() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as stale
        where {{ kpi_rows_rewritten(kpi_rewrite_plan(), 'stale.kpi_id', 'stale.grain', 'stale.period_start') }}
    {%- endif -%}
{%- endmacro %}


{#- int_kpi_days_superseded's pre-hook: days a recorded run has rewritten are done with. A run is recorded only
    when it built every incremental model, kpi_values included, so each row written by a run that started no later
    than the last recorded one was rewritten by that run. -#}
{% macro forget_rewritten_kpi_days() -%}
    {%- if is_incremental() -%}
        {%- set marks = watermark_relation() -%}
        {%- set found = adapter.get_relation(marks.database, marks.schema, marks.identifier) -%}
        {%- if found is not none -%}
            delete from {{ this }}
            where superseded_by_run_at <= (select max(recorded_at) from {{ found }})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
