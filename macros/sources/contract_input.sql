{#- The rows of one contract table, as the run's `source` var says: the loader's raw table (`contract`), or the
    adapter model that produces that table from the vendor's tables (`zendesk`: models/staging/zendesk; `flat`:
    models/staging/flat). A table
    the adapter does not produce (yet) is still read from the raw schema. Every stg_<table> model reads its input
    through this macro, so nothing downstream of staging knows the source. dbt renders it at parse time with the
    run's vars, so the ref() or source() below is the model's DAG edge for that run. -#}
{% macro contract_input(table) -%}
    {%- if table in adapter_produced_tables() -%}
        select * from {{ ref('stg_' ~ var('source') ~ '__' ~ table) }}
    {%- else -%}
        select * from {{ source('raw', table) }}
    {%- endif -%}
{%- endmacro %}


{#- The contract tables the current source's adapter produces (none for `contract`). -#}
{% macro adapter_produced_tables() -%}
    {%- set produced = {
        'contract': [],
        'zendesk': [
            'tickets', 'ticket_events', 'agents', 'customers', 'surveys', 'business_schedules', 'holidays',
            'ticket_sla_targets', 'table_inventory',
        ],
        'flat': ['tickets', 'ticket_events', 'surveys', 'table_inventory'],
    } -%}
    {{- return(produced[var('source', 'contract')]) -}}
{%- endmacro %}
