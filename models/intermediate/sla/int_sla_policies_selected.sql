{#- The SLA policies in force, one row per priority and channel (`*` = any
    channel): the user's sla_policies rows; the shipped seed only when the
    user supplies neither sla_policies rows nor ticket_sla_targets rows (a
    helpdesk that sets targets per ticket, e.g. Zendesk, must not see the
    seed's targets on tickets it never put under an SLA). A null
    business_hours counts business minutes, the usual SLA clock. -#}
with

staged_policies as (

    select * from {{ ref('stg_sla_policies') }}

),

staged_ticket_targets as (

    select * from {{ ref('stg_ticket_sla_targets') }}

),

seeded_policies as (

    select * from {{ ref('sla_policies') }}

),

user_policies as (

    select
        priority,
        channel,
        first_response_minutes,
        resolution_minutes,
        next_response_minutes,
        is_business_hours,
        'user' as config_source
    from staged_policies

),

user_rows_presence as (

    select
        (select count(*) from user_policies) as user_policy_count,
        (select count(*) from staged_ticket_targets) as ticket_target_count

),

shipped_policies as (

    select
        cast(seeded_policies.priority as {{ dbt.type_string() }}) as priority,
        cast(seeded_policies.channel as {{ dbt.type_string() }}) as channel,
        cast(seeded_policies.first_response_minutes as {{ type_double() }}) as first_response_minutes,
        cast(seeded_policies.resolution_minutes as {{ type_double() }}) as resolution_minutes,
        cast(seeded_policies.next_response_minutes as {{ type_double() }}) as next_response_minutes,
        cast(seeded_policies.business_hours as {{ dbt.type_boolean() }}) as is_business_hours,
        'seed' as config_source
    from seeded_policies
    cross join user_rows_presence
    where user_rows_presence.user_policy_count = 0
        and user_rows_presence.ticket_target_count = 0

),

unioned as (

    select * from user_policies
    union all
    select * from shipped_policies

),

normalized as (

    select
        lower(trim(priority)) as priority,
        lower(trim(channel)) as channel,
        first_response_minutes,
        resolution_minutes,
        next_response_minutes,
        coalesce(is_business_hours, true) as is_business_hours,
        config_source
    from unioned

),

final as (

    select
        priority,
        channel,
        channel = '*' as is_any_channel,
        first_response_minutes,
        resolution_minutes,
        next_response_minutes,
        first_response_minutes * 60 as first_response_target_seconds,
        resolution_minutes * 60 as resolution_target_seconds,
        next_response_minutes * 60 as next_response_target_seconds,
        is_business_hours,
        config_source
    from normalized

)

select * from final
