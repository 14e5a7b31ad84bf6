{#- The connector's `group` table (a reserved word: quoted by the source). Deleted groups are kept: a ticket's
    team is history, and dbt_zendesk's filter on `_fivetran_deleted` would lose it. No logic. -#}
with

source as (

    select * from {{ source('zendesk', 'group') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as group_id,
        -- booleans
        coalesce(cast(_fivetran_deleted as {{ dbt.type_boolean() }}), false) as is_fivetran_deleted,
        -- attributes
        cast(name as {{ dbt.type_string() }}) as group_name
    from source

),

final as (

    select * from renamed

)

select * from final
