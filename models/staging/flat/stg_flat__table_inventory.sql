{#- The loader's table inventory with the rows of the tables the flat adapter produces counted from its models
    (the export's tickets keep the loader's counts: rows read, quarantined, superseded). Surveys are present only
    when the mapping names survey columns (the loader's inventory row says so). -#}
with

inventory as (

    select * from {{ source('raw', 'table_inventory') }}

),

produced_counts as (

    select
        'ticket_events' as table_name,
        count(*) as row_count
    from {{ ref('stg_flat__ticket_events') }}
    union all
    select
        'surveys' as table_name,
        count(*) as row_count
    from {{ ref('stg_flat__surveys') }}

),

final as (

    select
        inventory.table_name,
        inventory.loaded_at,
        inventory.is_present,
        coalesce(produced_counts.row_count, inventory.rows_read) as rows_read,
        coalesce(produced_counts.row_count, inventory.rows_loaded) as rows_loaded,
        inventory.rows_quarantined,
        inventory.rows_duplicate_exact,
        inventory.rows_superseded,
        inventory.source_file
    from inventory
    left join produced_counts
        on inventory.table_name = produced_counts.table_name and inventory.is_present

)

select * from final
