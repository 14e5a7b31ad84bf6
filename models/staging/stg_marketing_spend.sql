with

source as (

    {{ contract_input('marketing_spend') }}

),

renamed as (

    select
        -- dates
        cast(month as date) as spend_month,
        -- numerics
        cast(amount as {{ type_double() }}) as amount,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
