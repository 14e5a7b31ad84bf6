{#- solved and closed end a ticket's work; every other status keeps it open. -#}
{% macro is_solved_status(status_expression) -%}
    ({{ status_expression }} in ('solved', 'closed'))
{%- endmacro %}
