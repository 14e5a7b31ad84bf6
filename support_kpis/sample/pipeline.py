"""Generate every data table of the contract into one folder, streaming the big ones in chunks.

Order matters only through dependencies: customers and agents come first (tickets point
at them), tickets and events are simulated chunk by chunk (with the surveys and sessions
that hang off them), and the tables summarising agents' work come last.
"""

from __future__ import annotations

from pathlib import Path

from support_kpis.contract import DATA_TABLES
from support_kpis.progress import say, step
from support_kpis.sample.agents import agents_table, make_agents
from support_kpis.sample.arrivals import make_curve
from support_kpis.sample.config import SampleConfig
from support_kpis.sample.conversation import simulate
from support_kpis.sample.customers import customers_table, make_customers, make_revenue, revenue_table
from support_kpis.sample.finalize import file_order, finalize
from support_kpis.sample.finance import marketing_spend_table, support_costs_table
from support_kpis.sample.randomness import stream
from support_kpis.sample.reviews import reviews_table
from support_kpis.sample.self_service import (
    articles_table,
    chunk_sessions,
    make_articles,
    session_id_width,
    sessions_table,
)
from support_kpis.sample.sla_targets import sla_policies_table, sla_targets_table
from support_kpis.sample.surveys import quarterly_nps, survey_id_width, surveys_table, ticket_surveys
from support_kpis.sample.ticket_plan import plan_tickets
from support_kpis.sample.ticket_tables import IdSpace, events_table, tickets_table
from support_kpis.sample.workforce import HandleLedger, activity_table, engagement_table, make_activity
from support_kpis.sample.writers import FileFormat, TableSink, fill_sinks, open_sink

# The one configuration table the sample writes: its tickets carry SLA targets of their own, so the shipped policies
# seed would no longer apply (see sample/sla_targets.py).
WRITTEN_TABLES: tuple[str, ...] = (*DATA_TABLES, "sla_policies")


def generate_sample(config: SampleConfig, out_dir: Path, file_format: FileFormat) -> dict[str, int]:
    """Write one file per data table (and sla_policies) into `out_dir`; returns rows written per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sinks = {table: open_sink(out_dir, table, file_format) for table in WRITTEN_TABLES}
    return fill_sinks(sinks, lambda filled: _generate(config, filled))


def _generate(config: SampleConfig, sinks: dict[str, TableSink]) -> None:
    seed = config.seed
    with step("customers and monthly revenue"):
        customers = make_customers(config, stream(seed, "customers"))
        revenue = make_revenue(config, customers, stream(seed, "revenue"))
        sinks["customers"].write(customers_table(customers))
        sinks["customer_revenue"].write(revenue_table(config, revenue, customers.count))
    with step("agents and knowledge base"):
        agents = make_agents(config, stream(seed, "agents"))
        sinks["agents"].write(agents_table(agents))
        articles = make_articles(config, stream(seed, "articles"))
        sinks["kb_articles"].write(articles_table(articles))

    curve = make_curve(config)
    ledger = HandleLedger(config, agents.count)
    space = IdSpace(config.tickets, customers.count, agents.count)
    survey_width, session_width = survey_id_width(config), session_id_width(config)
    with step(f"tickets, events, ticket surveys and help-center sessions ({config.tickets:,} tickets)"):
        arrivals = stream(seed, "arrivals")
        created = curve.sample(config.tickets, arrivals)
        region = curve.regions_at(created, arrivals)
        n, size = config.tickets, config.tickets_per_chunk
        for chunk, first in enumerate(range(0, n, size)):
            stop = min(n, first + size)
            rng = stream(seed, "tickets", chunk)
            plan = plan_tickets(created[first:stop], region[first:stop], customers, rng)
            events, outcome = finalize(simulate(plan, agents, config.month_starts, rng), plan.count, config.end_ts)
            ledger.add(events)
            rows, numbers = file_order(events, rng)
            sinks["tickets"].write(tickets_table(first, plan, outcome, space))
            sinks["ticket_sla_targets"].write(
                sla_targets_table(first, plan, config.end_ts, space, stream(seed, "sla_targets", chunk))
            )
            sinks["ticket_events"].write(
                events_table(first, sinks["ticket_events"].rows, events.take(rows), numbers, space)
            )
            surveys = ticket_surveys(first, plan, outcome, config.end_ts, rng)
            sinks["surveys"].write(surveys_table(surveys, sinks["surveys"].rows, survey_width, space))
            window = (
                config.start_ts if first == 0 else int(created[first]),
                config.end_ts if stop == n else int(created[stop]) - 1,
            )
            sessions = chunk_sessions(first, plan, window, curve, customers, articles, config.start_ts, rng)
            sinks["self_service_sessions"].write(
                sessions_table(sessions, sinks["self_service_sessions"].rows, session_width, space, articles.count)
            )
            say(f"    {stop:,}/{n:,} tickets, {sinks['ticket_events'].rows:,} events")

    with step("relationship surveys, agent activity, engagement, costs and reviews"):
        nps = quarterly_nps(config, customers, revenue, stream(seed, "nps"))
        sinks["surveys"].write(surveys_table(nps, sinks["surveys"].rows, survey_width, space))
        activity = make_activity(config, agents, ledger, stream(seed, "activity"))
        sinks["agent_activity"].write(activity_table(activity, agents.count))
        sinks["engagement_surveys"].write(engagement_table(config, agents, stream(seed, "engagement")))
        sinks["support_costs"].write(support_costs_table(config, agents, activity, stream(seed, "costs")))
        sinks["marketing_spend"].write(marketing_spend_table(config, customers, stream(seed, "marketing")))
        sinks["reviews"].write(reviews_table(config, curve, customers, stream(seed, "reviews")))
        sinks["sla_policies"].write(sla_policies_table())
