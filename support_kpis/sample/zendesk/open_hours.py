"""When each schedule is open, as UTC instants: weekly hours in local time, DST and holidays applied.

Agents mostly work their schedule's hours, so replies land in them; that is what makes business
minutes differ from calendar minutes in the sample, and what an adapter's business-hours
arithmetic is tested against.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from zoneinfo import ZoneInfo

from support_kpis.sample.zendesk.calendars import SCHEDULE_IDS, SCHEDULES, ZONES, Schedule, holidays


def _intervals(schedule: Schedule, first: dt.date, last: dt.date) -> tuple[list[int], list[int]]:
    zone = ZoneInfo(ZONES[schedule.time_zone])
    closed = {
        first_day + dt.timedelta(days=n)
        for year in range(first.year, last.year + 1)
        for _, first_day, last_day in holidays(schedule, year)
        for n in range((last_day - first_day).days + 1)
    }
    opening, closing = schedule.hours
    starts, ends = [], []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in closed:
            start = dt.datetime.combine(day, dt.time(opening), tzinfo=zone)
            end = (
                dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
                if closing == 24
                else dt.datetime.combine(day, dt.time(closing), tzinfo=zone)
            )
            starts.append(int(start.timestamp()))
            ends.append(int(end.timestamp()))
        day += dt.timedelta(days=1)
    return starts, ends


class OpenHours:
    """Every schedule's open intervals from `first` to `last` (local dates), searchable by instant."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self._table = {sid: _intervals(s, first, last) for sid, s in zip(SCHEDULE_IDS, SCHEDULES, strict=True)}

    def next_open(self, schedule_id: int, ts: int) -> int:
        """`ts` if the schedule is open then, else the instant it next opens (past the table: `ts`)."""
        starts, ends = self._table[schedule_id]
        i = bisect_right(ends, ts)  # the first interval that has not ended at ts
        return ts if i == len(ends) else max(ts, starts[i])
