"""Business time with whole intervals, fast enough for spans of years.

[start, end) is cut where the zone's UTC offset changes. On a piece with constant offset o the wall-clock
time of instant u is u + o, so the piece's open instants are the open wall-clock ranges that meet
[piece start + o, piece end + o), shifted back by o. A skipped wall-clock hour thus meets no piece, and a
repeated one meets two. Offset changes are found by probing every OFFSET_PROBE and bisecting to the
microsecond; real zones change offset at most once in that long.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from reference_business.schedule import Schedule

OFFSET_PROBE = timedelta(hours=3)
MICROSECOND = timedelta(microseconds=1)
DEADLINE_WINDOW = timedelta(days=31)

Piece = tuple[datetime, datetime]


def utc_offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.replace(tzinfo=UTC).astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _first_instant_with_new_offset(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """Given offset(low) != offset(high): the earliest instant in (low, high] whose offset differs from low's."""
    before = utc_offset(zone, low)
    while high - low > MICROSECOND:
        middle = low + (high - low) // 2
        if utc_offset(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high


def constant_offset_spans(
    zone: ZoneInfo, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime, timedelta]]:
    """[start, end) as consecutive spans (span_start, span_end, offset) of constant UTC offset."""
    if start >= end:
        return
    last_instant = end - MICROSECOND
    span_start = start
    offset = utc_offset(zone, start)
    probe = start
    while probe < last_instant:
        next_probe = min(probe + OFFSET_PROBE, last_instant)
        if utc_offset(zone, next_probe) != offset:
            change = _first_instant_with_new_offset(zone, probe, next_probe)
            yield span_start, change, offset
            span_start, offset = change, utc_offset(zone, change)
            next_probe = change
        probe = next_probe
    yield span_start, end, offset


def merged_wall_ranges(schedule: Schedule, day_of_week: int) -> list[tuple[int, int]]:
    """The weekday's open ranges [start, end) in seconds of the local day, overlapping rows merged."""
    ranges = sorted((r.start_second, r.end_second) for r in schedule.rows if r.day_of_week == day_of_week)
    merged: list[tuple[int, int]] = []
    for low, high in ranges:
        if low >= high:
            continue
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def open_pieces(schedule: Schedule, start: datetime, end: datetime) -> list[Piece]:
    """The open instants of [start, end) as ordered, disjoint UTC intervals [low, high)."""
    pieces: list[Piece] = []
    for span_start, span_end, offset in constant_offset_spans(schedule.zone, start, end):
        wall_start, wall_end = span_start + offset, span_end + offset
        day = wall_start.date()
        while day <= (wall_end - MICROSECOND).date():
            if day not in schedule.holidays:
                midnight = datetime.combine(day, time())
                for open_second, close_second in merged_wall_ranges(schedule, day.isoweekday()):
                    low = max(midnight + timedelta(seconds=open_second), wall_start)
                    high = min(midnight + timedelta(seconds=close_second), wall_end)
                    if low < high:
                        pieces.append((low - offset, high - offset))
            day += timedelta(days=1)
    return pieces


def business_seconds(schedule: Schedule, start: datetime, end: datetime) -> float:
    """Business seconds from start to end; negative when end is before start."""
    if end < start:
        return -business_seconds(schedule, end, start)
    return sum((high - low for low, high in open_pieces(schedule, start, end)), timedelta()).total_seconds()


def deadline(
    schedule: Schedule, start: datetime, target_seconds: float, limit: timedelta = timedelta(days=1200)
) -> datetime | None:
    """The earliest instant at which target_seconds of business time have passed since start (None past limit)."""
    if target_seconds < 0:
        return None
    remaining = timedelta(seconds=target_seconds)
    if remaining == timedelta():
        return start
    window_start = start
    while window_start - start < limit:
        window_end = window_start + DEADLINE_WINDOW
        for low, high in open_pieces(schedule, window_start, window_end):
            if high - low >= remaining:
                return low + remaining
            remaining -= high - low
        window_start = window_end
    return None
