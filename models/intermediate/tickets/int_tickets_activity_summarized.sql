{#- Per ticket: who spoke first, the first response, reply counts, escalations
    and handle time, over the whole history up to the as-of time. -#}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
with

ticket_events as (

    select * from {{ ref('int_ticket_events_sequenced') }}
    where {{ changed_tickets_only('ticket_id') }}

),

summarized as (

    select
        ticket_id,
        min(case when is_customer_message then event_sequence end) as first_customer_message_sequence,
        min(case when is_public_agent_reply then event_sequence end) as first_public_agent_reply_sequence,
        min(
            case when is_public_agent_reply and occurred_at >= ticket_created_at then occurred_at end
        ) as first_response_at,
        cast(sum(case when is_public_agent_reply then 1 else 0 end) as {{ dbt.type_bigint() }})
            as public_agent_reply_count,
        cast(sum(case when is_public_bot_message then 1 else 0 end) as {{ dbt.type_bigint() }})
            as public_bot_message_count,
        cast(sum(case when is_customer_message then 1 else 0 end) as {{ dbt.type_bigint() }}) as customer_message_count,
        cast(sum(case when event_type = 'escalation' then 1 else 0 end) as {{ dbt.type_bigint() }}) as escalation_count,
        cast(sum(coalesce(handle_seconds, 0)) as {{ dbt.type_bigint() }}) as handle_seconds
    from ticket_events
    group by ticket_id

),

final as (

    select
        ticket_id,
        first_response_at,
        public_agent_reply_count,
        public_bot_message_count,
        customer_message_count,
        escalation_count,
        handle_seconds,
        -- Outbound contact: an agent's public message came before any customer message.
        coalesce(
            first_public_agent_reply_sequence
            < coalesce(first_customer_message_sequence, first_public_agent_reply_sequence + 1),
            false
        ) as is_agent_initiated
    from summarized

)

select * from final
