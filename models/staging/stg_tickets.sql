with

source as (

    {{ contract_input('tickets') }}

),

renamed as (

    select
        -- ids
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(assignee_id as {{ dbt.type_string() }}) as assignee_id,
        cast(schedule_id as {{ dbt.type_string() }}) as schedule_id,
        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        -- attributes
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(coalesce(priority, 'normal') as {{ dbt.type_string() }}) as priority,
        cast(coalesce(category, 'uncategorized') as {{ dbt.type_string() }}) as category,
        cast(product as {{ dbt.type_string() }}) as product,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(team as {{ dbt.type_string() }}) as team,
        cast(subject as {{ dbt.type_string() }}) as subject,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
