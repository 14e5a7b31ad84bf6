"""The configuration tables in force: business_schedules, holidays and sla_policies, with the per-ticket SLA targets.

Each comes from the data folder when its CSV there has rows, else from the project's shipped
defaults (the CSVs in seeds/, read here as plain data). Two rules join them: a user file without a
`default` schedule still gets the shipped `default`, and shipped holidays land only on schedules
that come from the shipped file (a user's own `emea` need not keep UK bank holidays). A duplicate
primary key keeps the last row read. A row that breaks a rule raises ValueError naming file, row
and rule: the reference is an oracle for valid configuration. The shipped SLA policies apply only when
the user supplies neither sla_policies rows nor ticket_sla_targets rows (contract v2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reference_business import OpeningRow, Schedule

from .inputs import PRIORITIES, Row, parse_boolean, parse_enum, parse_timestamp, read_csv

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "seeds"
DEFAULT_SCHEDULE = "default"
ANY_CHANNEL = "*"
TIME_PATTERN = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class SlaPolicy:
    priority: str
    channel: str  # a channel, or ANY_CHANNEL
    first_response_minutes: float | None
    resolution_minutes: float | None
    business_hours: bool  # True: business time of the ticket's schedule; False: calendar time
    next_response_minutes: float | None = None


@dataclass(frozen=True)
class TicketTarget:
    """One row of ticket_sla_targets (contract v2)."""

    metric: str  # first_response, next_response or resolution
    target_minutes: float
    business_hours: bool  # a null counts business minutes, as for policies
    applied_at: datetime


@dataclass(frozen=True)
class BusinessConfig:
    schedules: dict[str, Schedule]  # by schedule_id, holidays included
    policies: dict[tuple[str, str], SlaPolicy]  # by (priority, channel)
    # Per ticket, its targets in applied_at order.
    ticket_targets: dict[str, tuple[TicketTarget, ...]] = field(default_factory=dict)

    def target(self, ticket_id: str, metric: str, ended_at: datetime) -> TicketTarget | None:
        """The ticket's latest target of the metric applied at or before ended_at."""
        applied = [t for t in self.ticket_targets.get(ticket_id, ()) if t.metric == metric and t.applied_at <= ended_at]
        return max(applied, key=lambda t: t.applied_at) if applied else None


@dataclass(frozen=True)
class _ScheduleRow:
    schedule_id: str
    timezone: str
    opening: OpeningRow


def read_business_config(data_dir: Path) -> BusinessConfig:
    user_rows = _schedule_rows(data_dir / "business_schedules.csv")
    shipped_rows = _schedule_rows(SHIPPED_DIR / "business_schedules.csv")
    if not user_rows:
        chosen, from_shipped = shipped_rows, {r.schedule_id for r in shipped_rows}
    elif any(r.schedule_id == DEFAULT_SCHEDULE for r in user_rows):
        chosen, from_shipped = user_rows, set()
    else:
        chosen = user_rows + [r for r in shipped_rows if r.schedule_id == DEFAULT_SCHEDULE]
        from_shipped = {DEFAULT_SCHEDULE}

    holidays = _holidays(data_dir / "holidays.csv")
    if not holidays:
        shipped = _holidays(SHIPPED_DIR / "holidays.csv")
        holidays = {k: v for k, v in shipped.items() if k in from_shipped}

    targets = _ticket_targets(data_dir / "ticket_sla_targets.csv")
    policies = _policies(data_dir / "sla_policies.csv")
    # The shipped policies only when the user supplies neither policies nor per-ticket targets.
    if not policies and not targets:
        policies = _policies(SHIPPED_DIR / "sla_policies.csv")
    return BusinessConfig(schedules=_schedules(chosen, holidays), policies=policies, ticket_targets=targets)


def _schedules(rows: list[_ScheduleRow], holidays: dict[str, set[date]]) -> dict[str, Schedule]:
    zones: dict[str, str] = {}
    openings: dict[str, list[OpeningRow]] = {}
    for row in rows:
        if zones.setdefault(row.schedule_id, row.timezone) != row.timezone:
            raise ValueError(f"business_schedules: schedule {row.schedule_id!r} has more than one timezone")
        openings.setdefault(row.schedule_id, []).append(row.opening)
    return {
        schedule_id: Schedule(zones[schedule_id], tuple(rows), frozenset(holidays.get(schedule_id, set())))
        for schedule_id, rows in openings.items()
    }


def _schedule_rows(path: Path) -> list[_ScheduleRow]:
    if not path.is_file():
        return []
    required = ("schedule_id", "timezone", "day_of_week", "start_time", "end_time")
    by_key: dict[tuple[str, int, int], _ScheduleRow] = {}
    for number, row in read_csv(path, required):
        where = f"{path.name} row {number}"
        schedule_id = _required(row, "schedule_id", where)
        timezone = _zone_name(_required(row, "timezone", where), where)
        day_text = _required(row, "day_of_week", where).strip()
        if day_text not in {"1", "2", "3", "4", "5", "6", "7"}:
            raise ValueError(f"{where}: day_of_week must be 1 (Monday) to 7 (Sunday): {day_text!r}")
        start = _second_of_day(_required(row, "start_time", where), f"{where} start_time")
        end = _second_of_day(_required(row, "end_time", where), f"{where} end_time")
        if start >= end:
            raise ValueError(f"{where}: end_time must be after start_time")
        by_key[(schedule_id, int(day_text), start)] = _ScheduleRow(
            schedule_id, timezone, OpeningRow(int(day_text), start, end)
        )
    return list(by_key.values())


def _holidays(path: Path) -> dict[str, set[date]]:
    if not path.is_file():
        return {}
    holidays: dict[str, set[date]] = {}
    for number, row in read_csv(path, ("schedule_id", "holiday_date")):
        where = f"{path.name} row {number}"
        schedule_id = _required(row, "schedule_id", where)
        text = _required(row, "holiday_date", where)
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"{where}: holiday_date is not a YYYY-MM-DD date: {text!r}") from None
        holidays.setdefault(schedule_id, set()).add(day)
    return holidays


def _policies(path: Path) -> dict[tuple[str, str], SlaPolicy]:
    if not path.is_file():
        return {}
    policies: dict[tuple[str, str], SlaPolicy] = {}
    for number, row in read_csv(path, ("priority", "channel")):
        where = f"{path.name} row {number}"
        business_text = row.get("business_hours")
        policy = SlaPolicy(
            priority=parse_enum(_required(row, "priority", where), PRIORITIES, f"{where} priority"),
            channel=_required(row, "channel", where).strip().lower(),
            first_response_minutes=_minutes(row, "first_response_minutes", where),
            resolution_minutes=_minutes(row, "resolution_minutes", where),
            # The usual SLA clock: a null business_hours counts business minutes.
            business_hours=True if business_text is None else parse_boolean(business_text, f"{where} business_hours"),
            next_response_minutes=_minutes(row, "next_response_minutes", where),
        )
        policies[(policy.priority, policy.channel)] = policy
    return policies


SLA_METRICS = frozenset({"first_response", "next_response", "resolution"})


def _ticket_targets(path: Path) -> dict[str, tuple[TicketTarget, ...]]:
    if not path.is_file():
        return {}
    targets: dict[str, list[TicketTarget]] = {}
    for number, row in read_csv(path, ("ticket_id", "metric", "target_minutes", "applied_at")):
        where = f"{path.name} row {number}"
        business_text = row.get("business_hours")
        minutes = _minutes(row, "target_minutes", where)
        if minutes is None or minutes <= 0:
            raise ValueError(f"{where}: target_minutes must be > 0")
        target = TicketTarget(
            metric=parse_enum(_required(row, "metric", where), SLA_METRICS, f"{where} metric"),
            target_minutes=minutes,
            business_hours=True if business_text is None else parse_boolean(business_text, f"{where} business_hours"),
            applied_at=parse_timestamp(_required(row, "applied_at", where), f"{where} applied_at"),
        )
        targets.setdefault(_required(row, "ticket_id", where).strip(), []).append(target)
    return {k: tuple(sorted(v, key=lambda t: t.applied_at)) for k, v in targets.items()}


def _required(row: Row, column: str, where: str) -> str:
    value = row.get(column)
    if value is None:
        raise ValueError(f"{where}: {column} is required")
    return value


def _zone_name(text: str, where: str) -> str:
    name = text.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{where}: timezone is not an IANA time zone: {text!r}") from None
    return name


def _second_of_day(text: str, where: str) -> int:
    match = TIME_PATTERN.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{where}: not an HH:MM time: {text!r}")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"{where}: not a time from 00:00 to 24:00: {text!r}")
    return hours * 3600 + minutes * 60


def _minutes(row: Row, column: str, where: str) -> float | None:
    text = row.get(column)
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{where}: {column} is not a number: {text!r}") from None
    if value < 0:
        raise ValueError(f"{where}: {column} must be >= 0: {text!r}")
    return value
