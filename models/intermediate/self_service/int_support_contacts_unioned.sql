{#- deflection_rate_pct's population: deflected self-service sessions (at
    their start) and tickets created (at their creation), side by side. -#}
with

sessions as (

    select * from {{ ref('fct_self_service_sessions') }}

),

tickets as (

    select * from {{ ref('fct_tickets') }}

),

final as (

    select
        'self_service_session' as contact_type,
        session_id as contact_id,
        started_at as contacted_at,
        started_date as contacted_date,
        true as is_deflected_session,
        segment,
        region
    from sessions
    where is_deflected

    union all

    select
        'ticket' as contact_type,
        ticket_id as contact_id,
        created_at as contacted_at,
        created_date as contacted_date,
        false as is_deflected_session,
        segment,
        region
    from tickets

)

select * from final
