{#- The loader's table inventory with the tables the Zendesk adapter produces marked present, their rows counted
    from the adapter's models: kpi_catalog then knows which KPIs the Zendesk data supports. Every other contract
    table keeps its raw inventory row (a contract file loaded beside the Zendesk tables), or is absent when nothing
    was loaded (the project pointed at a warehouse's Zendesk schema). -#}
{%- set produced = adapter_produced_tables() | reject('equalto', 'table_inventory') | list -%}
{%- set contract_tables = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
    | map(attribute='name') | reject('equalto', 'table_inventory') | sort if execute else [] -%}
with

raw_inventory as (

    {{ raw_or_empty('table_inventory') }}

),

-- Typed here: with nothing loaded the raw inventory is an empty, untyped stand-in.
inventory as (

    select
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at,
        cast(is_present as {{ dbt.type_boolean() }}) as is_present,
        cast(rows_read as {{ dbt.type_bigint() }}) as rows_read,
        cast(rows_loaded as {{ dbt.type_bigint() }}) as rows_loaded,
        cast(rows_quarantined as {{ dbt.type_bigint() }}) as rows_quarantined,
        cast(rows_duplicate_exact as {{ dbt.type_bigint() }}) as rows_duplicate_exact,
        cast(rows_superseded as {{ dbt.type_bigint() }}) as rows_superseded,
        cast(source_file as {{ dbt.type_string() }}) as source_file
    from raw_inventory

),

contract_tables as (

    {% for table in contract_tables %}
    select '{{ table }}' as table_name
    {% if not loop.last %}union all{% endif %}
    {% else %}
    select cast(null as {{ dbt.type_string() }}) as table_name
    {% endfor %}

),

produced_counts as (

    {% for table in produced %}
    select
        '{{ table }}' as table_name,
        count(*) as row_count
    from {{ ref('stg_zendesk__' ~ table) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        contract_tables.table_name,
        inventory.loaded_at,
        produced_counts.table_name is not null or coalesce(inventory.is_present, false) as is_present,
        coalesce(produced_counts.row_count, inventory.rows_read, 0) as rows_read,
        coalesce(produced_counts.row_count, inventory.rows_loaded, 0) as rows_loaded,
        case when produced_counts.table_name is null then coalesce(inventory.rows_quarantined, 0) else 0 end
            as rows_quarantined,
        case when produced_counts.table_name is null then coalesce(inventory.rows_duplicate_exact, 0) else 0 end
            as rows_duplicate_exact,
        case when produced_counts.table_name is null then coalesce(inventory.rows_superseded, 0) else 0 end
            as rows_superseded,
        case when produced_counts.table_name is null then inventory.source_file else 'zendesk' end as source_file
    from contract_tables
    left join inventory
        on contract_tables.table_name = inventory.table_name
    left join produced_counts
        on contract_tables.table_name = produced_counts.table_name

)

select * from final
