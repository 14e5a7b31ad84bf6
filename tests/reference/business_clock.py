"""Business seconds between many pairs of instants of one schedule, fast enough for thousands of tickets.

reference_business.business_seconds() recomputes every day of an interval; a ticket still open at the
as-of time can span a year. Here each UTC date's open pieces (from reference_business.open_pieces, the
interval-arithmetic reference) are computed once and totalled from an anchor date, so a duration is
the difference of two readings. All sums are timedeltas: exact to the microsecond.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from reference_business import Schedule, open_pieces

ONE_DAY = timedelta(days=1)
# How far before the first date asked for the totals start, so that earlier instants rarely force a rebuild.
ANCHOR_MARGIN = timedelta(days=7)


class BusinessClock:
    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self._pieces: dict[date, list[tuple[datetime, datetime]]] = {}
        self._anchor: date | None = None
        # _before[i]: open time from the anchor's UTC midnight to that of anchor + i days.
        self._before: list[timedelta] = []

    def seconds_between(self, start: datetime, end: datetime) -> float:
        """Business seconds in [start, end); negative when end is before start."""
        self._cover(min(start, end).date())
        return (self._reading(end) - self._reading(start)).total_seconds()

    def _day_pieces(self, day: date) -> list[tuple[datetime, datetime]]:
        if day not in self._pieces:
            midnight = datetime.combine(day, time())
            self._pieces[day] = open_pieces(self.schedule, midnight, midnight + ONE_DAY)
        return self._pieces[day]

    def _open_on(self, day: date) -> timedelta:
        return sum((high - low for low, high in self._day_pieces(day)), timedelta())

    def _cover(self, day: date) -> None:
        """Move the anchor before `day` (readings taken before this are void)."""
        if self._anchor is None or day < self._anchor:
            self._anchor, self._before = day - ANCHOR_MARGIN, [timedelta()]

    def _reading(self, instant: datetime) -> timedelta:
        """Open time from the anchor's midnight to the instant (the anchor must be on or before its date)."""
        day = instant.date()
        assert self._anchor is not None and day >= self._anchor
        index = (day - self._anchor).days
        while len(self._before) <= index:
            self._before.append(self._before[-1] + self._open_on(self._anchor + (len(self._before) - 1) * ONE_DAY))
        partial = sum((min(high, instant) - low for low, high in self._day_pieces(day) if low < instant), timedelta())
        return self._before[index] + partial
