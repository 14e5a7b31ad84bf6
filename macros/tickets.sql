{#- solved and closed end a ticket's work; every other status keeps it open. -#}
{% macro is_solved_status(status_expression) -%}
    ({{ status_expression }} in ('solved', 'closed'))
{%- endmacro %}


{#- A ticket's status at the as-of time from its status history: 'new' before its first status change. -#}
{% macro status_or_new(status_expression) -%}
    coalesce({{ status_expression }}, 'new')
{%- endmacro %}


{#- Who a ticket is assigned to, for people: the agent's name, else the bare id (an agent missing from agents),
    else 'unassigned'. -#}
{% macro assignee_name(agent_name_expression, assignee_id_expression) -%}
    coalesce({{ agent_name_expression }}, {{ assignee_id_expression }}, 'unassigned')
{%- endmacro %}
