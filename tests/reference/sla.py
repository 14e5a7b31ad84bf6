"""Business-time durations and SLAs per ticket and per next reply, and the five KPIs that rest on them.

A ticket's schedule is its schedule_id, else `default`; a schedule the configuration does not hold
gives no business durations (and no status for a business-hours policy). Its policy matches its
priority (null = normal) and channel, an exact channel beating `*`. An SLA whose event happened is
met when the elapsed time is <= its target, else breached; without the event it is breached once the
elapsed time at the as-of instant is > the target, else still running. Elapsed time is business
time of the schedule or calendar time, per target. Agent-initiated tickets, tickets without a policy
and null targets have no status.

Contract v2: the target deciding a measurement is the ticket's latest ticket_sla_targets row for the
metric applied at or before the measurement ends (first response, first solve, a cycle's reply; the
as-of time while it runs), else the policy's. A next reply is every reply cycle of a ticket after its
first, including the one still waiting at the as-of time; its elapsed time runs from the cycle's start.
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
    "sla_next_response_attainment_pct": "pct",
}


@dataclass(frozen=True)
class Target:
    """The target deciding one measurement: the ticket's own (ticket_sla_targets) or its policy's."""

    minutes: float
    business_hours: bool
    source: Literal["ticket", "policy"]


@dataclass(frozen=True)
class TicketSla:
    schedule_id: str
    business_first_response_minutes: float | None
    business_first_resolution_hours: float | None
    policy: SlaPolicy | None
    first_response_status: Status | None
    resolution_status: Status | None
    first_response_target: Target | None = None
    resolution_target: Target | None = None


@dataclass(frozen=True)
class NextReply:
    """One reply cycle after its ticket's first, answered or still waiting at the as-of time."""

    ticket_id: str
    started_at: datetime
    replied_at: datetime | None
    target: Target | None
    status: Status | None
    breach_at: datetime | None


def match_policy(policies: Mapping[tuple[str, str], SlaPolicy], priority: str | None, channel: str) -> SlaPolicy | None:
    priority = priority if priority is not None else "normal"
    return policies.get((priority, channel)) or policies.get((priority, ANY_CHANNEL))


def status_of(target_seconds: float, elapsed_to_event: float | None, elapsed_to_as_of: float) -> Status:
    if elapsed_to_event is not None:
        return "met" if elapsed_to_event <= target_seconds else "breached"
    return "breached" if elapsed_to_as_of > target_seconds else "running"


POLICY_MINUTES = {
    "first_response": lambda p: p.first_response_minutes,
    "resolution": lambda p: p.resolution_minutes,
    "next_response": lambda p: p.next_response_minutes,
}


class SlaEvaluator:
    def __init__(self, config: BusinessConfig, as_of: datetime) -> None:
        self.config = config
        self.as_of = as_of
        self._clocks = {schedule_id: BusinessClock(s) for schedule_id, s in config.schedules.items()}

    def business_seconds(self, schedule_id: str, start: datetime, end: datetime) -> float | None:
        clock = self._clocks.get(schedule_id)
        return None if clock is None else clock.seconds_between(start, end)

    def target(self, facts: TicketFacts, metric: str, ended_at: datetime | None) -> Target | None:
        """The latest of the ticket's targets for the metric applied by the measurement's end (the
        as-of time while it runs), else its policy's target for the metric, if any."""
        own = self.config.target(facts.ticket.ticket_id, metric, ended_at or self.as_of)
        if own is not None:
            return Target(own.target_minutes, own.business_hours, "ticket")
        policy = match_policy(self.config.policies, facts.ticket.priority, facts.ticket.channel)
        minutes = POLICY_MINUTES[metric](policy) if policy is not None else None
        return None if minutes is None else Target(minutes, policy.business_hours, "policy")

    def evaluate(self, facts: TicketFacts) -> TicketSla:
        ticket = facts.ticket
        schedule_id = schedule_of(facts)
        response = self._business_since_created(facts, schedule_id, facts.first_response_at)
        resolution = self._business_since_created(facts, schedule_id, facts.first_resolved_at)
        response_target = self.target(facts, "first_response", facts.first_response_at)
        resolution_target = self.target(facts, "resolution", facts.first_resolved_at)
        created = ticket.created_at
        return TicketSla(
            schedule_id=schedule_id,
            business_first_response_minutes=None if response is None else response / 60,
            business_first_resolution_hours=None if resolution is None else resolution / 3600,
            policy=match_policy(self.config.policies, ticket.priority, ticket.channel),
            first_response_status=self.judge(facts, response_target, created, facts.first_response_at),
            resolution_status=self.judge(facts, resolution_target, created, facts.first_resolved_at),
            first_response_target=response_target,
            resolution_target=resolution_target,
        )

    def _business_since_created(self, facts: TicketFacts, schedule_id: str, end: datetime | None) -> float | None:
        return None if end is None else self.business_seconds(schedule_id, facts.ticket.created_at, end)

    def judge(self, facts: TicketFacts, target: Target | None, start: datetime, end: datetime | None) -> Status | None:
        """Met, breached or running for a measurement from start to end (None: not ended by the as-of time)."""
        if target is None or facts.is_agent_initiated:
            return None
        if target.business_hours:
            schedule_id = schedule_of(facts)
            to_as_of = self.business_seconds(schedule_id, start, self.as_of)
            if to_as_of is None:
                return None  # unknown schedule: no business clock to judge by
            to_event = None if end is None else self.business_seconds(schedule_id, start, end)
        else:
            to_as_of = (self.as_of - start).total_seconds()
            to_event = None if end is None else (end - start).total_seconds()
        return status_of(target.minutes * SECONDS_PER_MINUTE, to_event, to_as_of)

    def breach_at(self, facts: TicketFacts, target: Target | None, start: datetime | None = None) -> datetime | None:
        """The first instant from which the elapsed time since start (default created_at) exceeds the
        target: for calendar time the target's end; for business time the instant the target's business
        seconds are used up, or, when that falls at a closing time, the next opening. None where there
        is no SLA to breach."""
        if target is None or facts.is_agent_initiated:
            return None
        start = facts.ticket.created_at if start is None else start
        span = timedelta(seconds=target.minutes * SECONDS_PER_MINUTE)
        if not target.business_hours:
            return start + span
        schedule = self.config.schedules.get(schedule_of(facts))
        if schedule is None:
            return None
        used_up = deadline(schedule, start, span.total_seconds())
        window_start = used_up
        while window_start is not None and window_start - start < timedelta(days=1200):
            pieces = open_pieces(schedule, window_start, window_start + NEXT_OPENING_WINDOW)
            if pieces:
                return pieces[0][0]  # used_up itself when it is open
            window_start += NEXT_OPENING_WINDOW
        return None

    def next_replies(self, facts: TicketFacts) -> list[NextReply]:
        """The ticket's reply cycles after its first (answered, then the one still waiting, if any)."""
        cycles: list[tuple[datetime, datetime | None]] = [(c.started_at, c.replied_at) for c in facts.reply_cycles]
        if facts.waiting_since is not None:
            cycles.append((facts.waiting_since, None))
        replies = []
        for started_at, replied_at in cycles[1:]:
            target = self.target(facts, "next_response", replied_at)
            status = self.judge(facts, target, started_at, replied_at)
            replies.append(
                NextReply(
                    ticket_id=facts.ticket.ticket_id,
                    started_at=started_at,
                    replied_at=replied_at,
                    target=target,
                    status=status,
                    breach_at=self.breach_at(facts, target, started_at),
                )
            )
        return replies


def schedule_of(facts: TicketFacts) -> str:
    schedule_id = facts.ticket.schedule_id
    return schedule_id if schedule_id is not None else DEFAULT_SCHEDULE


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
        for kpi_id, at, value in ticket_observations(f, evaluator.evaluate(f), evaluator.next_replies(f))
    )
    return aggregate(observations, AGGREGATIONS, periods)


def ticket_observations(
    f: TicketFacts, sla: TicketSla, next_replies: Sequence[NextReply] = ()
) -> Iterator[tuple[str, datetime, float]]:
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
    for reply in next_replies:  # agent-initiated tickets have no status
        if reply.status in ("met", "breached"):
            yield "sla_next_response_attainment_pct", reply.started_at, 1.0 if reply.status == "met" else 0.0


@dataclass(frozen=True)
class TicketSlaMeasures:
    """What fct_tickets says about one ticket's business time and SLAs."""

    sla: TicketSla
    first_response_breach_at: datetime | None
    resolution_breach_at: datetime | None
    next_replies: tuple[NextReply, ...] = ()


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
        measures[f.ticket.ticket_id] = TicketSlaMeasures(
            sla=sla,
            first_response_breach_at=evaluator.breach_at(f, sla.first_response_target),
            resolution_breach_at=evaluator.breach_at(f, sla.resolution_target),
            next_replies=tuple(evaluator.next_replies(f)),
        )
    return measures
