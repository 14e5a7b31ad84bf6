with

source as (

    {{ contract_input('self_service_sessions') }}

),

renamed as (

    select
        -- ids
        cast(session_id as {{ dbt.type_string() }}) as session_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(article_id as {{ dbt.type_string() }}) as article_id,
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        -- timestamps
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
        -- booleans
        cast(resolved as {{ dbt.type_boolean() }}) as is_resolved,
        cast(helpful as {{ dbt.type_boolean() }}) as is_helpful,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
