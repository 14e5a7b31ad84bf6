{#- Registers Parquet files as Spark tables, replacing earlier ones, and reconciles their row counts.
    Run by `support-kpis load --target spark` as a run-operation, so the Spark session is the one
    profiles.yml declares (metastore, warehouse folder, UTC session time zone) and nothing else declares it.
    tables: a list of {schema, table, location, rows}; location is an absolute folder of Parquet files. -#}
{% macro ship_parquet_tables(tables) %}
    {%- for database in tables | map(attribute='schema') | unique -%}
        {%- do run_query('create database if not exists ' ~ adapter.quote(database)) -%}
    {%- endfor -%}
    {%- set counts = [] -%}
    {%- for entry in tables -%}
        {%- set relation = adapter.quote(entry['schema']) ~ '.' ~ adapter.quote(entry['table']) -%}
        {%- set location = entry['location'] | replace('\\', '\\\\') | replace("'", "\\'") -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query('create table ' ~ relation ~ " using parquet location '" ~ location ~ "'") -%}
        {%- do counts.append('select ' ~ loop.index0 ~ ' as position, count(*) as counted from ' ~ relation) -%}
    {%- endfor -%}
    {#- One query counts every table: each query is a Spark job to schedule. -#}
    {%- set counted = {} -%}
    {%- for row in run_query(counts | join(' union all ')) -%}
        {%- do counted.update({row[0] | int: row[1] | int}) -%}
    {%- endfor -%}
    {%- set shipped = [] -%}
    {%- for entry in tables -%}
        {%- set rows = counted.get(loop.index0) -%}
        {%- if rows != entry['rows'] | int -%}
            {{ exceptions.raise_compiler_error(
                'support-kpis-ship-error: ' ~ entry['schema'] ~ '.' ~ entry['table'] ~ ': Spark holds '
                ~ rows ~ ' rows, the load staged ' ~ entry['rows']) }}
        {%- endif -%}
        {%- do shipped.append({'schema': entry['schema'], 'table': entry['table'], 'rows': rows}) -%}
    {%- endfor -%}
    {%- do log('support-kpis-shipped ' ~ tojson(shipped), info=True) -%}
{% endmacro %}
