{#- Incremental builds by ticket (README and DECISIONS.md, "Daily runs"). Every model whose rows belong to one
    ticket (its events, reply cycles, SLA clocks, the ticket itself) is incremental: a run recomputes only the tickets
    in int_tickets_changed and replaces their rows (delete, then append), so a ticket that now yields fewer rows, or
    none, loses the old ones. When int_incremental_window says a change reaches every ticket (a var or the model
    code, an SLA policy, a schedule or a holiday changed, the raw tables were reloaded, no earlier run recorded its
    window), the same run replaces every row instead. Spark tables are Parquet files without DELETE: there the models
    stay tables, rebuilt whole. -#}

{#- The config of a model with one ticket's rows per ticket_id: `{{ config(**by_ticket_incremental()) }}`. A new
    release's columns are added to the table, and the changed model code (in the fingerprint) recomputes every ticket,
    so no old row keeps a null in them; types are left alone (on Postgres a contract's varchar and a query's text
    differ only in name). -#}
{% macro by_ticket_incremental() -%}
    {{- return(incremental_after(pre_hook="{{ delete_changed_tickets() }}")) -}}
{%- endmacro %}


{#- The config of an incremental model of this project: a pre-hook deletes what the run replaces, then the run
    appends; a plain table on Spark. -#}
{% macro incremental_after(pre_hook) -%}
    {%- if target.type == 'spark' -%}
        {{- return({'materialized': 'table'}) -}}
    {%- endif -%}
    {{- return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'append_new_columns',
        'pre_hook': [pre_hook],
    }) -}}
{%- endmacro %}


{#- The pre-hook: the rows about to be recomputed go first, in the same transaction as the append. -#}
{% macro delete_changed_tickets() -%}
    {%- if is_incremental() -%}
        {%- if every_ticket_changed() -%}
            delete from {{ this }}
        {%- else -%}
            delete from {{ this }} where ticket_id in (select ticket_id from {{ ref('int_tickets_changed') }})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- A where-condition keeping only the rows of changed tickets in an incremental run (every row otherwise). -#}
{% macro changed_tickets_only(ticket_column) -%}
    {%- if is_incremental() and not every_ticket_changed() -%}
        {{ ticket_column }} in (select ticket_id from {{ ref('int_tickets_changed') }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}


{#- Whether this run recomputes every ticket: int_incremental_window, built earlier in the same run (upstream of
    int_tickets_changed, which every incremental model depends on), decides. Before it exists (dbt compiling or
    generating docs on an empty warehouse), every ticket. -#}
{% macro every_ticket_changed() -%}
    {%- if not execute -%}{{ return(true) }}{%- endif -%}
    {%- set found = existing_model('int_incremental_window') -%}
    {%- if found is none -%}{{ return(true) }}{%- endif -%}
    {%- set window = run_query('select is_full_recompute from ' ~ found) -%}
    {{- return(window.columns[0].values()[0] in [true, 1, 'true', 'True']) -}}
{%- endmacro %}


{#- The models that replace rows by ticket, and the two that decide which tickets: a run advances the watermark only
    when it built all of them. -#}
{% macro incremental_group() -%}
    {%- set names = ['int_incremental_window', 'int_tickets_changed'] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == 'support_kpis'
            and node.config.materialized == 'incremental' -%}
            {%- do names.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro %}


{% macro watermark_relation() -%}
    {{- return(api.Relation.create(
        database=target.get('database'), schema=var('run_log_schema'), identifier='incremental_watermarks'
    )) -}}
{%- endmacro %}


{#- The on-run-end hook: a run that built the whole incremental group without an error records the window it
    covered, so the next run starts where it ended. A failed or partial run records nothing: the next run covers
    the same changes again (a delete-then-append of the same tickets is idempotent). -#}
{% macro record_incremental_watermark(results) -%}
    {%- if not execute or not is_root_project() or target.type == 'spark' -%}{{ return('') }}{%- endif -%}
    {%- set failed = results | selectattr('status', 'in', ['error', 'fail', 'runtime error', 'skipped']) | list -%}
    {%- set built = results | selectattr('status', 'equalto', 'success') | map(attribute='node.name') | list -%}
    {%- set missing = incremental_group() | reject('in', built) | list -%}
    {%- if failed or missing -%}{{ return('') }}{%- endif -%}
    {%- set marks = watermark_relation() -%}
    {%- set window = project_model_node('int_incremental_window') -%}
    create schema if not exists {{ marks.without_identifier().include(database=false) }};
    create table if not exists {{ marks }} (
        run_id {{ dbt.type_string() }},
        recorded_at {{ dbt.type_timestamp() }},
        loaded_through {{ dbt.type_timestamp() }},
        set_aside_through {{ dbt.type_timestamp() }},
        first_loaded_at {{ dbt.type_timestamp() }},
        fingerprint {{ dbt.type_string() }},
        as_of_at {{ dbt.type_timestamp() }}
    );
    {#- Warehouses built before the as-of time was recorded gain the column. #}
    alter table {{ marks }} add column if not exists as_of_at {{ dbt.type_timestamp() }};
    insert into {{ marks }} (
        run_id, recorded_at, loaded_through, set_aside_through, first_loaded_at, fingerprint, as_of_at
    )
    select
        '{{ invocation_id }}',
        {{ run_started_at_literal() }},
        loaded_through,
        set_aside_through,
        first_loaded_at,
        fingerprint,
        as_of_at
    from {{ window.relation_name }}
{%- endmacro %}


{#- The previous run's window (its latest row), or a row of nulls before the first recorded run. -#}
{% macro previous_watermark() -%}
    {%- set marks = watermark_relation() -%}
    {%- set found = adapter.get_relation(marks.database, marks.schema, marks.identifier) if execute else none -%}
    {%- if found is not none -%}
        {%- set names = adapter.get_columns_in_relation(found) | map(attribute='name') | map('lower') | list -%}
        select
            loaded_through,
            set_aside_through,
            first_loaded_at,
            fingerprint,
            {{ 'as_of_at' if 'as_of_at' in names else 'cast(null as ' ~ dbt.type_timestamp() ~ ')' }} as as_of_at
        from {{ found }}
        where recorded_at = (select max(recorded_at) from {{ found }})
    {%- else -%}
        select
            cast(null as {{ dbt.type_timestamp() }}) as loaded_through,
            cast(null as {{ dbt.type_timestamp() }}) as set_aside_through,
            cast(null as {{ dbt.type_timestamp() }}) as first_loaded_at,
            cast(null as {{ dbt.type_string() }}) as fingerprint,
            cast(null as {{ dbt.type_timestamp() }}) as as_of_at
    {%- endif -%}
{%- endmacro %}


{#- The raw tables whose rows decide ticket-grain results, and how a changed row reaches tickets: `ticket` (its own
    ticket_id), `customer` (the tickets of its customer_id) or `all` (every ticket). -#}
{% macro ticket_inputs() -%}
    {{- return({
        'tickets': 'ticket',
        'ticket_events': 'ticket',
        'ticket_sla_targets': 'ticket',
        'customers': 'customer',
        'sla_policies': 'all',
        'business_schedules': 'all',
        'holidays': 'all',
    }) -}}
{%- endmacro %}


{#- A raw table as the loader wrote it: its relation and whether it carries the loader's bookkeeping. `quarantine`
    asks for the table's quarantine (rows set aside, with `_set_aside_at` when the gate moved them). -#}
{% macro loader_table(table, quarantine=false) -%}
    {%- set raw = source('raw', table) -%}
    {%- set relation = raw if not quarantine else api.Relation.create(
        database=raw.database, schema='quarantine', identifier=table
    ) -%}
    {%- set marker = '_set_aside_at' if quarantine else '_loaded_at' -%}
    {%- if not execute -%}{{ return({'relation': relation, 'exists': false, 'stamped': false}) }}{%- endif -%}
    {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
    {%- if found is none -%}{{ return({'relation': relation, 'exists': false, 'stamped': false}) }}{%- endif -%}
    {%- set names = adapter.get_columns_in_relation(found) | map(attribute='name') | map('lower') | list -%}
    {{- return({'relation': found, 'exists': true, 'stamped': marker in names}) -}}
{%- endmacro %}


{#- What every ticket's rows depend on besides the data: the vars that change them, and the project's model code (an
    upgraded or edited model recomputes every ticket once). -#}
{% macro ticket_vars_fingerprint() -%}
    {%- set watched = {} -%}
    {%- for name in ['source', 'reporting_timezone', 'as_of', 'resolution_target_hours', 'using_business_time',
        'business_clock_horizon_days', 'raw_schema'] -%}
        {%- do watched.update({name: var(name, none)}) -%}
    {%- endfor -%}
    {%- set code = [] -%}
    {#- The graph is empty while dbt parses. -#}
    {%- for node in (graph.nodes.values() if execute else []) | sort(attribute='unique_id')
        if node.resource_type == 'model' and node.package_name == 'support_kpis' -%}
        {%- do code.append(node.raw_code) -%}
    {%- endfor -%}
    {%- do watched.update({'models': local_md5(code | join('\n'))}) -%}
    {{- return(tojson(watched, sort_keys=true)) -}}
{%- endmacro %}


{#- A model of this project as the warehouse holds it now (before this run rebuilds it), or none. Read through the
    adapter, not ref(): a ref would make the reader run after the model. -#}
{% macro existing_model(name) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set node = project_model_node(name) -%}
    {{- return(adapter.get_relation(node.database, node.schema, node.alias)) -}}
{%- endmacro %}


{#- A model of this project as the graph describes it (none while dbt parses, or for no such model). -#}
{% macro project_model_node(name) -%}
    {{- return((graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | selectattr('package_name', 'equalto', 'support_kpis') | selectattr('name', 'equalto', name) | first)
        if execute else none) -}}
{%- endmacro %}


{#- This run's start as a timestamp literal (naive UTC): the watermark's recorded_at, and the time
    int_kpi_days_superseded stamps its days with, which forget_rewritten_kpi_days compares with it. -#}
{% macro run_started_at_literal() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
