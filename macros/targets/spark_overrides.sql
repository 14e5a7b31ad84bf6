{#- dbt-spark macros that this project overrides (the root project's spark__ macros win dbt's dispatch). -#}

{#- dbt-spark sets a contract's not_null constraints with ALTER COLUMN, which only Delta tables support; this
    project's Spark tables are Parquet. There the contract is enforced after the build instead: a null in a
    not_null column fails the model, as the engine would have refused the row. -#}
{% macro spark__persist_constraints(relation, model) %}
    {%- set contract_config = config.get('contract') -%}
    {%- if not contract_config.enforced -%}{{ return('') }}{%- endif -%}
    {%- if config.get('file_format') == 'delta' and relation.type != 'view' -%}
        {%- do alter_table_add_constraints(relation, model.constraints) -%}
        {%- do alter_column_set_constraints(relation, model.columns) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set checks = [] -%}
    {%- for column_name, column in model.columns.items() -%}
        {%- for constraint in column.get('constraints', []) if constraint.type == 'not_null' -%}
            {%- set quoted = adapter.quote(column_name) if column.get('quote') else column_name -%}
            {%- do checks.append("sum(case when " ~ quoted ~ " is null then 1 else 0 end) as " ~ adapter.quote(column_name)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if checks -%}
        {%- set counts = run_query('select ' ~ checks | join(', ') ~ ' from ' ~ relation) -%}
        {%- for column in counts.columns if (column.values()[0] or 0) > 0 -%}
            {{ exceptions.raise_compiler_error(
                relation ~ '.' ~ column.name ~ ': ' ~ column.values()[0] ~ ' nulls in a not_null column of the contract') }}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}


{#- dbt-spark's listagg ignores the order (collect_list's order is whatever the shuffle gives). The only order this
    project asks for is the measure's own, ascending: a sorted array gives it exactly. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if order_by_clause and order_by_clause | trim | lower not in ['order by ' ~ measure | lower, 'order by ' ~ measure | lower ~ ' asc'] -%}
        {{ exceptions.raise_compiler_error('listagg on Spark orders only by its measure, ascending; asked: ' ~ order_by_clause) }}
    {%- endif -%}
    {%- set collected = ('array_sort(collect_list(' ~ measure ~ '))') if order_by_clause else ('collect_list(' ~ measure ~ ')') -%}
    {%- if limit_num -%}{%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}{%- endif -%}
    {#- string_agg / listagg of no values is null, array_join of an empty array ''. -#}
    case when count({{ measure }}) > 0 then array_join({{ collected }}, {{ delimiter_text }}) end
{%- endmacro %}


{#- dbt-spark's seed loader puts each value into the SQL as '<value>' without escaping: a quote in a text fails
    the insert ("New Year's Day") and a missing value becomes the text 'None'. The literals are written here. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    cast({{ spark_seed_literal(row[loop.index0]) }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}


{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true or value is sameas false -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        {%- set text = value.isoformat() if value.isoformat is defined else value | string -%}
        '{{ text | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
