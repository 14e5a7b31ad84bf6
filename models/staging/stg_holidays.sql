with

source as (

    {{ contract_input('holidays') }}

),

renamed as (

    select
        -- ids
        cast(schedule_id as {{ dbt.type_string() }}) as schedule_id,
        -- dates
        cast(holiday_date as date) as holiday_date,
        -- attributes
        cast(name as {{ dbt.type_string() }}) as holiday_name,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
