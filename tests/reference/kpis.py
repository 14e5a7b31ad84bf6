"""The KPI definitions of the catalog (speed, volume and flow) and compute_kpi_values() for all of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .aggregate import Aggregation, Observation, aggregate
from .backlog import backlog_rows
from .beyond_flow import beyond_flow_rows
from .dimensions import Segment, ticket_segments
from .inputs import read_data_folder
from .lifecycle import TicketFacts
from .periods import PeriodMapper
from .rows import KpiRow
from .scope import events_of_known_tickets, facts_as_of, resolve_as_of
from .sla import sla_kpi_rows


@dataclass(frozen=True)
class Settings:
    as_of: datetime
    resolution_target: timedelta


# What one ticket contributes to a KPI: (attributing instant, value) pairs, usually zero or one.
Observe = Callable[[TicketFacts, Settings], list[tuple[datetime, float]]]


def minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def first_response_minutes(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    if f.is_agent_initiated or f.first_response_at is None:
        return []
    return [(f.ticket.created_at, minutes(f.ticket.created_at, f.first_response_at))]


def reply_wait_minutes(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    if f.is_agent_initiated:
        return []
    return [(c.replied_at, minutes(c.started_at, c.replied_at)) for c in f.reply_cycles]


def resolution_hours(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    resolved = f.first_resolved_at
    return [] if resolved is None else [(resolved, hours(f.ticket.created_at, resolved))]


def full_resolution_hours(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    resolved = f.last_resolved_at
    return [] if resolved is None else [(resolved, hours(f.ticket.created_at, resolved))]


def handle_minutes(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    resolved = f.first_resolved_at
    return [] if resolved is None else [(resolved, f.handle_seconds / 60)]


def resolved_within_target(f: TicketFacts, s: Settings) -> list[tuple[datetime, float]]:
    created, resolved = f.ticket.created_at, f.first_resolved_at
    if resolved is None and s.as_of - created < s.resolution_target:
        return []  # still has time to make it: neither hit nor miss yet
    hit = resolved is not None and resolved - created <= s.resolution_target
    return [(created, 1.0 if hit else 0.0)]


def created(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    return [(f.ticket.created_at, 1.0)]


def solved(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    resolved = f.first_resolved_at
    return [] if resolved is None else [(resolved, 1.0)]


def reopened(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    resolved = f.first_resolved_at
    return [] if resolved is None else [(resolved, 1.0 if f.reopen_count > 0 else 0.0)]


def escalated(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    return [(f.ticket.created_at, 1.0 if f.is_escalated else 0.0)]


def first_contact_resolved(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    resolved = f.first_resolved_at
    if resolved is None or f.public_agent_reply_count == 0:
        return []
    return [(resolved, 1.0 if f.public_agent_reply_count == 1 and f.reopen_count == 0 else 0.0)]


def interaction_effort(f: TicketFacts, _: Settings) -> list[tuple[datetime, float]]:
    """+1 difficult (more than 3 public agent replies), -1 easy (1 or 2), 0 otherwise (0 or 3)."""
    resolved = f.first_resolved_at
    if resolved is None:
        return []
    replies = f.public_agent_reply_count
    return [(resolved, 1.0 if replies > 3 else -1.0 if replies in (1, 2) else 0.0)]


@dataclass(frozen=True)
class TicketKpi:
    kpi_id: str
    aggregation: Aggregation
    observe: Observe


TICKET_KPIS: tuple[TicketKpi, ...] = (
    TicketKpi("first_response_time_median_minutes", "median", first_response_minutes),
    TicketKpi("first_response_time_avg_minutes", "mean", first_response_minutes),
    TicketKpi("first_response_time_p90_minutes", "p90", first_response_minutes),
    TicketKpi("average_response_time_minutes", "mean", reply_wait_minutes),
    TicketKpi("resolution_time_median_hours", "median", resolution_hours),
    TicketKpi("resolution_time_avg_hours", "mean", resolution_hours),
    TicketKpi("full_resolution_time_median_hours", "median", full_resolution_hours),
    TicketKpi("average_handle_time_minutes", "mean", handle_minutes),
    TicketKpi("resolved_within_target_pct", "pct", resolved_within_target),
    TicketKpi("tickets_created", "count", created),
    TicketKpi("tickets_solved", "count", solved),
    TicketKpi("reopen_rate_pct", "pct", reopened),
    TicketKpi("escalation_rate_pct", "pct", escalated),
    TicketKpi("first_contact_resolution_pct", "pct", first_contact_resolved),
    # A net count: its sample is every ticket first resolved, the neutral ones (0 or 3 replies) included.
    TicketKpi("ces_interaction_net", "count", interaction_effort),
)


def compute_kpi_values(
    data_dir: Path,
    *,
    reporting_timezone: str = "UTC",
    as_of: datetime | None = None,
    resolution_target_hours: float = 24.0,
    gross_margin_pct: float = 100.0,
) -> list[KpiRow]:
    """kpi_values rows for the KPIs above, the business-time and SLA ones (sla.py) and those of beyond_flow,
    computed from the CSV files in data_dir (configuration tables there replace the shipped seeds)."""
    raw = read_data_folder(Path(data_dir))
    events = events_of_known_tickets(raw.tickets, raw.events)
    cutoff = resolve_as_of(raw.tickets, events, as_of)
    if cutoff is None:
        return []
    settings = Settings(cutoff, timedelta(hours=resolution_target_hours))
    facts = facts_as_of(raw.tickets, events, cutoff)
    segments: dict[str, tuple[Segment, ...]] = {
        f.ticket.ticket_id: ticket_segments(f.ticket, raw.customers) for f in facts
    }
    observations = (
        Observation(kpi.kpi_id, at, segments[f.ticket.ticket_id], value)
        for f in facts
        for kpi in TICKET_KPIS
        for at, value in kpi.observe(f, settings)
    )
    periods = PeriodMapper(ZoneInfo(reporting_timezone))
    rows = aggregate(observations, {k.kpi_id: k.aggregation for k in TICKET_KPIS}, periods)
    rows += backlog_rows(facts, lambda f: segments[f.ticket.ticket_id], cutoff, periods)
    rows += sla_kpi_rows(Path(data_dir), facts, segments, cutoff, periods)
    rows += beyond_flow_rows(Path(data_dir), raw, facts, segments, cutoff, periods.zone, gross_margin_pct)
    return sorted(rows, key=lambda r: (r.kpi_id, r.grain, r.period_start, r.dimension, r.dimension_value))
