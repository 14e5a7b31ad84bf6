{#- One row per date from start to end inclusive, as a column `date_day`.
    The spine is days only (never tickets x days). -#}
{% macro date_range(start_date_expression, end_date_expression) -%}
    {{ return(adapter.dispatch('date_range', 'support_kpis')(start_date_expression, end_date_expression)) }}
{%- endmacro %}

{% macro default__date_range(start_date_expression, end_date_expression) -%}
    select cast(series.date_day as date) as date_day
    from generate_series(
        cast({{ start_date_expression }} as timestamp),
        cast({{ end_date_expression }} as timestamp),
        interval '1 day'
    ) as series (date_day)
{%- endmacro %}

{% macro duckdb__date_range(start_date_expression, end_date_expression) -%}
    select cast(unnest(generate_series(
        cast({{ start_date_expression }} as timestamp),
        cast({{ end_date_expression }} as timestamp),
        interval 1 day
    )) as date) as date_day
{%- endmacro %}

{% macro spark__date_range(start_date_expression, end_date_expression) -%}
    select explode(sequence(
        cast({{ start_date_expression }} as date),
        cast({{ end_date_expression }} as date),
        interval 1 day
    )) as date_day
{%- endmacro %}
