{#- The tickets an incremental run recomputes (int_incremental_window says when that is every ticket instead):
    tickets whose own rows were loaded or set aside since the last recorded run, the tickets of customers whose rows
    were, and tickets the moving as-of time can still change. The as-of time (the latest instant in the data) moves
    with every load, and only an undecided clock reads it: an SLA still running, a resolution target not yet met or
    passed, or a ticket SLA target applied after the previous as-of time (it applies to a clock that was still
    waiting then). A breached clock stays breached, a solved ticket's status changes only with new events, and both
    arrive as loaded rows. The running clocks are read from the ticket models as the previous run left them, before
    this run replaces their rows. -#}
{%- set previous_tickets = existing_model('fct_tickets') -%}
{%- set previous_cycles = existing_model('fct_next_replies') -%}
{%- set stamped = {'ticket': [], 'customer': []} -%}
{%- for table, reach in ticket_inputs().items() if reach != 'all' -%}
{%- for quarantine in [false, true] -%}
{%- set found = loader_table(table, quarantine=quarantine) -%}
{%- if found.exists and found.stamped -%}
            {%- do stamped[reach].append({
                'relation': found.relation,
                'stamp': '_set_aside_at' if quarantine else '_loaded_at',
                'since': 'previous_set_aside_through' if quarantine else 'previous_loaded_through',
            }) -%}
        {%- endif -%}
{%- endfor -%}
{%- endfor -%}
with

incremental_window as (

    select * from {{ ref('int_incremental_window') }}

),

tickets as (

    select * from {{ ref('stg_tickets') }}

),

ticket_targets as (

    select * from {{ ref('stg_ticket_sla_targets') }}

),

{% for reach in ['ticket', 'customer'] -%}
{{ reach }}_rows_changed as (

    {% for table in stamped[reach] -%}
    select cast({{ reach }}_id as {{ dbt.type_string() }}) as {{ reach }}_id
    from {{ table.relation }}
    where {{ table.stamp }} > (select incremental_window.{{ table.since }} from incremental_window)
    union all
    {% endfor -%}
    select cast(null as {{ dbt.type_string() }}) as {{ reach }}_id
    from incremental_window
    where 1 = 0

),

{% endfor -%}
tickets_of_changed_customers as (

    select tickets.ticket_id
    from tickets
    inner join customer_rows_changed
        on tickets.customer_id = customer_rows_changed.customer_id

),

tickets_still_moving as (

    {% if previous_tickets -%}
    select previous_tickets.ticket_id
    from {{ previous_tickets }} as previous_tickets
    where
        previous_tickets.first_response_sla_status = 'running'
        or previous_tickets.resolution_sla_status = 'running'
        or not previous_tickets.is_resolution_target_decided
    union all
    {% endif -%}
    {% if previous_cycles -%}
    select previous_cycles.ticket_id
    from {{ previous_cycles }} as previous_cycles
    where previous_cycles.next_response_sla_status = 'running'
    union all
    {% endif -%}
    select ticket_targets.ticket_id
    from ticket_targets
    cross join incremental_window
    where ticket_targets.applied_at > incremental_window.previous_as_of_at
    union all
    select cast(null as {{ dbt.type_string() }}) as ticket_id
    from incremental_window
    where 1 = 0

),

changes as (

    select ticket_id from ticket_rows_changed
    union all
    select ticket_id from tickets_of_changed_customers
    union all
    select ticket_id from tickets_still_moving

),

final as (

    select distinct ticket_id
    from changes
    where ticket_id is not null

)

select * from final
