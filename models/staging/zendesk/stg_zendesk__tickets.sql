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

live_tickets as (

    select tickets.*
    from tickets
    left join left_out
        on tickets.ticket_id = left_out.ticket_id
    where left_out.ticket_id is null

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
        -- Not mapped yet: needs ticket_schedule and the adapter's business_schedules (null = default schedule).
        cast(null as {{ dbt.type_string() }}) as schedule_id,
        live_tickets.subject,
        'zendesk.ticket' as _source_file,
        row_number() over (order by live_tickets.ticket_id) as _source_row
    from live_tickets
    left join zendesk_groups
        on live_tickets.group_id = zendesk_groups.group_id
    left join brands
        on live_tickets.brand_id = brands.brand_id

)

select * from final
