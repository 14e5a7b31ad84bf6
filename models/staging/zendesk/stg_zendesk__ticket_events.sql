{{ config(materialized='table') }}

{#- The contract's `ticket_events` from the Zendesk connector's tables, in the raw table's shape: comments are
    messages (internal notes too, with is_public false), status history rows are status changes, assignee and
    group history rows are assignments (one per ticket and instant, carrying the full assignee and team). Only
    events of the tickets stg_zendesk__tickets keeps, and none from a ticket's first `deleted` status on. -#}
with

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

comments as (

    select * from {{ ref('base_zendesk__ticket_comment') }}

),

field_history as (

    select * from {{ ref('base_zendesk__ticket_field_history') }}

),

users as (

    select * from {{ ref('base_zendesk__user') }}

),

zendesk_groups as (

    select * from {{ ref('base_zendesk__group') }}

),

deletions as (

    select
        ticket_id,
        min(updated_at) as deleted_at
    from field_history
    where field_name = 'status' and field_value = 'deleted'
    group by ticket_id

),

messages as (

    select
        'c:' || comments.comment_id as event_id,
        comments.ticket_id,
        comments.created_at as occurred_at,
        'message' as event_type,
        {{ zendesk_actor_type('users.user_role', unknown_is_customer=true) }} as actor_type,
        comments.user_id as actor_id,
        comments.is_public,
        cast(null as {{ dbt.type_string() }}) as new_status,
        cast(null as {{ dbt.type_string() }}) as new_assignee_id,
        cast(null as {{ dbt.type_string() }}) as new_team,
        'zendesk.ticket_comment' as source_table,
        0 as part_order,
        comments.body
    from comments
    left join users
        on comments.user_id = users.user_id
    where not comments.is_fivetran_deleted

),

status_changes as (

    select
        's:' || field_history.ticket_id || ':' || cast(field_history.updated_at as {{ dbt.type_string() }})
            as event_id,
        field_history.ticket_id,
        field_history.updated_at as occurred_at,
        'status_change' as event_type,
        {{ zendesk_actor_type('users.user_role', unknown_is_customer=false) }} as actor_type,
        field_history.user_id as actor_id,
        cast(null as {{ dbt.type_boolean() }}) as is_public,
        {{ zendesk_status('lower(trim(field_history.field_value))') }} as new_status,
        cast(null as {{ dbt.type_string() }}) as new_assignee_id,
        cast(null as {{ dbt.type_string() }}) as new_team,
        'zendesk.ticket_field_history' as source_table,
        1 as part_order,
        cast(null as {{ dbt.type_string() }}) as body
    from field_history
    left join users
        on field_history.user_id = users.user_id
    where field_history.field_name = 'status' and field_history.field_value <> 'deleted'

),

assignment_instants as (

    select
        ticket_id,
        updated_at,
        max(user_id) as user_id,
        max(case when field_name = 'assignee_id' then 1 else 0 end) as changes_assignee,
        max(case when field_name = 'assignee_id' then nullif(field_value, '') end) as assignee_value,
        max(case when field_name = 'group_id' then 1 else 0 end) as changes_group,
        max(case when field_name = 'group_id' then nullif(field_value, '') end) as group_value
    from field_history
    where field_name in ('assignee_id', 'group_id')
    group by ticket_id, updated_at

),

assignment_runs as (

    -- Each instant's run of the latest assignee (and group) change at or before it.
    select
        *,
        sum(changes_assignee) over (
            partition by ticket_id order by updated_at rows between unbounded preceding and current row
        ) as assignee_run,
        sum(changes_group) over (
            partition by ticket_id order by updated_at rows between unbounded preceding and current row
        ) as group_run
    from assignment_instants

),

assignment_states as (

    select
        ticket_id,
        updated_at,
        user_id,
        max(assignee_value) over (partition by ticket_id, assignee_run) as assignee_id,
        max(group_value) over (partition by ticket_id, group_run) as group_id
    from assignment_runs

),

assignments as (

    select
        'a:' || assignment_states.ticket_id || ':' || cast(assignment_states.updated_at as {{ dbt.type_string() }})
            as event_id,
        assignment_states.ticket_id,
        assignment_states.updated_at as occurred_at,
        'assignment' as event_type,
        {{ zendesk_actor_type('users.user_role', unknown_is_customer=false) }} as actor_type,
        assignment_states.user_id as actor_id,
        cast(null as {{ dbt.type_boolean() }}) as is_public,
        cast(null as {{ dbt.type_string() }}) as new_status,
        assignment_states.assignee_id as new_assignee_id,
        zendesk_groups.group_name as new_team,
        'zendesk.ticket_field_history' as source_table,
        2 as part_order,
        cast(null as {{ dbt.type_string() }}) as body
    from assignment_states
    left join users
        on assignment_states.user_id = users.user_id
    left join zendesk_groups
        on assignment_states.group_id = zendesk_groups.group_id

),

all_events as (

    select * from messages
    union all
    select * from status_changes
    union all
    select * from assignments

),

live_events as (

    select all_events.*
    from all_events
    inner join tickets
        on all_events.ticket_id = tickets.ticket_id
    left join deletions
        on all_events.ticket_id = deletions.ticket_id
    where deletions.deleted_at is null or all_events.occurred_at < deletions.deleted_at

),

final as (

    select
        event_id,
        ticket_id,
        occurred_at,
        event_type,
        actor_type,
        actor_id,
        is_public,
        new_status,
        new_assignee_id,
        new_team,
        cast(null as {{ dbt.type_bigint() }}) as new_tier,
        cast(null as {{ dbt.type_bigint() }}) as handle_seconds,
        body,
        source_table as _source_file,
        row_number() over (order by ticket_id, occurred_at, part_order, event_id) as _source_row
    from live_events

)

select * from final
