"""Business-time durations and SLAs per ticket, and the four KPIs that rest on them.

A ticket's schedule is its schedule_id, else `default`; a schedule the configuration does not hold
gives no business durations (and no status for a business-hours policy). Its policy matches its
priority (null = normal) and channel, an exact channel beating `*`. An SLA whose event happened is
met when the elapsed time is <= its target, else breached; without the event it is breached once the
elapsed time at the as-of instant is > the target, else still running. Elapsed time is business
time of the schedule or calendar time, per policy. Agent-initiated tickets, tickets without a policy
and null targets have no status.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from reference_business import deadline, open_pieces

from .aggregate import Aggregation, Observation, aggregate
from .business_clock import BusinessClock
from .business_config import ANY_CHANNEL, DEFAULT_SCHEDULE, BusinessConfig, SlaPolicy, read_business_config
from .dimensions import Segment
from .inputs import read_data_folder
from .lifecycle import TicketFacts
from .periods import PeriodMapper
from .rows import KpiRow
from .scope import events_of_known_tickets, facts_as_of, resolve_as_of

Status = Literal["met", "breached", "running"]
SECONDS_PER_MINUTE = 60
NEXT_OPENING_WINDOW = timedelta(days=31)

AGGREGATIONS: dict[str, Aggregation] = {
    "first_response_time_business_median_minutes": "median",
    "resolution_time_business_median_hours": "median",
    "sla_first_response_attainment_pct": "pct",  # observations: 1 met, 0 breached
    "sla_resolution_attainment_pct": "pct",
}


@dataclass(frozen=True)
class TicketSla:
    schedule_id: str
    business_first_response_minutes: float | None
    business_first_resolution_hours: float | None
    policy: SlaPolicy | None
    first_response_status: Status | None
    resolution_status: Status | None


def match_policy(policies: Mapping[tuple[str, str], SlaPolicy], priority: str | None, channel: str) -> SlaPolicy | None:
    priority = priority if priority is not None else "normal"
    return policies.get((priority, channel)) or policies.get((priority, ANY_CHANNEL))


def status_of(target_seconds: float, elapsed_to_event: float | None, elapsed_to_as_of: float) -> Status:
    if elapsed_to_event is not None:
        return "met" if elapsed_to_event <= target_seconds else "breached"
    return "breached" if elapsed_to_as_of > target_seconds else "running"


class SlaEvaluator:
    def __init__(self, config: BusinessConfig, as_of: datetime) -> None:
        self.config = config
        self.as_of = as_of
        self._clocks = {schedule_id: BusinessClock(s) for schedule_id, s in config.schedules.items()}

    def business_seconds(self, schedule_id: str, start: datetime, end: datetime) -> float | None:
        clock = self._clocks.get(schedule_id)
        return None if clock is None else clock.seconds_between(start, end)

    def evaluate(self, facts: TicketFacts) -> TicketSla:
        ticket = facts.ticket
        schedule_id = ticket.schedule_id if ticket.schedule_id is not None else DEFAULT_SCHEDULE
        response = self._business_since_created(facts, schedule_id, facts.first_response_at)
        resolution = self._business_since_created(facts, schedule_id, facts.first_resolved_at)
        policy = match_policy(self.config.policies, ticket.priority, ticket.channel)
        response_target = policy.first_response_minutes if policy else None
        resolution_target = policy.resolution_minutes if policy else None
        return TicketSla(
            schedule_id=schedule_id,
            business_first_response_minutes=None if response is None else response / 60,
            business_first_resolution_hours=None if resolution is None else resolution / 3600,
            policy=policy,
            first_response_status=self._status(facts, policy, response_target, facts.first_response_at, response),
            resolution_status=self._status(facts, policy, resolution_target, facts.first_resolved_at, resolution),
        )

    def _business_since_created(self, facts: TicketFacts, schedule_id: str, end: datetime | None) -> float | None:
        return None if end is None else self.business_seconds(schedule_id, facts.ticket.created_at, end)

    def _status(
        self,
        facts: TicketFacts,
        policy: SlaPolicy | None,
        target_minutes: float | None,
        event_at: datetime | None,
        business_to_event: float | None,
    ) -> Status | None:
        if policy is None or target_minutes is None or facts.is_agent_initiated:
            return None
        created = facts.ticket.created_at
        if policy.business_hours:
            schedule_id = facts.ticket.schedule_id or DEFAULT_SCHEDULE
            to_as_of = self.business_seconds(schedule_id, created, self.as_of)
            if to_as_of is None:
                return None  # unknown schedule: no business clock to judge by
            to_event = business_to_event
        else:
            to_as_of = (self.as_of - created).total_seconds()
            to_event = None if event_at is None else (event_at - created).total_seconds()
        return status_of(target_minutes * SECONDS_PER_MINUTE, to_event, to_as_of)

    def breach_at(self, facts: TicketFacts, target_minutes: float | None) -> datetime | None:
        """The first instant from which the elapsed time exceeds the target: for calendar time the
        target's end; for business time the instant the target's business seconds are used up, or,
        when that falls at a closing time, the next opening. None where there is no SLA to breach."""
        ticket = facts.ticket
        policy = match_policy(self.config.policies, ticket.priority, ticket.channel)
        if policy is None or target_minutes is None or facts.is_agent_initiated:
            return None
        target = timedelta(seconds=target_minutes * SECONDS_PER_MINUTE)
        if not policy.business_hours:
            return ticket.created_at + target
        schedule = self.config.schedules.get(ticket.schedule_id or DEFAULT_SCHEDULE)
        if schedule is None:
            return None
        used_up = deadline(schedule, ticket.created_at, target.total_seconds())
        window_start = used_up
        while window_start is not None and window_start - ticket.created_at < timedelta(days=1200):
            pieces = open_pieces(schedule, window_start, window_start + NEXT_OPENING_WINDOW)
            if pieces:
                return pieces[0][0]  # used_up itself when it is open
            window_start += NEXT_OPENING_WINDOW
        return None


def sla_kpi_rows(
    data_dir: Path,
    facts: Sequence[TicketFacts],
    segments: Mapping[str, tuple[Segment, ...]],
    as_of: datetime,
    periods: PeriodMapper,
) -> list[KpiRow]:
    evaluator = SlaEvaluator(read_business_config(data_dir), as_of)
    observations = (
        Observation(kpi_id, at, segments[f.ticket.ticket_id], value)
        for f in facts
        for kpi_id, at, value in ticket_observations(f, evaluator.evaluate(f))
    )
    return aggregate(observations, AGGREGATIONS, periods)


def ticket_observations(f: TicketFacts, sla: TicketSla) -> Iterator[tuple[str, datetime, float]]:
    """(kpi_id, attributing instant, value) of one ticket."""
    created = f.ticket.created_at
    # Same populations as the calendar medians; an unknown schedule has no business duration.
    minutes = sla.business_first_response_minutes
    if not f.is_agent_initiated and f.first_response_at is not None and minutes is not None:
        yield "first_response_time_business_median_minutes", created, minutes
    resolved, hours = f.first_resolved_at, sla.business_first_resolution_hours
    if resolved is not None and hours is not None:
        yield "resolution_time_business_median_hours", resolved, hours
    for kpi_id, status in (
        ("sla_first_response_attainment_pct", sla.first_response_status),
        ("sla_resolution_attainment_pct", sla.resolution_status),
    ):
        if status in ("met", "breached"):  # still running: left out
            yield kpi_id, created, 1.0 if status == "met" else 0.0


@dataclass(frozen=True)
class TicketSlaMeasures:
    """What fct_tickets says about one ticket's business time and SLAs."""

    sla: TicketSla
    first_response_breach_at: datetime | None
    resolution_breach_at: datetime | None


def ticket_sla_measures(data_dir: Path, as_of: datetime | None = None) -> dict[str, TicketSlaMeasures]:
    """Per ticket created by the as-of time (default: the latest fact), from the CSV files in data_dir."""
    raw = read_data_folder(Path(data_dir))
    events = events_of_known_tickets(raw.tickets, raw.events)
    cutoff = resolve_as_of(raw.tickets, events, as_of)
    if cutoff is None:
        return {}
    evaluator = SlaEvaluator(read_business_config(Path(data_dir)), cutoff)
    measures: dict[str, TicketSlaMeasures] = {}
    for f in facts_as_of(raw.tickets, events, cutoff):
        sla = evaluator.evaluate(f)
        policy = sla.policy
        measures[f.ticket.ticket_id] = TicketSlaMeasures(
            sla=sla,
            first_response_breach_at=evaluator.breach_at(f, policy.first_response_minutes if policy else None),
            resolution_breach_at=evaluator.breach_at(f, policy.resolution_minutes if policy else None),
        )
    return measures
