{#- Reply cycles: a cycle starts at the ticket's first customer message, or at
    the first customer message after a public agent reply, and ends at the
    next public agent reply. Each public agent reply closes the group of
    conversation messages since the previous one, so a running count of
    replies numbers the cycles without a self-join. Internal notes and bot
    messages take no part. A cycle with no reply up to the as-of time is still
    waiting (null reply columns); fct_reply_cycles keeps the answered ones. -#}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
with

ticket_events as (

    select * from {{ ref('int_ticket_events_sequenced') }}
    where {{ changed_tickets_only('ticket_id') }}

),

conversation as (

    select
        ticket_id,
        event_id,
        occurred_at,
        event_sequence,
        is_customer_message,
        is_public_agent_reply
    from ticket_events
    where is_customer_message or is_public_agent_reply

),

numbered as (

    select
        *,
        -- Replies strictly before this message: the cycle it belongs to.
        coalesce(
            sum(case when is_public_agent_reply then 1 else 0 end) over (
                partition by ticket_id
                order by event_sequence
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as cycle_number
    from conversation

),

cycles as (

    select
        ticket_id,
        cycle_number,
        min(case when is_customer_message then occurred_at end) as started_at,
        max(case when is_public_agent_reply then occurred_at end) as replied_at,
        max(case when is_public_agent_reply then event_id end) as reply_event_id
    from numbered
    group by ticket_id, cycle_number

),

final as (

    select
        ticket_id,
        cycle_number,
        reply_event_id,
        started_at,
        replied_at,
        {{ seconds_between('started_at', 'replied_at') }} as wait_seconds,
        row_number() over (partition by ticket_id order by cycle_number) = 1 as is_first_cycle
    from cycles
    -- A group without a customer message is an agent follow-up, not a cycle.
    where started_at is not null

)

select * from final
