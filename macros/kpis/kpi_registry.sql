{#-
    THE KPI REGISTRY: every KPI is declared once, here.

    kpi_values' SQL, kpi_catalog's rows, the dbt docs and the Superset metrics
    are all derived from these entries (Python reads the same YAML through
    support_kpis/kpi_registry.py), so a KPI's definition, SQL, test and chart
    are found by searching for its id.

    Fields of a KPI:
      id, name, section, description, formula, unit, direction, attributed_by,
      required_tables      contract tables it needs (is_available in kpi_catalog)
      grains               default [day, week, month]
      dimension_set        key of dimension_sets below
      aggregation          count | ratio | mean | median | p90 | net | custom
      model                the model holding one row per observation
      attributed_at        UTC timestamp column deciding the period
      where                SQL predicate selecting the observations
      value                SQL expression (mean, median, p90, net)
      numerator/denominator  SQL expressions, additive per observation (ratio)
    A `custom` KPI's model already has kpi_values' shape (e.g. backlog, a
    state at period ends rather than a sum of events).

    Only plain YAML between the set tags: no Jinja.
-#}
{% macro kpi_registry() %}
{% set kpi_registry_yaml %}
dimension_sets:
  ticket: [channel, priority, category, team, agent, product, segment, region]

kpis:

  # ----------------------------------------------------------------- speed
  - id: first_response_time_median_minutes
    name: First response time (median)
    section: speed
    description: >-
      How long a customer waits for the first public agent reply. Median over
      customer-initiated tickets that have a first response; internal notes and
      bot messages are not replies.
    formula: median(first response at − created_at), in minutes
    unit: minutes
    direction: lower_is_better
    attributed_by: created_at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: median
    model: fct_tickets
    attributed_at: created_at
    where: not is_agent_initiated and first_response_at is not null
    value: first_response_minutes

  - id: first_response_time_avg_minutes
    name: First response time (mean)
    section: speed
    description: >-
      Mean wait for the first public agent reply, over customer-initiated
      tickets that have a first response. Sensitive to long waits.
    formula: mean(first response at − created_at), in minutes
    unit: minutes
    direction: lower_is_better
    attributed_by: created_at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: mean
    model: fct_tickets
    attributed_at: created_at
    where: not is_agent_initiated and first_response_at is not null
    value: first_response_minutes

  - id: first_response_time_p90_minutes
    name: First response time (p90)
    section: speed
    description: >-
      The wait for a first public agent reply that 90% of customer-initiated,
      answered tickets stay within (continuous percentile).
    formula: percentile_cont(0.9) of (first response at − created_at), in minutes
    unit: minutes
    direction: lower_is_better
    attributed_by: created_at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: p90
    model: fct_tickets
    attributed_at: created_at
    where: not is_agent_initiated and first_response_at is not null
    value: first_response_minutes

  - id: average_response_time_minutes
    name: Average response time
    section: speed
    description: >-
      Mean wait over reply cycles. A cycle starts at the ticket's first
      customer message, or at the first customer message after a public agent
      reply, and ends at the next public agent reply; cycles still waiting are
      left out. Counted in the period of the reply.
    formula: sum(reply at − cycle start) ÷ reply cycles, in minutes
    unit: minutes
    direction: lower_is_better
    attributed_by: the reply
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: mean
    model: fct_reply_cycles
    attributed_at: replied_at
    where: not is_agent_initiated
    value: wait_minutes

  - id: resolution_time_median_hours
    name: Resolution time (median)
    section: speed
    description: >-
      Median time from creation to the first solve, over tickets first
      resolved in the period.
    formula: median(first resolved at − created_at), in hours
    unit: hours
    direction: lower_is_better
    attributed_by: first resolved at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: median
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null
    value: first_resolution_hours

  - id: resolution_time_avg_hours
    name: Resolution time (mean)
    section: speed
    description: Mean time from creation to the first solve, over tickets first resolved in the period.
    formula: mean(first resolved at − created_at), in hours
    unit: hours
    direction: lower_is_better
    attributed_by: first resolved at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: mean
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null
    value: first_resolution_hours

  - id: full_resolution_time_median_hours
    name: Full resolution time (median)
    section: speed
    description: >-
      Median time from creation to the last solve, over tickets solved or
      closed at the as-of time, in the period of their last solve. Reopened
      tickets count their whole life.
    formula: median(last resolved at − created_at), in hours
    unit: hours
    direction: lower_is_better
    attributed_by: last resolved at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: median
    model: fct_tickets
    attributed_at: last_resolved_at
    where: last_resolved_at is not null
    value: full_resolution_hours

  - id: average_handle_time_minutes
    name: Average handle time
    section: speed
    description: >-
      Agent working time per ticket: handle_seconds of all the ticket's events
      up to the as-of time (a null counts 0), averaged over the tickets first
      resolved in the period.
    formula: sum(handle_seconds) ÷ tickets first resolved ÷ 60
    unit: minutes
    direction: lower_is_better
    attributed_by: first resolved at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: mean
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null
    value: handle_minutes

  - id: resolved_within_target_pct
    name: Resolved within target
    section: speed
    description: >-
      Share of tickets created in the period that were first resolved within
      the calendar resolution target (var resolution_target_hours, default
      24). A ticket created less than the target before the as-of time and not
      yet resolved is still running and left out of both parts.
    formula: tickets first resolved within target ÷ tickets created × 100
    unit: pct
    direction: higher_is_better
    attributed_by: created_at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: ratio
    model: fct_tickets
    attributed_at: created_at
    where: is_resolution_target_decided
    numerator: case when is_resolved_within_target then 1 else 0 end
    denominator: "1"

  # -------------------------------------------------------- volume and flow
  - id: tickets_created
    name: Tickets created
    section: volume_and_flow
    description: Tickets created in the period ("number of issues"; by category = issues by type).
    formula: count(tickets)
    unit: count
    direction: neutral
    attributed_by: created_at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: count
    model: fct_tickets
    attributed_at: created_at

  - id: tickets_solved
    name: Tickets solved
    section: volume_and_flow
    description: Tickets first resolved in the period (a later reopen does not move it).
    formula: count(tickets first resolved)
    unit: count
    direction: neutral
    attributed_by: first resolved at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: count
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null

  - id: backlog_open_tickets
    name: Backlog (open tickets)
    section: volume_and_flow
    description: >-
      Tickets created by the end of the period whose status at that instant,
      from their status history, is not solved or closed (no status change yet
      means open). The instant is the start of the next period (exclusive), or
      the as-of time for the period that holds it.
    formula: count(tickets open at the period's end)
    unit: count
    direction: lower_is_better
    attributed_by: period end
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: custom
    model: int_kpi_values_backlog

  - id: reopen_rate_pct
    name: Reopen rate
    section: volume_and_flow
    description: >-
      Share of tickets first resolved in the period that were reopened at
      least once (a status change out of solved/closed), at any time up to the
      as-of time.
    formula: tickets first resolved with a reopen ÷ tickets first resolved × 100
    unit: pct
    direction: lower_is_better
    attributed_by: first resolved at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: ratio
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null
    numerator: case when reopen_count > 0 then 1 else 0 end
    denominator: "1"

  - id: escalation_rate_pct
    name: Escalation rate
    section: volume_and_flow
    description: Share of tickets created in the period that have at least one escalation event.
    formula: escalated tickets ÷ tickets created × 100
    unit: pct
    direction: lower_is_better
    attributed_by: created_at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: ratio
    model: fct_tickets
    attributed_at: created_at
    numerator: case when is_escalated then 1 else 0 end
    denominator: "1"

  - id: first_contact_resolution_pct
    name: First-contact resolution
    section: volume_and_flow
    description: >-
      Among tickets first resolved in the period that have at least one public
      agent reply, the share resolved with exactly one public agent reply and
      never reopened (replies and reopens over the whole history up to the
      as-of time).
    formula: tickets with one public agent reply and no reopen ÷ tickets with >= 1 public agent reply × 100
    unit: pct
    direction: higher_is_better
    attributed_by: first resolved at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: ratio
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null and public_agent_reply_count >= 1
    numerator: case when public_agent_reply_count = 1 and reopen_count = 0 then 1 else 0 end
    denominator: "1"

  - id: ces_interaction_net
    name: Interaction effort (net difficult tickets)
    section: volume_and_flow
    description: >-
      Effort measured from the conversation, not a survey: tickets first
      resolved in the period with more than 3 public agent replies
      ("difficult") minus those with 1 or 2 ("easy"). Negative is good.
    formula: count(replies > 3) − count(replies in 1..2)
    unit: count
    direction: lower_is_better
    attributed_by: first resolved at
    required_tables: [tickets, ticket_events]
    dimension_set: ticket
    aggregation: net
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null
    value: >-
      case when public_agent_reply_count > 3 then 1
      when public_agent_reply_count between 1 and 2 then -1 else 0 end
{% endset %}
{{ return(fromyaml(kpi_registry_yaml)) }}
{% endmacro %}
