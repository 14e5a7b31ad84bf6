{#- State KPIs (backlog, live articles) are running sums over a days spine;
    a period's value is the state on its last existing day: the period's
    last day, or the as-of date for the period that holds it (the spine ends
    there). One row per grain, period and partition, with days_from_end = 1
    marking that last day. -#}
{% macro period_end_states(daily_relation, partition_columns, value_columns) -%}
    {%- for grain, period_start in [
        ('day', 'date_day'),
        ('week', week_start('date_day')),
        ('month', month_start('date_day')),
    ] %}
    select
        '{{ grain }}' as grain,
        {{ period_start }} as period_start,
        {%- for column in partition_columns + value_columns %}
        {{ column }},
        {%- endfor %}
        row_number() over (
            partition by {{ (partition_columns + [period_start]) | join(', ') }}
            order by date_day desc
        ) as days_from_end
    from {{ daily_relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
