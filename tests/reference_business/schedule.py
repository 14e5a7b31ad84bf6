"""A business-hours schedule and the one rule that defines business time: is this instant open?"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class OpeningRow:
    """One row of business_schedules: open from start_second to end_second (excluded) of the local day."""

    day_of_week: int  # ISO: 1 = Monday ... 7 = Sunday
    start_second: int
    end_second: int  # SECONDS_PER_DAY for '24:00'

    @classmethod
    def from_text(cls, day_of_week: int, start_time: str, end_time: str) -> OpeningRow:
        return cls(day_of_week, seconds_of_day(start_time), seconds_of_day(end_time))

    @property
    def start_time(self) -> str:
        return time_text(self.start_second)

    @property
    def end_time(self) -> str:
        return time_text(self.end_second)


@dataclass(frozen=True)
class Schedule:
    timezone: str
    rows: tuple[OpeningRow, ...]
    holidays: frozenset[date] = field(default_factory=frozenset)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def seconds_of_day(text: str) -> int:
    """'HH:MM' or 'HH:MM:SS' (up to '24:00') as seconds after midnight."""
    parts = [int(part) for part in text.split(":")]
    hours, minutes, seconds = [*parts, 0, 0][:3]
    return hours * 3600 + minutes * 60 + seconds


def time_text(second_of_day: int) -> str:
    return f"{second_of_day // 3600:02d}:{second_of_day % 3600 // 60:02d}"


def local_wall_time(schedule: Schedule, instant: datetime) -> datetime:
    """The naive wall-clock time of a naive UTC instant in the schedule's zone."""
    return instant.replace(tzinfo=UTC).astimezone(schedule.zone).replace(tzinfo=None)


def is_open(schedule: Schedule, instant: datetime) -> bool:
    """The definition of business time, applied to one instant."""
    wall = local_wall_time(schedule, instant)
    if wall.date() in schedule.holidays:
        return False
    second = wall.hour * 3600 + wall.minute * 60 + wall.second + wall.microsecond / 1_000_000
    return any(
        row.day_of_week == wall.isoweekday() and row.start_second <= second < row.end_second for row in schedule.rows
    )
