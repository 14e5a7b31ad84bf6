with

source as (

    {{ contract_input('agents') }}

),

renamed as (

    select
        -- ids
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        -- dates
        cast(hired_at as date) as hired_date,
        cast(terminated_at as date) as terminated_date,
        -- numerics
        cast(tier as {{ dbt.type_bigint() }}) as tier,
        cast(hourly_cost as {{ type_double() }}) as hourly_cost,
        -- attributes
        cast(name as {{ dbt.type_string() }}) as agent_name,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(team as {{ dbt.type_string() }}) as team,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
