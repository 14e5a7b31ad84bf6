{#- The contract's `agents` from the Zendesk users whose current role is agent or admin, in the raw table's shape.
    Zendesk holds no tier, hiring date or cost: tier 1, hired_at = the user's creation date, terminated_at = the
    last update of a user no longer active (deactivated, suspended or deleted), hourly_cost null. -#}
with

users as (

    select * from {{ ref('base_zendesk__user') }}

),

final as (

    select
        user_id as agent_id,
        user_name as name,
        email,
        -- Not mapped yet: the agent's default group (user.default_group_id is not in every connector schema).
        cast(null as {{ dbt.type_string() }}) as team,
        1 as tier,
        cast(created_at as date) as hired_at,
        case
            when is_active = false or is_suspended or is_fivetran_deleted then cast(updated_at as date)
        end as terminated_at,
        cast(null as {{ dbt.type_float() }}) as hourly_cost,
        'zendesk.user' as _source_file,
        row_number() over (order by user_id) as _source_row
    from users
    where user_role in ('agent', 'admin')

)

select * from final
