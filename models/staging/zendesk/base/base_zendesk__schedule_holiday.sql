{#- The connector's `schedule_holiday` table, dates cast. No logic. -#}
with

source as (

    select * from {{ source('zendesk', 'schedule_holiday') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as holiday_id,
        cast(schedule_id as {{ dbt.type_string() }}) as schedule_id,
        -- dates
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        -- booleans
        coalesce(cast(_fivetran_deleted as {{ dbt.type_boolean() }}), false) as is_fivetran_deleted,
        -- attributes
        cast(name as {{ dbt.type_string() }}) as holiday_name
    from source

),

final as (

    select * from renamed

)

select * from final
