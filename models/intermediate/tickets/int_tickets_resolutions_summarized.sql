{#- Per ticket with at least one status change: its solves, reopens and the
    status it is in at the as-of time (from the history, not the export's
    current row, so that nothing after the as-of time leaks in). -#}
{{ config(**by_ticket_incremental()) }}
-- depends_on: {{ ref('int_tickets_changed') }}
with

status_changes as (

    select * from {{ ref('int_ticket_status_changes_classified') }}
    where {{ changed_tickets_only('ticket_id') }}

),

last_change as (

    select
        ticket_id,
        new_status as status_at_as_of,
        row_number() over (partition by ticket_id order by event_sequence desc) as recency
    from status_changes

),

summarized as (

    select
        ticket_id,
        min(case when is_solve then occurred_at end) as first_resolved_at,
        max(case when is_solve then occurred_at end) as latest_solve_at,
        cast(sum(case when is_solve then 1 else 0 end) as {{ dbt.type_bigint() }}) as solve_count,
        cast(sum(case when is_reopen then 1 else 0 end) as {{ dbt.type_bigint() }}) as reopen_count
    from status_changes
    group by ticket_id

),

final as (

    select
        summarized.ticket_id,
        summarized.first_resolved_at,
        summarized.latest_solve_at,
        summarized.solve_count,
        summarized.reopen_count,
        last_change.status_at_as_of
    from summarized
    inner join last_change
        on summarized.ticket_id = last_change.ticket_id
        and last_change.recency = 1

)

select * from final
