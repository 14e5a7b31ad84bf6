{#- The loader's table inventory with the tables the Zendesk adapter produces marked present, their rows counted
    from the adapter's models: kpi_catalog then knows which KPIs the Zendesk data supports. Every other contract
    table keeps its raw inventory row (a contract file loaded beside the Zendesk tables). -#}
{%- set produced = adapter_produced_tables() | reject('equalto', 'table_inventory') | list -%}
with

inventory as (

    select * from {{ source('raw', 'table_inventory') }}

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
        inventory.table_name,
        inventory.loaded_at,
        produced_counts.table_name is not null or inventory.is_present as is_present,
        coalesce(produced_counts.row_count, inventory.rows_read) as rows_read,
        coalesce(produced_counts.row_count, inventory.rows_loaded) as rows_loaded,
        case when produced_counts.table_name is null then inventory.rows_quarantined else 0 end as rows_quarantined,
        case when produced_counts.table_name is null then inventory.rows_duplicate_exact else 0 end
            as rows_duplicate_exact,
        case when produced_counts.table_name is null then inventory.rows_superseded else 0 end as rows_superseded,
        case when produced_counts.table_name is null then inventory.source_file else 'zendesk' end as source_file
    from inventory
    left join produced_counts
        on inventory.table_name = produced_counts.table_name

)

select * from final
