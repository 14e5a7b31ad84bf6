{#- Status history: each status change with the status it left, flagged as a
    solve (into solved/closed from neither) or a reopen (out of solved/closed
    into an open status). solved -> closed is neither; a change to the same
    status changes nothing. A ticket starts as `new`. -#}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
with

ticket_events as (

    select * from {{ ref('int_ticket_events_sequenced') }}
    where {{ changed_tickets_only('ticket_id') }}

),

status_changes as (

    select
        ticket_id,
        event_id,
        occurred_at,
        ticket_created_at,
        event_sequence,
        new_status
    from ticket_events
    where event_type = 'status_change'
        and new_status is not null

),

with_previous as (

    select
        *,
        coalesce(
            lag(new_status) over (partition by ticket_id order by event_sequence),
            'new'
        ) as previous_status
    from status_changes

),

final as (

    select
        ticket_id,
        event_id,
        occurred_at,
        ticket_created_at,
        event_sequence,
        previous_status,
        new_status,
        {{ is_solved_status('new_status') }} as is_solved_after,
        {{ is_solved_status('previous_status') }} as is_solved_before,
        ({{ is_solved_status('new_status') }} and not {{ is_solved_status('previous_status') }}) as is_solve,
        ({{ is_solved_status('previous_status') }} and not {{ is_solved_status('new_status') }}) as is_reopen
    from with_previous

)

select * from final
