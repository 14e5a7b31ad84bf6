with

source as (

    {{ contract_input('customer_revenue') }}

),

renamed as (

    select
        -- ids
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        -- dates
        cast(month as date) as revenue_month,
        -- numerics
        cast(mrr as {{ type_double() }}) as mrr,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
