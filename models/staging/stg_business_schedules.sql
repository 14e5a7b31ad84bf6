with

source as (

    {{ contract_input('business_schedules') }}

),

renamed as (

    select
        -- ids
        cast(schedule_id as {{ dbt.type_string() }}) as schedule_id,
        -- numerics
        cast(day_of_week as {{ dbt.type_bigint() }}) as day_of_week,
        -- attributes
        cast(timezone as {{ dbt.type_string() }}) as timezone,
        cast(start_time as {{ dbt.type_string() }}) as start_time,
        cast(end_time as {{ dbt.type_string() }}) as end_time,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
