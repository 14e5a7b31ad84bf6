{#- The contract's `customers` from the Zendesk users, in the raw table's shape: every user who is not an agent or
    admin, and every requester of a kept ticket (an agent who opened a ticket for himself is its customer). A
    Zendesk user is a requester, not an account: segment, region, country and plan are not mapped yet (null). -#}
with

users as (

    select * from {{ ref('base_zendesk__user') }}

),

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

requesters as (

    select distinct customer_id from tickets

),

final as (

    select
        users.user_id as customer_id,
        users.created_at,
        cast(null as {{ dbt.type_string() }}) as segment,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_string() }}) as plan,
        'zendesk.user' as _source_file,
        row_number() over (order by users.user_id) as _source_row
    from users
    left join requesters
        on users.user_id = requesters.customer_id
    where
        users.user_role not in ('agent', 'admin')
        or users.user_role is null
        or requesters.customer_id is not null

)

select * from final
