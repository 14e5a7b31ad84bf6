{#- One row per knowledge-base article, with publish and archive instants as
    known at the as-of time (later ones are not yet facts). -#}
with

kb_articles as (

    select * from {{ ref('stg_kb_articles') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

final as (

    select
        kb_articles.article_id,
        kb_articles.article_title,
        kb_articles.article_category,
        kb_articles.created_at,
        case when kb_articles.published_at <= reporting_bounds.as_of_at then kb_articles.published_at end
            as published_at,
        case
            when kb_articles.published_at <= reporting_bounds.as_of_at
                then {{ reporting_date('kb_articles.published_at') }}
        end as published_date,
        case when kb_articles.archived_at <= reporting_bounds.as_of_at then kb_articles.archived_at end
            as archived_at
    from kb_articles
    cross join reporting_bounds

)

select * from final
