{#- The contract's `tickets` from a flat export (flat.tickets_export, written by `support-kpis load --mapping`), in
    the raw table's shape. The loader has already renamed, typed and mapped the columns; rows that contradict
    themselves are in quarantine.tickets_export and never reach this model. -#}
with

export as (

    select * from {{ source('flat', 'tickets_export') }}

),

final as (

    select
        ticket_id,
        created_at,
        updated_at,
        customer_id,
        channel,
        priority,
        category,
        product,
        status,
        assignee_id,
        team,
        cast(null as {{ dbt.type_string() }}) as schedule_id,
        subject,
        _source_file,
        _source_row
    from export

)

select * from final
