{#- Registers Parquet files as Spark tables, replacing earlier ones, and reconciles their row counts.
    Run by `support-kpis load --target spark` as a run-operation, so the Spark session is the one
    profiles.yml declares (metastore, warehouse folder, UTC session time zone) and nothing else declares it.
    tables: a list of {schema, table, location, rows}; location is an absolute folder of Parquet files. -#}
{% macro ship_parquet_tables(tables) %}
    {%- set shipped = [] -%}
    {%- for entry in tables -%}
        {%- set database = adapter.quote(entry['schema']) -%}
        {%- set relation = database ~ '.' ~ adapter.quote(entry['table']) -%}
        {%- set location = entry['location'] | replace('\\', '\\\\') | replace("'", "\\'") -%}
        {%- do run_query('create database if not exists ' ~ database) -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query('create table ' ~ relation ~ " using parquet location '" ~ location ~ "'") -%}
        {%- set counted = run_query('select count(*) from ' ~ relation).columns[0].values()[0] | int -%}
        {%- if counted != entry['rows'] | int -%}
            {{ exceptions.raise_compiler_error(
                'support-kpis-ship-error: ' ~ entry['schema'] ~ '.' ~ entry['table'] ~ ': Spark holds '
                ~ counted ~ ' rows, the load staged ' ~ entry['rows']) }}
        {%- endif -%}
        {%- do shipped.append({'schema': entry['schema'], 'table': entry['table'], 'rows': counted}) -%}
    {%- endfor -%}
    {%- do log('support-kpis-shipped ' ~ tojson(shipped), info=True) -%}
{% endmacro %}
