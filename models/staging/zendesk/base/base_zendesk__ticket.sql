{#- The connector's `ticket` table: ids as text, enums lower-cased, the deleted flag made explicit. No logic. -#}
with

source as (

    select * from {{ source('zendesk', 'ticket') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as ticket_id,
        cast(requester_id as {{ dbt.type_string() }}) as requester_id,
        cast(submitter_id as {{ dbt.type_string() }}) as submitter_id,
        cast(assignee_id as {{ dbt.type_string() }}) as assignee_id,
        cast(group_id as {{ dbt.type_string() }}) as group_id,
        cast(brand_id as {{ dbt.type_string() }}) as brand_id,
        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        -- booleans
        coalesce(cast(_fivetran_deleted as {{ dbt.type_boolean() }}), false) as is_fivetran_deleted,
        -- attributes
        lower(trim(cast(status as {{ dbt.type_string() }}))) as status,
        lower(trim(cast(priority as {{ dbt.type_string() }}))) as priority,
        lower(trim(cast(type as {{ dbt.type_string() }}))) as ticket_type,
        lower(trim(cast(via_channel as {{ dbt.type_string() }}))) as via_channel,
        cast(subject as {{ dbt.type_string() }}) as subject
    from source

),

final as (

    select * from renamed

)

select * from final
