{#- The loaded_at_query of every contract table's source freshness
    (generated into models/staging/__sources.yml from support_kpis/contract.py):
    the newest value of the table's recency columns (the first non-null of
    them per row), e.g. ticket_events.occurred_at. A table without recency
    columns (a snapshot such as agents, or configuration) is as fresh as the
    load that wrote it, and so is a table with no rows: an optional table the
    user does not supply cannot be late. Load times come from the loader's
    table_inventory. `this` is the source table being checked. -#}
{% macro raw_table_loaded_at(recency_columns) -%}
    {%- set inventory = source('raw', 'table_inventory') -%}
    select coalesce(
        {%- if recency_columns %}
        (
            select cast(max(coalesce({{ recency_columns | join(', ') }})) as {{ dbt.type_timestamp() }})
            from {{ this }}
        ),
        {%- endif %}
        (
            select max(loaded_at)
            from {{ inventory }}
            where table_name = '{{ this.identifier }}'
            {%- if recency_columns %}
                and rows_loaded = 0
            {%- endif %}
        )
    ) as max_loaded_at
{%- endmacro %}
