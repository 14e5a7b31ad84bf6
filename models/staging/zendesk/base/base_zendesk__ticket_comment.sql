{#- The connector's `ticket_comment` table, renamed (`created`, `public`) and cast. No logic. -#}
with

source as (

    select * from {{ source('zendesk', 'ticket_comment') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as comment_id,
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        -- timestamps
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        -- booleans
        cast(public as {{ dbt.type_boolean() }}) as is_public,
        coalesce(cast(_fivetran_deleted as {{ dbt.type_boolean() }}), false) as is_fivetran_deleted,
        -- attributes
        cast(body as {{ dbt.type_string() }}) as body
    from source

),

final as (

    select * from renamed

)

select * from final
