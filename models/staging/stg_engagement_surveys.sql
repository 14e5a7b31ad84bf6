with

source as (

    {{ contract_input('engagement_surveys') }}

),

renamed as (

    select
        -- ids
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        -- timestamps
        cast(responded_at as {{ dbt.type_timestamp() }}) as responded_at,
        -- numerics
        cast(score as {{ type_double() }}) as score,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
