{#- The connector's `user` table (a reserved word: quoted by the source). No logic. -#}
with

source as (

    select * from {{ source('zendesk', 'user') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as user_id,
        cast(organization_id as {{ dbt.type_string() }}) as organization_id,
        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        -- booleans
        cast(active as {{ dbt.type_boolean() }}) as is_active,
        cast(suspended as {{ dbt.type_boolean() }}) as is_suspended,
        coalesce(cast(_fivetran_deleted as {{ dbt.type_boolean() }}), false) as is_fivetran_deleted,
        -- attributes
        lower(trim(cast(role as {{ dbt.type_string() }}))) as user_role,
        cast(name as {{ dbt.type_string() }}) as user_name,
        cast(email as {{ dbt.type_string() }}) as email
    from source

),

final as (

    select * from renamed

)

select * from final
