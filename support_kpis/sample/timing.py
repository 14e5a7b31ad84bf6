"""How long things take: agent response waits, customer reply delays, handle times.

Durations are log-normal (a few very slow cases, most fast), in whole seconds, and
depend on the channel: a chat is answered in a minute or two, an email in hours.
"""

from __future__ import annotations

import numpy as np

from support_kpis.contract import CHANNELS, PRIORITIES
from support_kpis.sample import clock

_M = clock.MINUTE
# Median agent response wait (seconds) and spread, per channel.
_RESPONSE = {
    "email": (180 * _M, 1.1),
    "chat": (90, 0.9),
    "phone": (25, 0.8),
    "web": (200 * _M, 1.1),
    "social": (60 * _M, 1.0),
    "messaging": (20 * _M, 1.0),
    "other": (300 * _M, 1.1),
}
# Phone follow-ups are call-backs, not a caller waiting on the line.
_PHONE_CALLBACK = (240 * _M, 1.0)
INSTANT_PICKUP_SHARE = 0.2  # phone calls answered in the same second (IVR hands over)
_PRIORITY_FACTOR = np.array([1.6, 1.0, 0.55, 0.25, 1.0])  # low, normal, high, urgent, null
_CUSTOMER = {
    "email": (8 * clock.HOUR, 1.2),
    "chat": (100, 0.8),
    "phone": (clock.DAY, 1.0),
    "web": (8 * clock.HOUR, 1.2),
    "social": (3 * clock.HOUR, 1.1),
    "messaging": (30 * _M, 1.2),
    "other": (10 * clock.HOUR, 1.2),
}
_HANDLE = {
    "email": (360, 0.6),
    "chat": (150, 0.6),
    "phone": (420, 0.5),
    "web": (360, 0.6),
    "social": (240, 0.6),
    "messaging": (180, 0.6),
    "other": (360, 0.6),
}
WEEKEND_DEFERRAL = 0.85  # share of agent work landing on a weekend that waits for Monday
MAX_WAIT = 10 * clock.DAY


def _params(table: dict[str, tuple[float, float]], channel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    median = np.array([table[c][0] for c in CHANNELS])[channel]
    sigma = np.array([table[c][1] for c in CHANNELS])[channel]
    return median, sigma


def _lognormal(median: np.ndarray, sigma: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(len(median)))


def response_wait(channel: np.ndarray, priority: np.ndarray, first: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    median, sigma = _params(_RESPONSE, channel)
    phone_followup = (channel == CHANNELS.index("phone")) & ~first
    median = np.where(phone_followup, _PHONE_CALLBACK[0], median)
    sigma = np.where(phone_followup, _PHONE_CALLBACK[1], sigma)
    median = median * _PRIORITY_FACTOR[np.where(priority < 0, len(PRIORITIES), priority)]
    wait = np.clip(_lognormal(median, sigma, rng), 5, MAX_WAIT).astype(np.int64)
    instant = (channel == CHANNELS.index("phone")) & first & (rng.random(len(wait)) < INSTANT_PICKUP_SHARE)
    return np.where(instant, 0, wait)


def customer_wait(channel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    median, sigma = _params(_CUSTOMER, channel)
    return np.clip(_lognormal(median, sigma, rng), 10, 2 * MAX_WAIT).astype(np.int64)


def handle_seconds(channel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Agent time on one reply; on the phone the call itself plus after-call work."""
    median, sigma = _params(_HANDLE, channel)
    seconds = _lognormal(median, sigma, rng)
    after_call = np.where(channel == CHANNELS.index("phone"), rng.integers(30, 180, len(channel)), 0)
    return np.clip(seconds + after_call, 20, 2 * clock.HOUR).astype(np.int64)


def note_seconds(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.integers(30, 300, n)


def solve_delay(channel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds between the last reply and marking the ticket solved; often the same second."""
    median = np.where(channel == CHANNELS.index("chat"), 60.0, 20 * _M)
    delay = np.clip(_lognormal(median, np.full(len(channel), 1.2), rng), 1, 3 * clock.DAY).astype(np.int64)
    return np.where(rng.random(len(channel)) < 0.45, 0, delay)


def escalation_wait(tier: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Extra wait in a higher tier's queue: hours for tier 2, about a day for tier 3."""
    median = np.where(tier >= 3, 20 * clock.HOUR, 3 * clock.HOUR).astype(np.float64)
    return np.clip(_lognormal(median, np.full(len(tier), 0.9), rng), 60, MAX_WAIT).astype(np.int64)


def lognormal_seconds(n: int, median: float, sigma: float, rng: np.random.Generator) -> np.ndarray:
    return np.maximum(1, _lognormal(np.full(n, median), np.full(n, sigma), rng)).astype(np.int64)


def defer_weekend(ts: np.ndarray, allowed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Move most agent work stamped on a Saturday or Sunday to Monday morning (UTC)."""
    weekday = clock.weekday_of(ts)
    moved = allowed & (weekday >= 5) & (rng.random(len(ts)) < WEEKEND_DEFERRAL)
    monday = (clock.day_of(ts) + 7 - weekday) * clock.DAY
    morning = monday + 7 * clock.HOUR + lognormal_seconds(len(ts), 45 * _M, 0.8, rng)
    return np.where(moved, morning, ts)
