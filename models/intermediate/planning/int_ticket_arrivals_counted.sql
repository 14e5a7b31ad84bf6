{#- Daily arrivals per channel, the history the volume forecast learns from:
    the hourly counts summed over each day. A channel's day with no arrival
    has no row; the forecast counts it as 0. -#}
with

hourly_arrivals as (

    select * from {{ ref('int_ticket_arrivals_hourly_counted') }}

),

final as (

    select
        channel,
        arrival_date,
        cast(sum(tickets) as {{ dbt.type_bigint() }}) as tickets
    from hourly_arrivals
    group by channel, arrival_date

)

select * from final
