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


{#- A raw contract table, or, where that raw table does not exist, no rows with the raw table's columns: the table
    is then absent, as an absent optional file is, and the KPIs that need it are unavailable. That is the case in an
    adapter's run on a warehouse where only the vendor's tables are (nothing loaded), and in a warehouse whose
    contract-shaped tables were not written by the loader (var raw_schema pointed at them): there the inventory the
    loader would have written is made from which tables exist. A missing tickets table stops the run earlier
    (require_raw_data). -#}
{% macro raw_or_empty(table) -%}
    {%- set relation = source('raw', table) -%}
    {%- set found = true -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) is not none -%}
    {%- endif -%}
    {%- if found -%}
        select * from {{ relation }}
    {%- elif table == 'table_inventory' and var('source', 'contract') == 'contract' -%}
        {{ inventory_of_existing_tables() }}
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


{#- The loader's table inventory, for raw tables nobody loaded: each contract table present when it exists, its
    rows counted. -#}
{% macro inventory_of_existing_tables() -%}
    {%- set tables = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
        | map(attribute='name') | reject('equalto', 'table_inventory') | sort -%}
    {%- for table in tables %}
        {%- set relation = source('raw', table) -%}
        {%- set exists = adapter.get_relation(relation.database, relation.schema, relation.identifier) is not none %}
    select
        '{{ table }}' as table_name,
        cast(null as {{ dbt.type_timestamp() }}) as loaded_at,
        {{ 'true' if exists else 'false' }} as is_present,
        {{ '(select count(*) from ' ~ relation ~ ')' if exists else '0' }} as rows_read,
        {{ '(select count(*) from ' ~ relation ~ ')' if exists else '0' }} as rows_loaded,
        0 as rows_quarantined,
        0 as rows_duplicate_exact,
        0 as rows_superseded,
        cast(null as {{ dbt.type_string() }}) as source_file
    {{ 'union all' if not loop.last }}
    {%- endfor %}
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
