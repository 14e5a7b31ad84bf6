with

source as (

    {{ contract_input('kpi_targets') }}

),

renamed as (

    select
        -- ids
        cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
        -- numerics
        cast(target as {{ type_double() }}) as target,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
