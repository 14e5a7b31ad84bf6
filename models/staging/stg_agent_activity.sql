with

source as (

    {{ contract_input('agent_activity') }}

),

renamed as (

    select
        -- ids
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        -- dates
        cast(activity_date as date) as activity_date,
        -- numerics
        cast(scheduled_seconds as {{ dbt.type_bigint() }}) as scheduled_seconds,
        cast(logged_in_seconds as {{ dbt.type_bigint() }}) as logged_in_seconds,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
