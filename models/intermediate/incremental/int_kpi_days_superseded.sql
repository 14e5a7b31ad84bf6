{#- The reporting days that recomputed tickets' rows fell in before this run replaced them: kpi_values must rewrite
    those days (and their weeks and months) even when a ticket's rows now fall elsewhere or are gone. Read from the
    by-ticket KPI sources as the previous run left them, so those models run after this one. A run that failed
    before kpi_values leaves its days here, and the next run rewrites them too (forget_rewritten_kpi_days drops
    them once a recorded run has). -#}
{{ config(**incremental_after(pre_hook="{{ forget_rewritten_kpi_days() }}")) }}
{%- set sources = kpi_sources_by_ticket(kpi_registry()) if execute and target.type != 'spark' else [] -%}
{%- for source in sources -%}
{%- if model.unique_id not in project_model_node(source.model).depends_on.nodes -%}
{{ exceptions.raise_compiler_error(
    source.model ~ " is a by-ticket KPI source: it must declare `-- depends_on: {{ ref('int_kpi_days_superseded') }}`"
    ~ " so that this model reads its rows before they are replaced."
) }}
{%- endif -%}
{%- endfor -%}
{%- set rewrites_all = not execute or every_ticket_changed() -%}
with

tickets_changed as (

    select * from {{ ref('int_tickets_changed') }}

),

superseded as (

    {% for source in sources if not rewrites_all -%}
    {%- set previous = existing_model(source.model) -%}
    {%- if previous is not none -%}
    {{ kpi_days_of_changed_tickets(source, previous, 'tickets_changed') }}
    union all
    {% endif -%}
    {% endfor -%}
    select cast(null as date) as period_date
    from tickets_changed
    where 1 = 0

),

final as (

    select distinct
        cast(period_date as date) as period_date,
        {{ run_started_at_literal() }} as superseded_by_run_at
    from superseded

)

select * from final
