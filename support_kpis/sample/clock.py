"""Time as int64 epoch seconds (UTC) and days as int days since 1970-01-01, vectorised."""

from __future__ import annotations

import datetime as dt

import numpy as np

MINUTE = 60
HOUR = 3600
DAY = 86_400
_EPOCH = dt.date(1970, 1, 1)


def date_to_ts(day: dt.date) -> int:
    return (day - _EPOCH).days * DAY


def date_to_day(day: dt.date) -> int:
    return (day - _EPOCH).days


def month_starts(start: dt.date, end: dt.date) -> np.ndarray:
    """Epoch seconds of the first day of every month from start's month to end's month."""
    first = np.datetime64(start.strftime("%Y-%m"), "M")
    last = np.datetime64(end.strftime("%Y-%m"), "M")
    months = np.arange(first, last + 1)
    return months.astype("datetime64[s]").astype(np.int64)


def day_of(ts: np.ndarray) -> np.ndarray:
    return ts // DAY


def weekday_of(ts: np.ndarray) -> np.ndarray:
    """0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday)."""
    return (ts // DAY + 3) % 7


def hour_of(ts: np.ndarray) -> np.ndarray:
    return (ts % DAY) // HOUR


def month_index(ts: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Index into `starts` of the month holding each timestamp (clipped to the known months)."""
    return np.clip(np.searchsorted(starts, ts, side="right") - 1, 0, len(starts) - 1)


def day_of_year(ts: np.ndarray) -> np.ndarray:
    days = ts.astype("datetime64[s]").astype("datetime64[D]")
    years = days.astype("datetime64[Y]")
    return (days - years).astype(np.int64)
