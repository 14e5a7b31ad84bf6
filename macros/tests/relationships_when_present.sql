{#- dbt's relationships test for a reference into an optional contract table:
    every non-null value of the column is a `field` of `to`, unless `to` has
    no rows. An optional table the user did not supply is empty, and a
    reference into it cannot be checked (the KPIs treat it as unknown). -#}
{% test relationships_when_present(model, column_name, to, field) %}

with

child as (

    select {{ column_name }} as reference
    from {{ model }}
    where {{ column_name }} is not null

),

parent as (

    select {{ field }} as referenced
    from {{ to }}

),

final as (

    select child.reference
    from child
    left join parent
        on child.reference = parent.referenced
    where parent.referenced is null
        and exists (select 1 from parent)

)

select * from final

{% endtest %}
