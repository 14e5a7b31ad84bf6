{{ config(materialized='table') }}

{#- The contract's `tickets` from the Zendesk connector's tables, in the raw table's shape (contract columns plus
    the lineage columns), so stg_tickets reads it as it reads raw.tickets. -#}
with

tickets as (

    select * from {{ ref('base_zendesk__ticket') }}

),

left_out as (

    select * from {{ ref('stg_zendesk__tickets_left_out') }}

),

zendesk_groups as (

    select * from {{ ref('base_zendesk__group') }}

),

brands as (

    select * from {{ ref('base_zendesk__brand') }}

),

ticket_schedules as (

    select * from {{ ref('base_zendesk__ticket_schedule') }}

),

schedules as (

    select * from {{ ref('base_zendesk__schedule') }}
    where not is_fivetran_deleted

),

default_schedule as (

    -- The account's default: the earliest created schedule (ties: the lowest id), as dbt_zendesk.
    select schedule_id
    from schedules
    order by created_at, length(schedule_id), schedule_id
    limit 1

),

live_tickets as (

    select tickets.*
    from tickets
    left join left_out
        on tickets.ticket_id = left_out.ticket_id
    where left_out.ticket_id is null

),

schedule_at_creation as (

    -- The schedule Zendesk gave the ticket at creation: its latest ticket_schedule row stamped by 5 seconds after
    -- creation (Zendesk applies the schedule trigger a moment after the ticket exists).
    select
        live_tickets.ticket_id,
        ticket_schedules.schedule_id,
        row_number() over (
            partition by live_tickets.ticket_id
            order by ticket_schedules.created_at desc, ticket_schedules.schedule_id asc
        ) as schedule_rank
    from live_tickets
    inner join ticket_schedules
        on live_tickets.ticket_id = ticket_schedules.ticket_id
        and ticket_schedules.created_at <= {{ dbt.dateadd('second', 5, 'live_tickets.created_at') }}

),

final as (

    select
        live_tickets.ticket_id,
        live_tickets.created_at,
        live_tickets.updated_at,
        live_tickets.requester_id as customer_id,
        {{ zendesk_channel('live_tickets.via_channel') }} as channel,
        coalesce(live_tickets.priority, 'normal') as priority,
        coalesce(live_tickets.ticket_type, 'none') as category,
        brands.brand_name as product,
        {{ zendesk_status('live_tickets.status') }} as status,
        live_tickets.assignee_id,
        zendesk_groups.group_name as team,
        coalesce(schedule_at_creation.schedule_id, default_schedule.schedule_id) as schedule_id,
        live_tickets.subject,
        'zendesk.ticket' as _source_file,
        row_number() over (order by live_tickets.ticket_id) as _source_row
    from live_tickets
    left join zendesk_groups
        on live_tickets.group_id = zendesk_groups.group_id
    left join brands
        on live_tickets.brand_id = brands.brand_id
    left join schedule_at_creation
        on live_tickets.ticket_id = schedule_at_creation.ticket_id and schedule_at_creation.schedule_rank = 1
    left join default_schedule
        on 1 = 1

)

select * from final
