{#- The contract's `ticket_sla_targets` from Zendesk, in the raw table's shape: every `ticket_field_history` row of
    `first_reply_time`, `next_reply_time` or `total_resolution_time` (value `{"minutes": N, "in_business_hours":
    bool}`) is a target applied to its ticket at its `updated` instant. A null value (the policy removed) applies
    nothing. Zendesk's other SLA metrics (agent work time, requester wait time, periodic updates) have no contract
    metric. Rows of tickets left out (deleted) go with them. -#}
with

field_history as (

    select * from {{ ref('base_zendesk__ticket_field_history') }}

),

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

targets as (

    select
        field_history.ticket_id,
        case field_history.field_name
            when 'first_reply_time' then 'first_response'
            when 'next_reply_time' then 'next_response'
            when 'total_resolution_time' then 'resolution'
        end as metric,
        cast({{ json_key_text('field_history.field_value', 'minutes') }} as {{ type_double() }}) as target_minutes,
        cast(
            {{ json_key_text('field_history.field_value', 'in_business_hours') }} as {{ dbt.type_boolean() }}
        ) as business_hours,
        field_history.updated_at as applied_at
    from field_history
    inner join tickets
        on field_history.ticket_id = tickets.ticket_id
    where
        field_history.field_name in ('first_reply_time', 'next_reply_time', 'total_resolution_time')
        and field_history.field_value is not null

),

final as (

    select
        ticket_id,
        metric,
        target_minutes,
        business_hours,
        applied_at,
        'zendesk.ticket_field_history' as _source_file,
        row_number() over (order by ticket_id, metric, applied_at) as _source_row
    from targets

)

select * from final
