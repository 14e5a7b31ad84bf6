"""Business-hours schedules, their holidays, and the connector's time-zone tables.

Zendesk names time zones the Rails way ("Pacific Time (US & Canada)"); each maps to an IANA
zone, from which the standard offsets and the daylight-saving periods are computed, so the
`time_zone` and `daylight_time` tables are exactly what the zone database says. Schedules sit
in both hemispheres (the US and Europe move clocks in March/October, Sydney the other way
round) and one zone has no DST at all, so an adapter that ignores DST is caught.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pyarrow as pa

from support_kpis.sample import clock
from support_kpis.sample.zendesk import columns, ids

# Rails name -> IANA name, for every zone a schedule or a user is in.
ZONES: dict[str, str] = {
    "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Central Time (US & Canada)": "America/Chicago",
    "Eastern Time (US & Canada)": "America/New_York",
    "Arizona": "America/Phoenix",
    "London": "Europe/London",
    "Berlin": "Europe/Berlin",
    "Sydney": "Australia/Sydney",
    "Tokyo": "Asia/Tokyo",
    "UTC": "Etc/UTC",
}

_WEEK_MINUTES = 7 * 24 * 60


@dataclass(frozen=True)
class Schedule:
    name: str
    time_zone: str  # Rails name
    hours: tuple[int, int]  # local opening and closing hour, Monday to Friday
    created: dt.date  # the earliest created schedule is the account's default
    round_the_clock: bool = False  # Monday 00:00 to Friday 24:00 in one interval


SCHEDULES: tuple[Schedule, ...] = (
    Schedule("Americas East", "Eastern Time (US & Canada)", (8, 18), dt.date(2019, 3, 4)),
    Schedule("Americas West", "Pacific Time (US & Canada)", (8, 17), dt.date(2020, 6, 1)),
    Schedule("EMEA", "Berlin", (8, 17), dt.date(2019, 5, 6)),
    Schedule("APAC", "Sydney", (9, 17), dt.date(2021, 2, 1)),
    Schedule("Escalations 24x5", "London", (0, 24), dt.date(2022, 1, 10), round_the_clock=True),
)
SCHEDULE_IDS: tuple[int, ...] = tuple(ids.SCHEDULE + i for i in range(len(SCHEDULES)))
ESCALATION_SCHEDULE = SCHEDULE_IDS[-1]


def _standard_offset_minutes(zone: ZoneInfo, year: int) -> int:
    moment = dt.datetime(year, 1, 15, tzinfo=zone)
    offset, dst = moment.utcoffset(), moment.dst()
    assert offset is not None and dst is not None
    return int((offset - dst).total_seconds()) // 60


def _offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def schedule_table(synced: int) -> pa.Table:
    """One row per weekly interval, as the connector lands it (minutes from Sunday 00:00 local)."""
    rows: dict[str, list[object]] = {name: [] for name in columns.schema("schedule").names}
    for schedule_id, schedule in zip(SCHEDULE_IDS, SCHEDULES, strict=True):
        # The connector's *_utc columns are shifted by the zone's standard offset (no DST).
        shift = _standard_offset_minutes(ZoneInfo(ZONES[schedule.time_zone]), schedule.created.year)
        opening, closing = schedule.hours
        days = [(1, 5)] if schedule.round_the_clock else [(d, d) for d in range(1, 6)]
        for first_day, last_day in days:
            start, end = first_day * 1440 + opening * 60, last_day * 1440 + closing * 60
            rows["id"].append(schedule_id)
            rows["name"].append(schedule.name)
            rows["created_at"].append(clock.date_to_ts(schedule.created) + 9 * clock.HOUR)
            rows["time_zone"].append(schedule.time_zone)
            rows["start_time"].append(start)
            rows["end_time"].append(end)
            rows["start_time_utc"].append((start - shift) % _WEEK_MINUTES)
            rows["end_time_utc"].append((end - shift) % _WEEK_MINUTES or _WEEK_MINUTES)
            rows["_fivetran_synced"].append(synced)
            rows["_fivetran_deleted"].append(False)
    return columns.build("schedule", rows)


def _thanksgiving(year: int) -> dt.date:
    november_first = dt.date(year, 11, 1)
    first_thursday = november_first + dt.timedelta(days=(3 - november_first.weekday()) % 7)
    return first_thursday + dt.timedelta(weeks=3)


def holidays(schedule: Schedule, year: int) -> list[tuple[str, dt.date, dt.date]]:
    """(name, first day, last day inclusive); Christmas spans two days everywhere on purpose."""
    days = [("New Year's Day", dt.date(year, 1, 1), dt.date(year, 1, 1))]
    if schedule.time_zone.endswith("(US & Canada)"):
        days.append(("Thanksgiving", _thanksgiving(year), _thanksgiving(year) + dt.timedelta(days=1)))
        days.append(("Christmas", dt.date(year, 12, 24), dt.date(year, 12, 25)))
    else:
        days.append(("Christmas", dt.date(year, 12, 25), dt.date(year, 12, 26)))
    if schedule.time_zone == "Berlin":
        days.append(("Labour Day", dt.date(year, 5, 1), dt.date(year, 5, 1)))
    if schedule.time_zone == "Sydney":
        days.append(("Australia Day", dt.date(year, 1, 26), dt.date(year, 1, 26)))
    return days


def holiday_table(years: range, synced: int) -> pa.Table:
    rows: dict[str, list[object]] = {name: [] for name in columns.schema("schedule_holiday").names}
    for schedule_id, schedule in zip(SCHEDULE_IDS, SCHEDULES, strict=True):
        for year in years:
            for name, first, last in holidays(schedule, year):
                rows["id"].append(ids.HOLIDAY + len(rows["id"]))
                rows["schedule_id"].append(schedule_id)
                rows["name"].append(name)
                rows["start_date"].append(clock.date_to_day(first))
                rows["end_date"].append(clock.date_to_day(last))
                rows["_fivetran_synced"].append(synced)
                rows["_fivetran_deleted"].append(False)
    return columns.build("schedule_holiday", rows)


def time_zone_table(synced: int, year: int) -> pa.Table:
    names = sorted(ZONES)
    offsets = [_offset_text(_standard_offset_minutes(ZoneInfo(ZONES[n]), year)) for n in names]
    return columns.build(
        "time_zone", {"time_zone": names, "standard_offset": offsets, "_fivetran_synced": [synced] * len(names)}
    )


def _daylight_periods(zone: ZoneInfo, year: int) -> list[tuple[int, int, int]]:
    """(start, end, offset in hours) of each DST period that begins in `year`, instants in UTC seconds.

    Scanned hour by hour: every zone here switches on a whole UTC hour. A southern-hemisphere
    period begins in one year and ends in the next; it belongs to the year it begins in.
    """
    year_start = int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp())
    next_year = int(dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC).timestamp())
    scan_end = int(dt.datetime(year + 2, 1, 1, tzinfo=dt.UTC).timestamp())

    def dst_hours(ts: int) -> int:
        return int((dt.datetime.fromtimestamp(ts, tz=zone).dst() or dt.timedelta(0)).total_seconds()) // clock.HOUR

    periods: list[tuple[int, int, int]] = []
    running, begin, offset = dst_hours(year_start - clock.HOUR) > 0, None, 0
    for ts in range(year_start, scan_end, clock.HOUR):
        now = dst_hours(ts)
        if now and not running and ts < next_year:
            begin, offset = ts, now
        elif not now and running and begin is not None:
            periods.append((begin, ts, offset))
            begin = None
        running = now > 0
        if ts >= next_year and begin is None:
            break
    return periods


def daylight_time_table(years: range, synced: int) -> pa.Table:
    rows: dict[str, list[object]] = {name: [] for name in columns.schema("daylight_time").names}
    for name in sorted(ZONES):
        zone = ZoneInfo(ZONES[name])
        for year in years:
            for begin, end, offset in _daylight_periods(zone, year):
                rows["time_zone"].append(name)
                rows["year"].append(year)
                rows["daylight_start_utc"].append(begin)
                rows["daylight_end_utc"].append(end)
                rows["daylight_offset"].append(offset)
                rows["_fivetran_synced"].append(synced)
    return columns.build("daylight_time", rows)
