{#- The connector's `ticket_field_history` table, renamed (`updated`, `value`) and cast. No logic. -#}
with

source as (

    select * from {{ source('zendesk', 'ticket_field_history') }}

),

renamed as (

    select
        -- ids
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        -- timestamps
        cast(updated as {{ dbt.type_timestamp() }}) as updated_at,
        -- attributes
        lower(trim(cast(field_name as {{ dbt.type_string() }}))) as field_name,
        cast(value as {{ dbt.type_string() }}) as field_value
    from source

),

final as (

    select * from renamed

)

select * from final
