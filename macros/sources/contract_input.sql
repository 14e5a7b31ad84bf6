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
        {{ raw_or_empty(table) }}
    {%- endif -%}
{%- endmacro %}


{#- A raw contract table, or, in an adapter's run where that raw table does not exist (the project pointed at a
    warehouse where only the vendor's tables are, nothing loaded), no rows with the raw table's columns: the table
    is then absent, as an absent optional file is, and the KPIs that need it are unavailable. In a `contract` run a
    missing raw table stays an error (the loader writes every one). -#}
{% macro raw_or_empty(table) -%}
    {%- set relation = source('raw', table) -%}
    {%- set found = true -%}
    {%- if execute and var('source', 'contract') != 'contract' -%}
        {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) is not none -%}
    {%- endif -%}
    {%- if found -%}
        select * from {{ relation }}
    {%- else -%}
        {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
            | selectattr('name', 'equalto', table) | first -%}
        select
        {%- for column in node.columns %}
            cast(null as {{ dbt.type_string() }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
        where 1 = 0
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
