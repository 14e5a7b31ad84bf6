{#- The SLA policies in force, one row per priority and channel (`*` = any
    channel): the user's sla_policies file when it has rows, else the seed.
    A null business_hours counts business minutes, the usual SLA clock. -#}
with

staged_policies as (

    select * from {{ ref('stg_sla_policies') }}

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
        is_business_hours,
        'user' as config_source
    from staged_policies

),

user_policies_presence as (

    select count(*) as user_row_count from user_policies

),

shipped_policies as (

    select
        cast(seeded_policies.priority as {{ dbt.type_string() }}) as priority,
        cast(seeded_policies.channel as {{ dbt.type_string() }}) as channel,
        cast(seeded_policies.first_response_minutes as {{ type_double() }}) as first_response_minutes,
        cast(seeded_policies.resolution_minutes as {{ type_double() }}) as resolution_minutes,
        cast(seeded_policies.business_hours as {{ dbt.type_boolean() }}) as is_business_hours,
        'seed' as config_source
    from seeded_policies
    cross join user_policies_presence
    where user_policies_presence.user_row_count = 0

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
        first_response_minutes * 60 as first_response_target_seconds,
        resolution_minutes * 60 as resolution_target_seconds,
        is_business_hours,
        config_source
    from normalized

)

select * from final
