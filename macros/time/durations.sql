{#- Seconds from one UTC instant to another, fractions kept: KPIs are exact to
    the second before they are divided into minutes or hours. -#}
{% macro seconds_between(start_timestamp, end_timestamp) -%}
    {{ return(adapter.dispatch('seconds_between', 'support_kpis')(start_timestamp, end_timestamp)) }}
{%- endmacro %}

{% macro default__seconds_between(start_timestamp, end_timestamp) -%}
    extract(epoch from ({{ end_timestamp }} - {{ start_timestamp }}))
{%- endmacro %}

{#- extract(epoch ...) is numeric on Postgres; KPIs are doubles on every engine. -#}
{% macro postgres__seconds_between(start_timestamp, end_timestamp) -%}
    cast(extract(epoch from ({{ end_timestamp }} - {{ start_timestamp }})) as double precision)
{%- endmacro %}

{% macro duckdb__seconds_between(start_timestamp, end_timestamp) -%}
    (epoch({{ end_timestamp }}) - epoch({{ start_timestamp }}))
{%- endmacro %}

{#- A double (a decimal literal would make the quotient a decimal, whose scale later divisions truncate), from
    whole microseconds, so exact to the microsecond like Postgres. -#}
{% macro spark__seconds_between(start_timestamp, end_timestamp) -%}
    (cast(unix_micros({{ end_timestamp }}) - unix_micros({{ start_timestamp }}) as double) / 1000000)
{%- endmacro %}

{#- A UTC instant shifted by a number of seconds. -#}
{% macro add_seconds(timestamp_expression, seconds_expression) -%}
    {{ return(adapter.dispatch('add_seconds', 'support_kpis')(timestamp_expression, seconds_expression)) }}
{%- endmacro %}

{% macro default__add_seconds(timestamp_expression, seconds_expression) -%}
    ({{ timestamp_expression }} + ({{ seconds_expression }}) * interval '1 second')
{%- endmacro %}

{% macro duckdb__add_seconds(timestamp_expression, seconds_expression) -%}
    ({{ timestamp_expression }} + to_microseconds(cast(round(cast({{ seconds_expression }} as double) * 1000000) as bigint)))
{%- endmacro %}

{% macro spark__add_seconds(timestamp_expression, seconds_expression) -%}
    timestamp_micros(unix_micros({{ timestamp_expression }}) + cast(round(cast({{ seconds_expression }} as double) * 1000000) as bigint))
{%- endmacro %}
