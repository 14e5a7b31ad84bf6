{#- The connector's `brand` table. Deleted brands are kept: they still name their tickets' product. No logic. -#}
with

source as (

    select * from {{ source('zendesk', 'brand') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as brand_id,
        -- booleans
        coalesce(cast(_fivetran_deleted as {{ dbt.type_boolean() }}), false) as is_fivetran_deleted,
        -- attributes
        cast(name as {{ dbt.type_string() }}) as brand_name
    from source

),

final as (

    select * from renamed

)

select * from final
