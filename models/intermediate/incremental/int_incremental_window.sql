{#- One row: the stretch of loads this run covers (raw rows loaded, and rows the gate set aside, after the last
    recorded run) and whether it must recompute every ticket, and why. Change detection reads the loader's
    bookkeeping (`_loaded_at`, `_set_aside_at`) in raw and quarantine directly: staging hides it. -#}
{%- set inputs = ticket_inputs() -%}
{%- set tables = {} -%}
{%- for table in inputs -%}
{%- do tables.update({table: {'raw': loader_table(table), 'quarantine': loader_table(table, quarantine=true)}}) -%}
{%- endfor -%}
{%- set is_contract = var('source', 'contract') == 'contract' -%}
{%- set configuration_tables = [] -%}
{%- for table, reach in inputs.items() if reach == 'all' -%}
{%- do configuration_tables.append("'" ~ table ~ "'") -%}
{%- endfor -%}
{%- set configuration_tables = configuration_tables | join(', ') -%}
{%- set unstamped = [] -%}
{%- for table, found in tables.items() if found.raw.exists and not found.raw.stamped -%}
{%- do unstamped.append(table) -%}
{%- endfor -%}
{#- Sources without load times recompute every ticket whatever the window says. -#}
{%- set fixed_reason = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
{%- if not is_contract -%}
{%- set fixed_reason = "'the " ~ var('source') ~ " source has no load times'" -%}
{%- elif unstamped -%}
{%- set fixed_reason = "'raw tables without load times: " ~ (unstamped | join(', ')) ~ "'" -%}
{%- endif -%}
with

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

kpi_catalog as (

    select * from {{ ref('kpi_catalog') }}

),

previous_window as (

    {{ previous_watermark() }}

),

loads as (

    {% for table, found in tables.items() if found.raw.exists and found.raw.stamped -%}
    select
        '{{ table }}' as table_name,
        max(_loaded_at) as loaded_through,
        min(_loaded_at) as first_loaded_at,
        sum(case when _loaded_at > (select loaded_through from previous_window) then 1 else 0 end) as rows_loaded_after
    from {{ found.raw.relation }}
    union all
    {% endfor -%}
    select
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_timestamp() }}) as loaded_through,
        cast(null as {{ dbt.type_timestamp() }}) as first_loaded_at,
        0 as rows_loaded_after

),

set_asides as (

    {% for table, found in tables.items() if found.quarantine.exists and found.quarantine.stamped -%}
    select
        '{{ table }}' as table_name,
        max(_set_aside_at) as set_aside_through,
        sum(
            case when _set_aside_at > (select set_aside_through from previous_window) then 1 else 0 end
        ) as rows_set_aside_after
    from {{ found.quarantine.relation }}
    union all
    {% endfor -%}
    select
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_timestamp() }}) as set_aside_through,
        0 as rows_set_aside_after

),

kpis_available as (

    -- kpi_values rewrites a KPI read from ticket models only where tickets changed: one that became available
    -- (a switch var, a table supplied) or unavailable needs every period.
    select {{ dbt.listagg('kpi_catalog.kpi_id', "','", 'order by kpi_catalog.kpi_id') }} as kpi_ids
    from kpi_catalog
    where kpi_catalog.is_available

),

ticket_targets_given as (

    {% if tables.ticket_sla_targets.raw.exists -%}
    select count(*) > 0 as has_ticket_targets from {{ tables.ticket_sla_targets.raw.relation }}
    {%- else -%}
    select false as has_ticket_targets
    {%- endif %}

),

load_summary as (

    select
        max(loads.loaded_through) as loaded_through,
        min(case when loads.table_name = 'tickets' then loads.first_loaded_at end) as first_loaded_at,
        sum(
            case when loads.table_name in ({{ configuration_tables }}) then loads.rows_loaded_after else 0 end
        ) as configuration_rows_loaded
    from loads

),

set_aside_summary as (

    select
        max(set_asides.set_aside_through) as set_aside_through,
        sum(
            case
                when set_asides.table_name in ({{ configuration_tables }}) then set_asides.rows_set_aside_after
                else 0
            end
        ) as configuration_rows_set_aside
    from set_asides

),

current_window as (

    select
        load_summary.loaded_through,
        set_aside_summary.set_aside_through,
        load_summary.first_loaded_at,
        reporting_bounds.as_of_at,
        '{{ ticket_vars_fingerprint() | replace("'", "''") }}'
        || case when ticket_targets_given.has_ticket_targets then ' with ticket targets' else '' end
        || ' KPIs available: ' || coalesce(kpis_available.kpi_ids, '') as fingerprint,
        load_summary.configuration_rows_loaded
        + set_aside_summary.configuration_rows_set_aside as configuration_rows_changed
    from load_summary
    cross join set_aside_summary
    cross join ticket_targets_given
    cross join kpis_available
    cross join reporting_bounds

),

reasoned as (

    select
        previous_window.loaded_through as previous_loaded_through,
        previous_window.set_aside_through as previous_set_aside_through,
        previous_window.as_of_at as previous_as_of_at,
        current_window.loaded_through,
        current_window.set_aside_through,
        current_window.first_loaded_at,
        current_window.as_of_at,
        current_window.fingerprint,
        coalesce(
            {{ fixed_reason }},
            case
                when previous_window.fingerprint is null then 'no earlier run recorded its window'
                when previous_window.fingerprint <> current_window.fingerprint
                    then 'vars, model code, available KPIs or ticket SLA targets changed'
                when previous_window.first_loaded_at is null
                    or current_window.first_loaded_at <> previous_window.first_loaded_at
                    then 'the raw tables were reloaded'
                when previous_window.as_of_at is null then 'the last recorded run did not record its as-of time'
                -- Rows set aside can take the latest instant with them; what the previous as-of time included
                -- is then no longer known to be settled.
                when current_window.as_of_at < previous_window.as_of_at then 'the as-of time moved back'
                when current_window.configuration_rows_changed > 0
                    then 'SLA policies, business schedules or holidays changed'
            end
        ) as full_recompute_reason
    from current_window
    cross join previous_window

),

final as (

    select
        *,
        full_recompute_reason is not null as is_full_recompute
    from reasoned

)

select * from final
