{#- The connector's `ticket_schedule` table: the schedule a ticket runs on from `created_at` on. No logic. -#}
with

source as (

    select * from {{ source('zendesk', 'ticket_schedule') }}

),

renamed as (

    select
        -- ids
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(schedule_id as {{ dbt.type_string() }}) as schedule_id,
        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at
    from source

),

final as (

    select * from renamed

)

select * from final
