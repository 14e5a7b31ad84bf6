{#- The Zendesk tickets the adapter leaves out, with the reason: current status `deleted`, or deleted since the
    connector's last sync (`_fivetran_deleted`). Their comments, history and ratings are left out with them. -#}
with

tickets as (

    select * from {{ ref('base_zendesk__ticket') }}

),

final as (

    select
        ticket_id,
        case when status = 'deleted' then 'status_deleted' else 'fivetran_deleted' end as reason
    from tickets
    where status = 'deleted' or is_fivetran_deleted

)

select * from final
