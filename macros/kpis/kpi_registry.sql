{#-
    THE KPI REGISTRY: every KPI is declared once, here.

    kpi_values' SQL, kpi_catalog's rows, the dbt docs, the dbt semantic layer
    (models/semantic_layer/) and the Superset metrics are all derived from
    these entries (Python reads the same YAML through
    support_kpis/kpi_registry.py), so a KPI's definition, SQL, test and chart
    are found by searching for its id.

    Fields of a KPI (`fields.kpi` below lists them; any other key, e.g. a
    typo, fails both `dbt parse` and the Python reader, naming the KPI):
      id, name, section, description, formula, unit, direction, attributed_by,
      required_tables      contract tables it needs (is_available in kpi_catalog)
      needs                inputs (keys of `inputs` below) a source adapter may
                           be unable to supply; a KPI needing an input in the
                           run's source's `source_gaps` is unavailable, with
                           that gap's reason in kpi_catalog
      requires_var         a boolean dbt var that must be true (e.g. using_business_time)
      grains               default [day, week, month]
      dimension_set        key of dimension_sets below
      aggregation          count | count_distinct | sum | net | ratio | mean |
                           median | p90 | custom
      measure              key of measures below: its model, attributed_at or
                           attributed_date, where and value, shared by the
                           KPIs that aggregate one measure differently
                           (median, mean, p90); such a KPI sets none of them
      model                the model holding one row per observation; it has
                           a column per dimension of its dimension_set
      attributed_at        UTC timestamp column deciding the period (its
                           reporting-zone date is the model's `<x>_date`)
      attributed_date      or: a date column already in the reporting zone
      where                SQL predicate selecting the observations
      value                SQL expression (sum, mean, median, p90)
      plus/minus           SQL predicates (net): an observation counts +1 when
                           plus holds, else -1 when minus holds, else 0
      numerator/denominator  SQL expressions, additive per observation (ratio;
                           value = numerator / denominator, x 100 for pct)
      distinct             SQL expression counted distinct (count_distinct)
      sample               per-observation contribution to sample_size
                           (default 1; non-null values for mean/median/p90)
      custom_because       why the KPI is custom (required for custom, and
                           the reason the dbt semantic layer cannot express it)

    Every aggregation but `custom` becomes a dbt metric (MetricFlow). A
    `custom` KPI is computed by its own model, one row per grain, period,
    dimension and dimension_value with named columns: `value`, `numerator`,
    `denominator` and `sample` (its sample_size) are SQL over those columns,
    and `where` selects the rows, so no custom model names a KPI id.

    Only plain YAML between the set tags: no Jinja.
-#}
{% macro kpi_registry() %}
{% set kpi_registry_yaml %}
# The keys an entry may have.
fields:
  kpi: [
    id, name, section, description, formula, unit, direction, attributed_by,
    required_tables, requires_var, grains, dimension_set, aggregation,
    measure, model, attributed_at, attributed_date, where, value, plus, minus,
    numerator, denominator, distinct, sample, custom_because, needs,
  ]
  measure: [model, attributed_at, attributed_date, where, value]

# Inputs of the data contract that a source adapter (the dbt var `source`)
# may be unable to supply, beyond whole tables (see `needs` above).
inputs:
  handle_time: ticket_events.handle_seconds, the agent's working time per event
  bot_replies: messages written by a bot (actor_type bot)
  escalations: escalation events with the tier reached
  customer_accounts: customers as accounts won, with their creation date
  nps_surveys: NPS survey responses
  ces_surveys: customer effort (CES) survey responses
  reply_history: every customer message and public agent reply of a ticket, not only its first reply
  status_history: every status change of a ticket (reopens, later solves), not only its one solve

# What each source adapter cannot supply, and the reason kpi_catalog gives
# (keys of `inputs`). The `contract` source supplies everything.
source_gaps:
  zendesk:
    handle_time: Zendesk's ticket tables record no agent working time per comment or event.
    bot_replies: Zendesk ticket comments carry no bot author type.
    escalations: Zendesk has no support tiers; a group change is not an escalation.
    customer_accounts: Zendesk users are requesters, not accounts won.
    nps_surveys: Zendesk's satisfaction rating is good/bad CSAT only.
    ces_surveys: Zendesk's satisfaction rating is good/bad CSAT only.
  flat:
    handle_time: A flat export (one row per ticket) records no agent working time.
    bot_replies: A flat export (one row per ticket) does not say who wrote which message, bot or agent.
    escalations: A flat export (one row per ticket) holds no escalation history.
    customer_accounts: A flat export names requesters, not accounts won.
    reply_history: A flat export (one row per ticket) holds only the first response, not every reply.
    status_history: A flat export (one row per ticket) holds one solve, not the status history (reopens).

dimension_sets:
  ticket: [channel, priority, category, team, agent, product, segment, region]
  customer: [segment, region]
  agent_team: [agent, team]

# Observations shared by several KPIs (aggregated differently).
measures:
  first_response_minutes:
    model: fct_tickets
    attributed_at: created_at
    where: not is_agent_initiated and first_response_at is not null
    value: first_response_minutes
  first_resolution_hours:
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null
    value: first_resolution_hours

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
    measure: first_response_minutes

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
    measure: first_response_minutes

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
    measure: first_response_minutes

  - id: first_response_time_business_median_minutes
    name: First response time in business hours (median)
    section: speed
    description: >-
      Median wait for the first public agent reply counted in business minutes
      of the ticket's schedule (its open hours in its own time zone, minus its
      holidays), over customer-initiated tickets with a first response.
    formula: median(business minutes from created_at to first response at)
    unit: minutes
    direction: lower_is_better
    attributed_by: created_at
    required_tables: [tickets, ticket_events]
    requires_var: using_business_time
    dimension_set: ticket
    aggregation: median
    model: fct_tickets
    attributed_at: created_at
    where: not is_agent_initiated and first_response_at is not null
    value: business_first_response_minutes

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
    needs: [reply_history]
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
    measure: first_resolution_hours

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
    measure: first_resolution_hours

  - id: resolution_time_business_median_hours
    name: Resolution time in business hours (median)
    section: speed
    description: >-
      Median time from creation to the first solve in business hours of the
      ticket's schedule, over tickets first resolved in the period.
    formula: median(business hours from created_at to first resolved at)
    unit: hours
    direction: lower_is_better
    attributed_by: first resolved at
    required_tables: [tickets, ticket_events]
    requires_var: using_business_time
    dimension_set: ticket
    aggregation: median
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null
    value: business_first_resolution_hours

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
    needs: [status_history]
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
    needs: [handle_time]
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

  # ---------------------------------------------------------- service level
  - id: sla_first_response_attainment_pct
    name: SLA attainment, first response
    section: sla
    description: >-
      Among customer-initiated tickets created in the period with a matching
      SLA policy (priority and channel, an exact channel beating `*`), the
      share that met the first-response target (business or calendar minutes
      per policy, met at <= target). Breached: answered later, or unanswered
      with the target passed at the as-of time. Still running: left out.
    formula: met ÷ (met + breached) × 100
    unit: pct
    direction: higher_is_better
    attributed_by: created_at
    required_tables: [tickets, ticket_events]
    requires_var: using_business_time
    dimension_set: ticket
    aggregation: ratio
    model: fct_tickets
    attributed_at: created_at
    where: first_response_sla_status in ('met', 'breached')
    numerator: case when first_response_sla_status = 'met' then 1 else 0 end
    denominator: "1"

  - id: sla_resolution_attainment_pct
    name: SLA attainment, resolution
    section: sla
    description: >-
      The same with the first solve and the policy's resolution target:
      customer-initiated tickets created in the period that were first
      resolved within target, over those met or breached.
    formula: met ÷ (met + breached) × 100
    unit: pct
    direction: higher_is_better
    attributed_by: created_at
    required_tables: [tickets, ticket_events]
    requires_var: using_business_time
    dimension_set: ticket
    aggregation: ratio
    model: fct_tickets
    attributed_at: created_at
    where: resolution_sla_status in ('met', 'breached')
    numerator: case when resolution_sla_status = 'met' then 1 else 0 end
    denominator: "1"

  - id: sla_next_response_attainment_pct
    name: SLA attainment, next reply
    section: sla
    description: >-
      Over customer-initiated tickets, the reply cycles of
      average_response_time_minutes except each ticket's first (the first is
      the first response), including cycles still waiting at the as-of time,
      counted in the period of the cycle's start. Met: replied within the
      cycle's next-reply target (the ticket's own target applied by the reply,
      else its SLA policy's next_response_minutes; business or calendar
      minutes as the target says). Breached: replied later, or still waiting
      with the target passed at the as-of time. Still running, or no target:
      left out.
    formula: met ÷ (met + breached) × 100
    unit: pct
    direction: higher_is_better
    attributed_by: the cycle's start
    required_tables: [tickets, ticket_events]
    needs: [reply_history]
    requires_var: using_business_time
    dimension_set: ticket
    aggregation: ratio
    model: fct_next_replies
    attributed_at: started_at
    where: not is_agent_initiated and next_response_sla_status in ('met', 'breached')
    numerator: case when next_response_sla_status = 'met' then 1 else 0 end
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
    value: open_tickets
    sample: open_tickets
    custom_because: >-
      A state at the period's end (tickets open at that instant, from their
      status history), not an aggregate of the rows dated in the period. A
      MetricFlow cumulative metric (period_agg last) could rebuild it from a
      model of +1/−1 open and close changes with the ticket dimensions; those
      changes live inside int_kpi_values_backlog, not in a model of their own.

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
    needs: [status_history]
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
    needs: [escalations]
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
    needs: [reply_history, status_history]
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
    needs: [reply_history]
    dimension_set: ticket
    aggregation: net
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null
    plus: public_agent_reply_count > 3
    minus: public_agent_reply_count between 1 and 2

  - id: bot_resolution_pct
    name: Bot resolution (containment)
    section: self_service
    description: >-
      Share of tickets first resolved in the period that had at least one
      public bot message and no public agent reply ("bot containment").
    formula: tickets first resolved with a public bot message and no public agent reply ÷ tickets first resolved × 100
    unit: pct
    direction: higher_is_better
    attributed_by: first resolved at
    required_tables: [tickets, ticket_events]
    needs: [bot_replies]
    dimension_set: ticket
    aggregation: ratio
    model: fct_tickets
    attributed_at: first_resolved_at
    where: first_resolved_at is not null
    numerator: case when public_bot_message_count >= 1 and public_agent_reply_count = 0 then 1 else 0 end
    denominator: "1"

  # --------------------------------------------------- customer experience
  - id: csat_pct
    name: CSAT (share satisfied)
    section: customer_experience
    description: >-
      Share of CSAT responses that are satisfied: normalized score >= 0.75
      (4–5 on a 1–5 scale, 8–10 on 1–10), so scales mix correctly. Ticket
      dimensions through the linked ticket; unlinked responses count in all,
      segment and region only.
    formula: CSAT responses with (score − min) ÷ (max − min) >= 0.75 ÷ CSAT responses × 100
    unit: pct
    direction: higher_is_better
    attributed_by: responded_at
    required_tables: [surveys]
    dimension_set: ticket
    aggregation: ratio
    model: fct_survey_responses
    attributed_at: responded_at
    where: survey_type = 'csat'
    numerator: case when is_satisfied then 1 else 0 end
    denominator: "1"

  - id: csat_avg_normalized
    name: CSAT (mean normalized score)
    section: customer_experience
    description: Mean CSAT score on a 0–100 scale, whatever scale each response used.
    formula: mean((score − min) ÷ (max − min)) × 100
    unit: score
    direction: higher_is_better
    attributed_by: responded_at
    required_tables: [surveys]
    dimension_set: ticket
    aggregation: mean
    model: fct_survey_responses
    attributed_at: responded_at
    where: survey_type = 'csat'
    value: 100.0 * normalized_score

  - id: nps
    name: Net Promoter Score
    section: customer_experience
    description: >-
      Promoters (9–10) minus detractors (0–6) as a share of NPS responses,
      from −100 to 100. numerator = 100 × (promoters − detractors).
    formula: (promoters − detractors) ÷ responses × 100
    unit: score
    direction: higher_is_better
    attributed_by: responded_at
    required_tables: [surveys]
    needs: [nps_surveys]
    dimension_set: ticket
    aggregation: ratio
    model: fct_survey_responses
    attributed_at: responded_at
    where: survey_type = 'nps'
    numerator: case when is_promoter then 100 when is_detractor then -100 else 0 end
    denominator: "1"

  - id: ces_avg
    name: Customer effort score
    section: customer_experience
    description: >-
      Mean effort on a 1–7 scale (higher = more effort), whatever scale each
      response used: 1 + 6 × normalized score.
    formula: mean(1 + 6 × (score − min) ÷ (max − min))
    unit: score
    direction: lower_is_better
    attributed_by: responded_at
    required_tables: [surveys]
    needs: [ces_surveys]
    dimension_set: ticket
    aggregation: mean
    model: fct_survey_responses
    attributed_at: responded_at
    where: survey_type = 'ces'
    value: effort_score

  - id: positive_reviews
    name: Positive reviews
    section: customer_experience
    description: Public reviews rated 5 published in the period.
    formula: count(reviews rated 5)
    unit: count
    direction: higher_is_better
    attributed_by: published_at
    required_tables: [reviews]
    dimension_set: customer
    aggregation: count
    model: fct_reviews
    attributed_at: published_at
    where: is_positive

  - id: positive_review_share_pct
    name: Positive review share
    section: customer_experience
    description: Share of reviews published in the period that are rated 5.
    formula: reviews rated 5 ÷ reviews × 100
    unit: pct
    direction: higher_is_better
    attributed_by: published_at
    required_tables: [reviews]
    dimension_set: customer
    aggregation: ratio
    model: fct_reviews
    attributed_at: published_at
    numerator: case when is_positive then 1 else 0 end
    denominator: "1"

  - id: avg_days_between_positive_reviews
    name: Days between positive reviews
    section: customer_experience
    description: >-
      Mean gap in days between consecutive 5-star reviews, each gap counted
      in the period of the later review. Gaps are taken within the segment:
      for segment = X, between X's own consecutive 5-star reviews.
    formula: mean(published_at − previous 5-star published_at), in days
    unit: days
    direction: lower_is_better
    attributed_by: the later review
    required_tables: [reviews]
    dimension_set: customer
    aggregation: custom
    model: int_kpi_values_review_gaps
    value: gap_days_sum / gap_count
    numerator: gap_days_sum
    denominator: gap_count
    sample: gap_count
    custom_because: >-
      The gap is taken within each segment (between that segment's own
      consecutive 5-star reviews), so a segment's value is not the all-reviews
      gaps grouped by segment; a dbt metric is one expression per row, grouped
      by whatever dimension is asked.

  # ------------------------------------------------------- agents and team
  - id: agent_replies
    name: Agent replies
    section: agents_and_team
    description: Public agent replies sent in the period; by agent = the replying agent ("most active agents").
    formula: count(public agent replies)
    unit: count
    direction: neutral
    attributed_by: occurred_at
    required_tables: [tickets, ticket_events]
    needs: [reply_history]
    dimension_set: ticket
    aggregation: count
    model: fct_agent_replies
    attributed_at: occurred_at

  - id: active_agents
    name: Active agents
    section: agents_and_team
    description: Distinct agents with at least one public reply in the period.
    formula: count(distinct replying agents)
    unit: count
    direction: neutral
    attributed_by: occurred_at
    required_tables: [tickets, ticket_events]
    needs: [reply_history]
    dimension_set: ticket
    aggregation: count_distinct
    model: fct_agent_replies
    attributed_at: occurred_at
    distinct: agent_id

  - id: agent_utilization_pct
    name: Agent utilization
    section: agents_and_team
    description: >-
      Handle time of the agent's own events on a day (reporting time zone)
      over the agent's logged-in time that day, summed over agent-days of
      agent_activity with logged-in time (a day without one is not a
      working day and counts in neither part).
    formula: sum(handle seconds of the agent's events that day) ÷ sum(logged_in_seconds) × 100
    unit: pct
    direction: higher_is_better
    attributed_by: activity_date
    required_tables: [agent_activity, ticket_events]
    needs: [handle_time]
    dimension_set: agent_team
    aggregation: ratio
    model: fct_agent_days
    attributed_date: activity_date
    where: logged_in_seconds > 0
    numerator: handle_seconds
    denominator: logged_in_seconds

  - id: employee_engagement_avg
    name: Employee engagement
    section: agents_and_team
    description: Mean engagement score (0–10) of agents' responses in the period.
    formula: mean(score)
    unit: score
    direction: higher_is_better
    attributed_by: responded_at
    required_tables: [engagement_surveys]
    dimension_set: agent_team
    aggregation: mean
    model: fct_engagement_responses
    attributed_at: responded_at
    value: score

  - id: employee_nps
    name: Employee NPS
    section: agents_and_team
    description: Agents scoring 9–10 minus those scoring 0–6, over responses, × 100 (−100..100).
    formula: (scores 9–10 − scores 0–6) ÷ responses × 100
    unit: score
    direction: higher_is_better
    attributed_by: responded_at
    required_tables: [engagement_surveys]
    dimension_set: agent_team
    aggregation: ratio
    model: fct_engagement_responses
    attributed_at: responded_at
    numerator: case when is_promoter then 100 when is_detractor then -100 else 0 end
    denominator: "1"

  # ------------------------------------------ self-service and knowledge base
  - id: kb_articles_live
    name: Live knowledge-base articles
    section: self_service
    description: >-
      Articles published by the end of the period and not archived by then
      (the end is the next period's start, or the as-of time).
    formula: count(published and not archived at the period's end)
    unit: count
    direction: higher_is_better
    attributed_by: period end
    required_tables: [kb_articles]
    aggregation: custom
    model: int_kpi_values_kb_live
    value: live_articles
    sample: live_articles
    custom_because: >-
      A state at the period's end (articles published and not archived at that
      instant), not an aggregate of the rows dated in the period (see
      backlog_open_tickets).

  - id: kb_articles_published
    name: Articles published
    section: self_service
    description: Knowledge-base articles first published in the period.
    formula: count(articles by published_at)
    unit: count
    direction: neutral
    attributed_by: published_at
    required_tables: [kb_articles]
    aggregation: count
    model: fct_kb_articles
    attributed_at: published_at

  - id: self_service_sessions
    name: Self-service sessions
    section: self_service
    description: Help-center and bot sessions started in the period.
    formula: count(sessions)
    unit: count
    direction: neutral
    attributed_by: started_at
    required_tables: [self_service_sessions]
    dimension_set: customer
    aggregation: count
    model: fct_self_service_sessions
    attributed_at: started_at

  - id: self_service_resolution_pct
    name: Self-service resolution
    section: self_service
    description: Share of sessions the customer said solved the problem and that opened no ticket.
    formula: sessions resolved without a ticket ÷ sessions × 100
    unit: pct
    direction: higher_is_better
    attributed_by: started_at
    required_tables: [self_service_sessions]
    dimension_set: customer
    aggregation: ratio
    model: fct_self_service_sessions
    attributed_at: started_at
    numerator: case when is_deflected then 1 else 0 end
    denominator: "1"

  - id: deflection_rate_pct
    name: Deflection rate
    section: self_service
    description: >-
      Deflected sessions (resolved, no ticket) over deflected sessions plus
      tickets created: the share of support demand self-service absorbed.
      Sessions count by started_at, tickets by created_at.
    formula: deflected sessions ÷ (deflected sessions + tickets created) × 100
    unit: pct
    direction: higher_is_better
    attributed_by: started_at / created_at
    required_tables: [self_service_sessions, tickets]
    dimension_set: customer
    aggregation: ratio
    model: int_support_contacts_unioned
    attributed_at: contacted_at
    numerator: case when is_deflected_session then 1 else 0 end
    denominator: "1"

  - id: kb_helpfulness_pct
    name: Article helpfulness
    section: self_service
    description: Share of voting sessions that voted the article helpful; sessions without a vote are left out.
    formula: sessions voting helpful ÷ sessions that voted × 100
    unit: pct
    direction: higher_is_better
    attributed_by: started_at
    required_tables: [self_service_sessions]
    dimension_set: customer
    aggregation: ratio
    model: fct_self_service_sessions
    attributed_at: started_at
    where: is_helpful is not null
    numerator: case when is_helpful then 1 else 0 end
    denominator: "1"

  # ------------------------------------------------ customers and money
  - id: customer_churn_rate_pct
    name: Customer churn rate
    section: customers_and_money
    description: Customers active (MRR > 0) in the previous month and not in this one, over those active in the previous month.
    formula: churned ÷ active last month × 100
    unit: pct
    direction: lower_is_better
    attributed_by: month
    required_tables: [customer_revenue]
    grains: [month]
    dimension_set: customer
    aggregation: ratio
    model: fct_customer_months
    attributed_date: revenue_month
    where: was_active_previous_month
    numerator: case when is_active then 0 else 1 end
    denominator: "1"

  - id: customer_retention_rate_pct
    name: Customer retention rate
    section: customers_and_money
    description: >-
      (E − N) ÷ S: customers active this month (E) minus those new or back
      this month (N), over customers active the previous month (S).
    formula: (active this month − active this month but not last) ÷ active last month × 100
    unit: pct
    direction: higher_is_better
    attributed_by: month
    required_tables: [customer_revenue]
    grains: [month]
    dimension_set: customer
    aggregation: ratio
    model: fct_customer_months
    attributed_date: revenue_month
    where: was_active_previous_month
    numerator: case when is_active then 1 else 0 end
    denominator: "1"

  - id: mrr
    name: Monthly recurring revenue
    section: customers_and_money
    description: Sum of MRR over the month's revenue rows.
    formula: sum(mrr)
    unit: currency
    direction: higher_is_better
    attributed_by: month
    required_tables: [customer_revenue]
    grains: [month]
    dimension_set: customer
    aggregation: sum
    model: fct_customer_months
    attributed_date: revenue_month
    where: is_active
    value: mrr

  - id: mrr_growth_rate_pct
    name: MRR growth rate
    section: customers_and_money
    description: Change of MRR from the previous month, over the previous month's MRR.
    formula: (MRR − previous MRR) ÷ previous MRR × 100
    unit: pct
    direction: higher_is_better
    attributed_by: month
    required_tables: [customer_revenue]
    grains: [month]
    dimension_set: customer
    aggregation: ratio
    model: fct_customer_months
    attributed_date: revenue_month
    where: is_active or was_active_previous_month
    numerator: mrr - previous_mrr
    denominator: previous_mrr
    sample: case when was_active_previous_month then 1 else 0 end

  - id: arpa
    name: Average revenue per account
    section: customers_and_money
    description: MRR over active customers.
    formula: MRR ÷ active customers
    unit: currency
    direction: higher_is_better
    attributed_by: month
    required_tables: [customer_revenue]
    grains: [month]
    dimension_set: customer
    aggregation: ratio
    model: fct_customer_months
    attributed_date: revenue_month
    where: is_active
    numerator: mrr
    denominator: "1"

  - id: customer_lifetime_value
    name: Customer lifetime value
    section: customers_and_money
    description: >-
      ARPA × gross margin (var gross_margin_pct, default 100) ÷ churn rate;
      the row exists with a null value when churn is 0.
    formula: ARPA × gross margin ÷ churn rate
    unit: currency
    direction: higher_is_better
    attributed_by: month
    required_tables: [customer_revenue]
    grains: [month]
    dimension_set: customer
    aggregation: custom
    model: int_kpi_values_money_derived
    value: lifetime_value
    sample: previously_active
    custom_because: >-
      It needs the dbt var gross_margin_pct, which a metric's SQL cannot read
      when it is queried (the generated YAML would freeze it); otherwise it is
      a derived metric of arpa and customer_churn_rate_pct.

  - id: support_cost
    name: Support cost
    section: customers_and_money
    description: Sum of support_costs amounts for the month (all categories).
    formula: sum(amount)
    unit: currency
    direction: lower_is_better
    attributed_by: month
    required_tables: [support_costs]
    grains: [month]
    aggregation: custom
    model: int_kpi_values_money_derived
    value: support_cost
    sample: support_cost_rows
    where: support_cost_rows > 0
    custom_because: >-
      Costs come as monthly rows (no day) kept up to the as-of month by a
      join to the reporting bounds, not by a row predicate; as a metric it
      would need a month-grain semantic model and would show months after
      the as-of time.

  - id: cost_per_ticket
    name: Cost per ticket
    section: customers_and_money
    description: Support cost over tickets first resolved in the month ("cost per conversation").
    formula: support cost ÷ tickets solved
    unit: currency
    direction: lower_is_better
    attributed_by: month
    required_tables: [support_costs, tickets, ticket_events]
    grains: [month]
    aggregation: custom
    model: int_kpi_values_money_derived
    value: support_cost / tickets_solved
    numerator: support_cost
    denominator: tickets_solved
    sample: tickets_solved
    where: support_cost_rows > 0
    custom_because: >-
      Support cost (not a metric, see support_cost) over the month's tickets
      solved; a derived metric once support cost is one.

  - id: support_cost_to_revenue_pct
    name: Support cost to revenue
    section: customers_and_money
    description: Support cost as a share of the month's MRR.
    formula: support cost ÷ MRR × 100
    unit: pct
    direction: lower_is_better
    attributed_by: month
    required_tables: [support_costs, customer_revenue]
    grains: [month]
    aggregation: custom
    model: int_kpi_values_money_derived
    value: 100.0 * support_cost / mrr
    numerator: support_cost
    denominator: mrr
    sample: active_customers
    where: support_cost_rows > 0 and mrr > 0
    custom_because: >-
      Support cost (not a metric, see support_cost) over the month's MRR; a
      derived metric once support cost is one.

  - id: new_customers
    name: New customers
    section: customers_and_money
    description: Customers whose created_at falls in the month, in every month up to the as-of month (revenue or not).
    formula: count(customers by created_at month)
    unit: count
    direction: higher_is_better
    attributed_by: created_at
    required_tables: [customers, customer_revenue]
    needs: [customer_accounts]
    grains: [month]
    dimension_set: customer
    aggregation: count
    model: dim_customers
    attributed_at: became_customer_at
    where: is_customer_by_as_of

  - id: customer_acquisition_cost
    name: Customer acquisition cost
    section: customers_and_money
    description: Marketing spend of the month over the month's new customers.
    formula: marketing spend ÷ new customers
    unit: currency
    direction: lower_is_better
    attributed_by: month
    required_tables: [marketing_spend, customers, customer_revenue]
    needs: [customer_accounts]
    grains: [month]
    aggregation: custom
    model: int_kpi_values_money_derived
    value: marketing_spend / new_customers
    numerator: marketing_spend
    denominator: new_customers
    sample: new_customers
    where: marketing_spend_rows > 0
    custom_because: >-
      Marketing spend comes as monthly rows kept up to the as-of month, as
      support costs do (see support_cost); a derived metric over new_customers
      once spend is one.
{% endset %}
{{ return(checked_kpi_registry(fromyaml(kpi_registry_yaml))) }}
{% endmacro %}

{#- The registry as kpi_values and kpi_catalog read it. A key not listed in
    `fields` (a typo such as `denominater:`) fails the parse, naming the KPI
    and the key, instead of being silently ignored. A KPI that names a shared
    `measure` gets its fields, and a net KPI its per-observation value, so the
    models see every KPI fully spelled out. support_kpis/kpi_registry.py does
    the same (and more checks) for Python. -#}
{% macro checked_kpi_registry(registry) %}
    {%- set sections = ['fields', 'inputs', 'source_gaps', 'dimension_sets', 'measures', 'kpis'] -%}
    {%- set unknown = registry.keys() | reject('in', sections) | list -%}
    {%- if unknown -%}
        {{ exceptions.raise_compiler_error(
            "KPI registry (macros/kpis/kpi_registry.sql): unknown section(s) " ~ unknown | join(', ')
            ~ "; allowed: " ~ sections | join(', ')
        ) }}
    {%- endif -%}
    {%- for source_name, gaps in registry.source_gaps.items() -%}
        {%- set unknown = gaps.keys() | reject('in', registry.inputs) | list -%}
        {%- if unknown -%}
            {{ exceptions.raise_compiler_error(
                "KPI registry (macros/kpis/kpi_registry.sql): source_gaps." ~ source_name ~ " names unknown input(s) "
                ~ unknown | join(', ') ~ "; inputs: " ~ registry.inputs.keys() | join(', ')
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- for name, measure in registry.measures.items() -%}
        {%- set unknown = measure.keys() | reject('in', registry.fields.measure) | list -%}
        {%- if unknown -%}
            {{ exceptions.raise_compiler_error(
                "KPI registry (macros/kpis/kpi_registry.sql): measure " ~ name ~ " has unknown key(s) "
                ~ unknown | join(', ') ~ "; allowed: " ~ registry.fields.measure | join(', ')
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- for kpi in registry.kpis -%}
        {%- set unknown = kpi.keys() | reject('in', registry.fields.kpi) | list -%}
        {%- if unknown -%}
            {{ exceptions.raise_compiler_error(
                "KPI registry (macros/kpis/kpi_registry.sql): KPI " ~ kpi.id ~ " has unknown key(s) "
                ~ unknown | join(', ') ~ "; allowed: " ~ registry.fields.kpi | join(', ')
            ) }}
        {%- endif -%}
        {%- set unknown = (kpi.needs if kpi.needs is defined else []) | reject('in', registry.inputs) | list -%}
        {%- if unknown -%}
            {{ exceptions.raise_compiler_error(
                "KPI registry (macros/kpis/kpi_registry.sql): KPI " ~ kpi.id ~ " needs unknown input(s) "
                ~ unknown | join(', ') ~ "; inputs: " ~ registry.inputs.keys() | join(', ')
            ) }}
        {%- endif -%}
        {%- if kpi.measure is defined -%}
            {%- if kpi.measure not in registry.measures -%}
                {{ exceptions.raise_compiler_error(
                    "KPI registry (macros/kpis/kpi_registry.sql): KPI " ~ kpi.id ~ " names an unknown measure "
                    ~ kpi.measure
                ) }}
            {%- endif -%}
            {%- set shared = registry.measures[kpi.measure] -%}
            {%- set repeated = kpi.keys() | select('in', shared.keys() | list) | list -%}
            {%- if repeated -%}
                {{ exceptions.raise_compiler_error(
                    "KPI registry (macros/kpis/kpi_registry.sql): KPI " ~ kpi.id ~ " sets " ~ repeated | join(', ')
                    ~ ", which its measure " ~ kpi.measure ~ " already declares"
                ) }}
            {%- endif -%}
            {%- do kpi.update(shared) -%}
        {%- endif -%}
        {%- if kpi.aggregation == 'net' -%}
            {%- do kpi.update({
                'value': 'case when ' ~ kpi.plus ~ ' then 1 when ' ~ kpi.minus ~ ' then -1 else 0 end'
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(registry) }}
{% endmacro %}
