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

{#- A UTC timestamp from a var's text: '2026-03-31 22:30:00' is UTC; with an
    offset ('...Z', '...+02:00') it is converted to UTC. An offset beyond
    +-14:00, or with minutes over 59, is refused as the loader refuses it: the
    databases would shift the instant by a day or an hour without a word. -#}
{% macro utc_timestamp_literal(text) -%}
    {%- set value = text | string | trim -%}
    {%- set offset = modules.re.search('(Z|[+-]([0-9]{2}):?([0-9]{2}))$', value) -%}
    {%- if offset -%}
        {%- if offset.group(1) != 'Z' -%}
            {%- set hours, minutes = offset.group(2) | int, offset.group(3) | int -%}
            {%- if hours > 14 or minutes > 59 or (hours == 14 and minutes > 0) -%}
                {{ exceptions.raise_compiler_error(
                    "'" ~ value ~ "' is no instant: an offset is within +-14:00, with minutes 00-59") }}
            {%- endif -%}
        {%- endif -%}
        {{ return(adapter.dispatch('utc_timestamp_from_offset_text', 'support_kpis')(value)) }}
    {%- else -%}
        cast('{{ value | replace("T", " ") }}' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{% macro default__utc_timestamp_from_offset_text(value) -%}
    cast(cast('{{ value }}' as timestamp with time zone) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro spark__utc_timestamp_from_offset_text(value) -%}
    to_utc_timestamp(to_timestamp('{{ value }}'), 'UTC')
{%- endmacro %}
