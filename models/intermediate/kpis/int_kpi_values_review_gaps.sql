{#- Gaps between consecutive 5-star reviews (avg_days_between_positive_reviews
    is their mean), taken within each segment (all reviews for `all`, that
    segment's reviews for segment = X), so a segment's row answers "how often
    does this segment leave a 5-star review"; each gap counts in the period
    of the later review. Segment rows therefore do not add up to `all`. -#}
{%- set dimensions = ['segment', 'region'] -%}
with

reviews as (

    select * from {{ ref('fct_reviews') }}

),

positive_by_segment as (

    select
        review_id,
        published_at,
        published_date,
        'all' as dimension,
        'all' as dimension_value
    from reviews
    where is_positive
    {% for dimension in dimensions %}
    union all
    select
        review_id,
        published_at,
        published_date,
        '{{ dimension }}' as dimension,
        {{ dimension }} as dimension_value
    from reviews
    where is_positive
    {% endfor %}

),

gaps as (

    select
        dimension,
        dimension_value,
        published_date,
        {{ seconds_between(
            'lag(published_at) over (partition by dimension, dimension_value order by published_at, review_id)',
            'published_at'
        ) }} / 86400.0 as gap_days
    from positive_by_segment

),

periods as (

    select
        dimension,
        dimension_value,
        published_date as period_date,
        {{ week_start('published_date') }} as period_week,
        {{ month_start('published_date') }} as period_month,
        gap_days
    from gaps
    where gap_days is not null

),

aggregated as (

    {% for grain, period_column in [('day', 'period_date'), ('week', 'period_week'), ('month', 'period_month')] %}
    select
        '{{ grain }}' as grain,
        {{ period_column }} as period_start,
        dimension,
        dimension_value,
        sum(gap_days) as gap_days_sum,
        count(*) as gap_count
    from periods
    group by {{ period_column }}, dimension, dimension_value
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        grain,
        cast(period_start as date) as period_start,
        dimension,
        dimension_value,
        cast(gap_days_sum as {{ type_double() }}) as gap_days_sum,
        cast(gap_count as {{ dbt.type_bigint() }}) as gap_count
    from aggregated

)

select * from final
