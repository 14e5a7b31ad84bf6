{#- The connector's `schedule` table: one row per open interval, minutes from Sunday 00:00 local time. No logic. -#}
with

source as (

    select * from {{ source('zendesk', 'schedule') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as schedule_id,
        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        -- numerics
        cast(start_time as {{ dbt.type_bigint() }}) as start_minute,
        cast(end_time as {{ dbt.type_bigint() }}) as end_minute,
        -- booleans
        coalesce(cast(_fivetran_deleted as {{ dbt.type_boolean() }}), false) as is_fivetran_deleted,
        -- attributes
        cast(name as {{ dbt.type_string() }}) as schedule_name,
        cast(time_zone as {{ dbt.type_string() }}) as time_zone
    from source

),

final as (

    select * from renamed

)

select * from final
