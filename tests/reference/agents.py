"""Agents and team: agent_replies, active_agents (ticket dimensions, agent = the replier),
agent_utilization_pct, employee_engagement_avg and employee_nps (dimensions agent, team)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date

from .dated_facts import ALL, Aggregation, Context, Fact, aggregate_facts
from .dimensions import UNKNOWN, Segment
from .lifecycle import is_public_agent_reply
from .periods import period_start_of_date
from .rows import GRAINS, KpiRow
from .surveys import DETRACTOR_UP_TO, PROMOTER_FROM

AGGREGATIONS: dict[str, Aggregation] = {
    "agent_replies": "count",
    # numerator: handle seconds of the agent-days, denominator: their logged-in seconds
    "agent_utilization_pct": "pct",
    "employee_engagement_avg": "mean",
    "employee_nps": "mean",  # +100 / 0 / -100 per response, like nps
}


def agent_rows(context: Context) -> list[KpiRow]:
    rows = reply_rows(context)
    rows += aggregate_facts([*utilization_facts(context), *engagement_facts(context)], AGGREGATIONS)
    return rows


def reply_rows(context: Context) -> list[KpiRow]:
    """agent_replies counts public agent replies; active_agents counts the distinct repliers
    (a reply without actor_id counts as a reply of agent `unknown` but names no active agent)."""
    replies: Counter[tuple[str, date, str, str]] = Counter()
    repliers: dict[tuple[str, date, str, str], set[str]] = defaultdict(set)
    for facts in context.facts:
        ticket_segments = context.ticket_segments[facts.ticket.ticket_id]
        for event in facts.events:
            if not is_public_agent_reply(event):
                continue
            day = context.day(event.occurred_at)
            segments = [s for s in ticket_segments if s[0] != "agent"] + [("agent", event.actor_id or UNKNOWN)]
            for grain in GRAINS:
                start = period_start_of_date(day, grain)
                for dimension, value in segments:
                    key = (grain, start, dimension, value)
                    replies[key] += 1
                    if event.actor_id is not None:
                        repliers[key].add(event.actor_id)
    rows = [
        KpiRow("agent_replies", grain, start, dimension, value, float(n), None, None, n)
        for (grain, start, dimension, value), n in replies.items()
    ]
    rows += [
        KpiRow("active_agents", grain, start, dimension, value, float(len(agents)), None, None, len(agents))
        for (grain, start, dimension, value), agents in repliers.items()
    ]
    return rows


def agent_segments(context: Context, agent_id: str) -> tuple[Segment, ...]:
    """`agent` and `team` (the agent's team in agents.csv; absent agent, team or file -> unknown)."""
    agents = context.tables.agents or {}
    agent = agents.get(agent_id)
    team = agent.team if agent is not None else None
    return (ALL, ("agent", agent_id), ("team", team or UNKNOWN))


def utilization_facts(context: Context) -> Iterator[Fact]:
    """One fact per agent-day with logged-in time: the handle seconds of the events the agent
    performed (actor_type agent, actor_id = the agent) on that local date, up to the as-of time."""
    activity = context.tables.agent_activity
    if activity is None:
        return
    handled: Counter[tuple[str, date]] = Counter()
    for facts in context.facts:
        for event in facts.events:
            if event.actor_type == "agent" and event.actor_id is not None and event.handle_seconds:
                handled[(event.actor_id, context.day(event.occurred_at))] += event.handle_seconds
    for agent_day in activity:
        if agent_day.activity_date > context.as_of_day or not agent_day.logged_in_seconds:
            continue  # after the as-of time, or no logged-in time to divide by
        handle = handled[(agent_day.agent_id, agent_day.activity_date)]
        yield Fact(
            "agent_utilization_pct",
            agent_day.activity_date,
            agent_segments(context, agent_day.agent_id),
            float(handle),
            float(agent_day.logged_in_seconds),
        )


def engagement_facts(context: Context) -> Iterator[Fact]:
    for response in context.tables.engagement_surveys or []:
        if response.responded_at > context.as_of:
            continue
        day, segments = context.day(response.responded_at), agent_segments(context, response.agent_id)
        yield Fact("employee_engagement_avg", day, segments, response.score)
        promoter, detractor = response.score >= PROMOTER_FROM, response.score <= DETRACTOR_UP_TO
        yield Fact("employee_nps", day, segments, 100.0 if promoter else -100.0 if detractor else 0.0)
