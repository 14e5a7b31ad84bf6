{#- One row: the as-of instant (nothing after it exists) and the first
    instant of activity, which bound every period and clock. -#}
with

tickets as (

    select * from {{ ref('stg_tickets') }}

),

ticket_events as (

    select * from {{ ref('stg_ticket_events') }}

),

activity as (

    select
        min(created_at) as first_at,
        max(created_at) as last_at
    from tickets
    union all
    select
        min(occurred_at) as first_at,
        max(occurred_at) as last_at
    from ticket_events

),

bounds as (

    select
        {% if var('as_of') %}
        {{ utc_timestamp_literal(var('as_of')) }} as as_of_at,
        {% else %}
        max(last_at) as as_of_at,
        {% endif %}
        min(first_at) as first_activity_at
    from activity

),

final as (

    select
        as_of_at,
        first_activity_at,
        {{ reporting_date('as_of_at') }} as as_of_date,
        {{ reporting_date('first_activity_at') }} as first_activity_date,
        '{{ var("reporting_timezone") }}' as reporting_timezone
    from bounds

)

select * from final
