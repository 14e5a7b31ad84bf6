"""Days, ISO weeks and months in the reporting time zone.

A period is identified by its first local date. Periods are half-open, so an
instant belongs to the period whose local date range holds its local date;
comparing periods (not UTC instants) also sidesteps local midnights that a
daylight-saving change skips.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from .rows import Grain


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    """The reporting-zone date of a naive UTC instant."""
    return instant.replace(tzinfo=UTC).astimezone(zone).date()


def period_start_of_date(day: date, grain: Grain) -> date:
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday (weekday 0)
    return day.replace(day=1)


def period_start(instant: datetime, grain: Grain, zone: ZoneInfo) -> date:
    return period_start_of_date(local_date(instant, zone), grain)


def next_period_start(start: date, grain: Grain) -> date:
    if grain == "day":
        return start + timedelta(days=1)
    if grain == "week":
        return start + timedelta(days=7)
    return date(start.year + 1, 1, 1) if start.month == 12 else date(start.year, start.month + 1, 1)


def periods_from_to(first: date, last: date, grain: Grain) -> list[date]:
    """Period starts from the period `first` to the period `last`, both included."""
    starts = []
    current = first
    while current <= last:
        starts.append(current)
        current = next_period_start(current, grain)
    return starts


class PeriodMapper:
    """period_start() with a cache: the same instants are attributed by many KPIs."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._cache: dict[tuple[datetime, Grain], date] = {}

    def __call__(self, instant: datetime, grain: Grain) -> date:
        key = (instant, grain)
        if key not in self._cache:
            self._cache[key] = period_start(instant, grain, self.zone)
        return self._cache[key]
