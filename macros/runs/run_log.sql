{#- The run log: every dbt command that changes relations records itself in
    <run_log_schema>.dbt_runs when it starts and when it ends. A row still
    'running' is a run that was killed (or is still going). Publishing reads
    this log to refuse a warehouse whose last build did not finish. -#}

{% macro run_log_relation() -%}
    {{- return(api.Relation.create(database=target.get('database'), schema=var('run_log_schema'), identifier='dbt_runs')) -}}
{%- endmacro %}


{#- False when another project installed this one as a package: dbt runs a package's hooks too, and the run log
    and publishing belong to this project's own workflow, not to the installing project's warehouse. -#}
{% macro is_root_project() -%}
    {{- return(project_name == 'support_kpis') -}}
{%- endmacro %}


{% macro record_run_start() -%}
    {%- if not execute or not is_root_project() -%}{{ return('') }}{%- endif -%}
    {{- return(adapter.dispatch('record_run_start', 'support_kpis')()) -}}
{%- endmacro %}


{% macro default__record_run_start() -%}
    {%- set log = run_log_relation() -%}
    {#- Returned as the hook's SQL, not run here: dbt runs hooks outside a transaction, so the row is committed
        before the first model starts and survives a killed run. -#}
    create schema if not exists {{ log.without_identifier().include(database=false) }};
    create table if not exists {{ log }} (
        run_id {{ dbt.type_string() }},
        command {{ dbt.type_string() }},
        selection {{ dbt.type_string() }},
        vars {{ dbt.type_string() }},
        dbt_version {{ dbt.type_string() }},
        started_at {{ dbt.type_timestamp() }},
        finished_at {{ dbt.type_timestamp() }},
        status {{ dbt.type_string() }},
        nodes_succeeded {{ dbt.type_int() }},
        nodes_failed {{ dbt.type_int() }},
        published_relations {{ dbt.type_string() }}
    );
    {#- Only when there is raw data: without it the next hook stops the run before anything is built. -#}
    insert into {{ log }} (run_id, command, selection, vars, dbt_version, started_at, status)
    select
        '{{ invocation_id }}',
        '{{ flags.WHICH }}',
        {{ run_log_selection() }},
        '{{ tojson(var_overrides()) | replace("'", "''") }}',
        '{{ dbt_version }}',
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }}),
        'running'
    {%- set required = required_input_table() %}
    where exists (
        select 1 from information_schema.tables
        where table_schema = '{{ required.schema }}' and table_name = '{{ required.identifier }}'
    )
{%- endmacro %}


{% macro record_run_end(results) -%}
    {%- if not execute or not is_root_project() -%}{{ return('') }}{%- endif -%}
    {{- return(adapter.dispatch('record_run_end', 'support_kpis')(results)) -}}
{%- endmacro %}


{% macro default__record_run_end(results) -%}
    {%- set failed = results | selectattr('status', 'in', ['error', 'fail', 'runtime error', 'skipped']) | list -%}
    update {{ run_log_relation() }}
    set finished_at = cast('{{ modules.datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S.%f") }}'
            as {{ dbt.type_timestamp() }}),
        status = '{{ "error" if failed else "success" }}',
        nodes_succeeded = {{ results | length - failed | length }},
        nodes_failed = {{ failed | length }},
        published_relations = '{{ tojson(published_relations()) }}'
    where run_id = '{{ invocation_id }}'
{%- endmacro %}


{#- Spark: one statement per query, no information_schema, and no UPDATE on a Parquet table. The statements run
    here (Spark has no transaction to roll them back) and the end of a run is a second row of the same run_id:
    a run's state is its latest row (finished_at set). -#}
{% macro spark__record_run_start() -%}
    {%- set log = run_log_relation() -%}
    {%- set required = required_input_table() -%}
    {%- do run_query('create database if not exists ' ~ log.schema) -%}
    {%- do run_query(
        'create table if not exists ' ~ log ~ ' (run_id string, command string, selection string, vars string, '
        ~ 'dbt_version string, started_at timestamp, finished_at timestamp, status string, nodes_succeeded int, '
        ~ 'nodes_failed int, published_relations string) using parquet'
    ) -%}
    {%- if adapter.get_relation(database=none, schema=required.schema, identifier=required.identifier) -%}
        {%- do run_query(
            'insert into ' ~ log ~ " (run_id, command, selection, vars, dbt_version, started_at, status) select '"
            ~ invocation_id ~ "', '" ~ flags.WHICH ~ "', " ~ run_log_selection() ~ ", '"
            ~ (tojson(var_overrides()) | replace('\\', '\\\\') | replace("'", "\\'")) ~ "', '" ~ dbt_version
            ~ "', cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp), 'running'"
        ) -%}
    {%- endif -%}
    {{- return('select 1') -}}
{%- endmacro %}


{% macro spark__record_run_end(results) -%}
    {%- set failed = results | selectattr('status', 'in', ['error', 'fail', 'runtime error', 'skipped']) | list -%}
    insert into {{ run_log_relation() }}
    select
        run_id, command, selection, vars, dbt_version, started_at,
        cast('{{ modules.datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp),
        '{{ "error" if failed else "success" }}',
        {{ results | length - failed | length }},
        {{ failed | length }},
        '{{ tojson(published_relations()) }}'
    from {{ run_log_relation() }}
    where run_id = '{{ invocation_id }}' and finished_at is null
{%- endmacro %}


{#- The relations readers see, as schema.name: this project's public models (what `support-kpis publish` copies
    into the published file). Access decides, not the folder: published and public are one set. -#}
{% macro published_relations() -%}
    {%- set relations = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == 'support_kpis' and node.access == 'public'
            and node.config.materialized != 'ephemeral' -%}
            {%- do relations.append(node.schema ~ '.' ~ node.alias) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(relations | sort) -}}
{%- endmacro %}


{#- Null when the command covered the whole project. -#}
{% macro run_log_selection() -%}
    {%- set parts = [] -%}
    {%- for key in ['select', 'exclude', 'selector'] -%}
        {%- set value = invocation_args_dict.get(key) -%}
        {%- if value -%}
            {%- do parts.append('--' ~ key ~ ' ' ~ (value if value is string else value | join(' '))) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- ("'" ~ (parts | join(' ') | replace("'", "''")) ~ "'") if parts else 'null' -}}
{%- endmacro %}


{% macro var_overrides() -%}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {{- return(fromyaml(given) if given is string else given) -}}
{%- endmacro %}


{#- dbt on an empty warehouse would fail once per model: say once what to run first. Only a compilation error
    stops dbt before any model (an error in a hook's SQL does not). It runs after record_run_start because
    asking the adapter opens a transaction that dbt rolls back at the end, with anything written after it. -#}
{% macro require_raw_data() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {#- Installed as a package: only a run that selects this package's nodes needs its raw data (the installing
        project's other runs must not fail for it). -#}
    {%- if not is_root_project() -%}
        {%- set ours = [] -%}
        {%- for unique_id in selected_resources if unique_id.split('.')[1] == 'support_kpis' -%}
            {%- do ours.append(unique_id) -%}
        {%- endfor -%}
        {%- if not ours -%}{{ return('select 1') }}{%- endif -%}
    {%- endif -%}
    {%- set required = required_input_table() -%}
    {%- set tickets = adapter.get_relation(
        database=required.database, schema=required.schema, identifier=required.identifier
    ) -%}
    {%- if tickets is none -%}
        {%- set where = target.path if target.type == 'duckdb' else required.database ~ '.' ~ required.schema -%}
        {%- if var('source', 'contract') == 'zendesk' -%}
            {%- set what_to_do = "load the Zendesk connector's tables there, or point vars zendesk_database and "
                ~ "zendesk_schema at the schema that holds them" -%}
        {%- elif var('source', 'contract') == 'flat' -%}
            {%- set what_to_do = 'run `support-kpis load --mapping MAPPING.yml EXPORT.csv` first' -%}
        {%- elif is_root_project() -%}
            {%- set what_to_do = 'run `./run demo` for the sample data, or `./run load DIR` for your own, '
                ~ 'before dbt build' -%}
        {%- else -%}
            {%- set what_to_do = 'load the helpdesk tables of the data contract there, or point var raw_schema '
                ~ '(vars: {support_kpis: {raw_schema: ...}}) at the schema that holds them' -%}
        {%- endif -%}
        {{- exceptions.raise_compiler_error(
            'no raw data in ' ~ where ~ ' (no table ' ~ required.schema ~ '.' ~ required.identifier ~ '): '
            ~ what_to_do
        ) -}}
    {%- endif -%}
    select 1
{%- endmacro %}


{#- The table whose presence says the warehouse holds input data: the raw tickets of the contract, or in a
    `source: zendesk` run the connector's `ticket` table (where the zendesk_database/zendesk_schema vars say). -#}
{% macro required_input_table() -%}
    {%- if var('source', 'contract') == 'zendesk' -%}
        {{- return({
            'database': var('zendesk_database') or target.get('database'),
            'schema': var('zendesk_schema'),
            'identifier': 'ticket',
        }) -}}
    {%- elif var('source', 'contract') == 'flat' -%}
        {{- return({'database': target.get('database'), 'schema': 'flat', 'identifier': 'tickets_export'}) -}}
    {%- endif -%}
    {{- return({'database': target.get('database'), 'schema': var('raw_schema'), 'identifier': 'tickets'}) -}}
{%- endmacro %}
