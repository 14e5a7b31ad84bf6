{#- Daily arrivals per channel, the history the volume forecast learns from:
    customer-initiated tickets (an outbound contact is work the team chose,
    not demand it must meet), counted by their reporting-time-zone date, over
    whole days only (the as-of day is still filling). A channel's day with no
    arrival has no row; the forecast counts it as 0. -#}
with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

reporting_bounds as (

    select * from {{ ref('int_reporting_bounds_computed') }}

),

final as (

    select
        tickets.channel,
        tickets.created_date as arrival_date,
        count(*) as tickets
    from tickets
    cross join reporting_bounds
    where
        not tickets.is_agent_initiated
        and tickets.created_date < reporting_bounds.as_of_date
    group by tickets.channel, tickets.created_date

)

select * from final
