{#- The contract's `surveys` from a flat export's survey columns (mapping key `survey`), in the raw table's shape:
    one response per ticket with a score, on the mapping's scale. Responded at the survey's own time column when the
    mapping names one, else at the ticket's solve (resolved_at, then closed_at), first response or creation. No
    survey columns mapped: no rows, and raw.table_inventory says the table is absent (the CSAT KPIs unavailable). -#}
with

tickets as (

    select * from {{ source('flat', 'tickets_export') }}

),

final as (

    select
        survey_type || ':' || ticket_id as response_id,
        survey_type,
        ticket_id,
        customer_id,
        coalesce(survey_responded_at, resolved_at, closed_at, first_response_at, created_at) as responded_at,
        survey_score as score,
        survey_scale_min as scale_min,
        survey_scale_max as scale_max,
        survey_comment as comment,
        _source_file,
        _source_row
    from tickets
    where survey_score is not null

)

select * from final
