{#- KPIs are published for `all` and for each dimension on its own, never for
    combinations. One GROUPING SETS pass computes all of them, instead of one
    scan per dimension or an unpivot that multiplies rows. -#}

{% macro ticket_dimensions() -%}
    {{ return(['channel', 'priority', 'category', 'team', 'agent', 'product', 'segment', 'region']) }}
{%- endmacro %}

{#- key_sets: list of key-column lists (e.g. one per grain); each is grouped
    alone (dimension `all`) and with each dimension. -#}
{% macro dimension_grouping_sets(key_sets, dimensions) -%}
    {%- set sets = [] -%}
    {%- for keys in key_sets -%}
        {%- do sets.append('(' ~ keys | join(', ') ~ ')') -%}
        {%- for dimension in dimensions -%}
            {%- do sets.append('(' ~ keys | join(', ') ~ ', ' ~ dimension ~ ')') -%}
        {%- endfor -%}
    {%- endfor -%}
    grouping sets (
        {{ sets | join(',\n        ') }}
    )
{%- endmacro %}

{#- Which dimension a grouping-sets row is for, and its value. -#}
{% macro grouped_dimension_columns(dimensions) -%}
    {%- if not dimensions -%}
    'all' as dimension,
    'all' as dimension_value
    {%- else -%}
    case
        {%- for dimension in dimensions %}
        when grouping({{ dimension }}) = 0 then '{{ dimension }}'
        {%- endfor %}
        else 'all'
    end as dimension,
    case
        {%- for dimension in dimensions %}
        when grouping({{ dimension }}) = 0 then {{ dimension }}
        {%- endfor %}
        else 'all'
    end as dimension_value
    {%- endif -%}
{%- endmacro %}

{#- The grain and period start of a grouping-sets row keyed by one of
    period_date / period_week / period_month. -#}
{% macro grain_of_grouping() -%}
    case
        when grouping(period_date) = 0 then 'day'
        when grouping(period_week) = 0 then 'week'
        else 'month'
    end as grain,
    coalesce(period_date, period_week, period_month) as period_start
{%- endmacro %}
