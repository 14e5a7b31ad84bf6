{#- Every row satisfies a SQL predicate. -#}
{% test expression_is_true(model, expression) %}

select * from {{ model }} where not ({{ expression }})

{% endtest %}
