{#- The contract's `surveys` from Zendesk CSAT, in the raw table's shape: one CSAT response per kept ticket, its
    latest rating (`satisfaction_score` history `good`/`goodwithcomment` → 1, `bad`/`badwithcomment` → 0, on the
    binary scale 0–1), responded at that history row. `offered`/`unoffered` are not responses. The latest rating at
    or before the as-of time counts (a rating changed later does not exist yet then): var as_of (an offset is
    honoured, as everywhere), else the catalog's data-driven as-of, the last ticket creation or event of the
    adapter's tickets and events. Without this bound a rating changed after the as-of time would hide the earlier
    one, and the ticket would have no CSAT at all (fct_survey_responses drops responses after the as-of time). -#}
with

field_history as (

    select * from {{ ref('base_zendesk__ticket_field_history') }}

),

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

ticket_events as (

    select * from {{ ref('stg_zendesk__ticket_events') }}

),

as_of_bound as (

    {% if var('as_of') -%}
    select {{ utc_timestamp_literal(var('as_of')) }} as as_of_at
    {%- else -%}
    select max(last_at) as as_of_at
    from (
        select max(created_at) as last_at from tickets
        union all
        select max(occurred_at) as last_at from ticket_events
    ) as activity
    {%- endif %}

),

ratings as (

    select
        field_history.ticket_id,
        field_history.updated_at,
        case
            when lower(trim(field_history.field_value)) in ('good', 'goodwithcomment') then 1
            else 0
        end as score
    from field_history
    cross join as_of_bound
    where
        field_history.field_name = 'satisfaction_score'
        and lower(trim(field_history.field_value)) in ('good', 'goodwithcomment', 'bad', 'badwithcomment')
        and field_history.updated_at <= as_of_bound.as_of_at

),

comments as (

    select
        ticket_id,
        updated_at,
        field_value as comment
    from field_history
    where field_name = 'satisfaction_comment'

),

latest_ratings as (

    select
        ticket_id,
        updated_at,
        score,
        row_number() over (partition by ticket_id order by updated_at desc) as rating_rank
    from ratings

),

final as (

    select
        'csat:' || latest_ratings.ticket_id as response_id,
        'csat' as survey_type,
        latest_ratings.ticket_id,
        tickets.customer_id,
        latest_ratings.updated_at as responded_at,
        latest_ratings.score,
        0 as scale_min,
        1 as scale_max,
        comments.comment,
        'zendesk.ticket_field_history' as _source_file,
        row_number() over (order by latest_ratings.ticket_id) as _source_row
    from latest_ratings
    inner join tickets
        on latest_ratings.ticket_id = tickets.ticket_id
    left join comments
        on latest_ratings.ticket_id = comments.ticket_id and latest_ratings.updated_at = comments.updated_at
    where latest_ratings.rating_rank = 1

)

select * from final
