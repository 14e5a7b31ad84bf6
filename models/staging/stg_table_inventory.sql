with

source as (

    {{ contract_input('table_inventory') }}

),

renamed as (

    select
        -- ids
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        -- timestamps
        cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at,
        -- booleans
        cast(is_present as {{ dbt.type_boolean() }}) as is_present,
        -- numerics
        cast(rows_read as {{ dbt.type_bigint() }}) as rows_read,
        cast(rows_loaded as {{ dbt.type_bigint() }}) as rows_loaded,
        cast(rows_quarantined as {{ dbt.type_bigint() }}) as rows_quarantined,
        cast(rows_duplicate_exact as {{ dbt.type_bigint() }}) as rows_duplicate_exact,
        cast(rows_superseded as {{ dbt.type_bigint() }}) as rows_superseded,
        -- lineage
        cast(source_file as {{ dbt.type_string() }}) as source_file_name
    from source

),

final as (

    select * from renamed

)

select * from final
