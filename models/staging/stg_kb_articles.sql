with

source as (

    {{ contract_input('kb_articles') }}

),

renamed as (

    select
        -- ids
        cast(article_id as {{ dbt.type_string() }}) as article_id,
        -- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(published_at as {{ dbt.type_timestamp() }}) as published_at,
        cast(archived_at as {{ dbt.type_timestamp() }}) as archived_at,
        -- attributes
        cast(title as {{ dbt.type_string() }}) as article_title,
        cast(category as {{ dbt.type_string() }}) as article_category,
        -- lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file_name,
        cast(_source_row as {{ dbt.type_bigint() }}) as source_row_number
    from source

),

final as (

    select * from renamed

)

select * from final
