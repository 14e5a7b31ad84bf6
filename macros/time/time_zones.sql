{#- Timestamps are stored as naive UTC. These turn them into wall-clock time of
    a named zone, which decides the day, week and month a fact lands in. -#}

{% macro to_local_timestamp(utc_timestamp, timezone) -%}
    {{ return(adapter.dispatch('to_local_timestamp', 'support_kpis')(utc_timestamp, timezone)) }}
{%- endmacro %}

{% macro default__to_local_timestamp(utc_timestamp, timezone) -%}
    (({{ utc_timestamp }}) at time zone 'UTC') at time zone '{{ timezone }}'
{%- endmacro %}

{% macro spark__to_local_timestamp(utc_timestamp, timezone) -%}
    from_utc_timestamp({{ utc_timestamp }}, '{{ timezone }}')
{%- endmacro %}

{#- The reporting-time-zone date of a UTC instant. -#}
{% macro reporting_date(utc_timestamp) -%}
    {%- if var('reporting_timezone') | upper == 'UTC' -%}
        cast({{ utc_timestamp }} as date)
    {%- else -%}
        cast({{ to_local_timestamp(utc_timestamp, var('reporting_timezone')) }} as date)
    {%- endif -%}
{%- endmacro %}

{#- First day of the ISO week (Monday) / month holding a date. -#}
{% macro week_start(date_expression) -%}
    cast({{ dbt.date_trunc('week', date_expression) }} as date)
{%- endmacro %}

{% macro month_start(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}
