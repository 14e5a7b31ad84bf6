{#- How a reported period and its change read to a person: the same words on
    every engine, so the scorecard, the demo's headline table and Superset
    show one label. -#}

{#- 'September 2026', 'week of 2026-09-21' or '2026-09-30'; a period still
    running gets ', month to date' (week, day) after it. -#}
{% macro period_label(grain, period_start, is_complete) -%}
    {%- set months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
                      'October', 'November', 'December'] -%}
    {%- set text = dbt.type_string() -%}
    {%- if grain == 'month' -%}
        {%- set base -%}
        case cast(extract(month from {{ period_start }}) as {{ dbt.type_int() }})
            {% for name in months %}when {{ loop.index }} then '{{ name }} '
            {% endfor %}end
        || cast(cast(extract(year from {{ period_start }}) as {{ dbt.type_int() }}) as {{ text }})
        {%- endset -%}
    {%- elif grain == 'week' -%}
        {%- set base = "'week of ' || cast(" ~ period_start ~ " as " ~ text ~ ")" -%}
    {%- else -%}
        {%- set base = "cast(" ~ period_start ~ " as " ~ text ~ ")" -%}
    {%- endif -%}
    {{ base }} || case when {{ is_complete }} then '' else ', {{ grain }} to date' end
{%- endmacro %}

{#- A number as signed text with one decimal ('+11.7', '-0.4', '0.0'). Cast
    through decimal(38, 1) so every engine rounds and prints it alike. -#}
{% macro signed_one_decimal_text(number) -%}
    case when cast({{ number }} as decimal(38, 1)) > 0 then '+' else '' end
    || cast(cast({{ number }} as decimal(38, 1)) as {{ dbt.type_string() }})
{%- endmacro %}
