"""When contacts happen: business-hours peaks per region, quiet weekends, seasons and growth.

The curve is an hourly weight over the range; tickets, help-center sessions and reviews
all draw their timestamps from it, so every table shows the same weekly rhythm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from support_kpis.sample import clock, vocab
from support_kpis.sample.config import SampleConfig

# Relative contact rate per local hour of day (0..23): a business-hours hump.
_DIURNAL = np.array(
    [
        0.10,
        0.07,
        0.06,
        0.06,
        0.08,
        0.15,
        0.35,
        0.75,
        1.25,
        1.60,
        1.70,
        1.60,
        1.35,
        1.45,
        1.55,
        1.45,
        1.25,
        0.95,
        0.70,
        0.55,
        0.45,
        0.35,
        0.25,
        0.15,
    ]
)
# Monday .. Sunday.
_WEEKDAY = np.array([1.15, 1.10, 1.05, 1.00, 0.90, 0.38, 0.32])
YEARLY_AMPLITUDE = 0.12  # peak in late January, trough in late July
GROWTH_OVER_RANGE = 1.35
REGIONS = tuple(vocab.REGION_SHARES)


@dataclass(frozen=True)
class ActivityCurve:
    hour_starts: np.ndarray
    by_region: np.ndarray  # (regions, hours) weights
    total: np.ndarray

    def sample(self, n: int, rng: np.random.Generator, lo: int | None = None, hi: int | None = None) -> np.ndarray:
        """n sorted timestamps following the curve, optionally only within [lo, hi] (inclusive)."""
        lo = int(self.hour_starts[0]) if lo is None else lo
        hi = int(self.hour_starts[-1]) + clock.HOUR - 1 if hi is None else max(hi, lo)
        first = max(0, int(np.searchsorted(self.hour_starts, lo, side="right")) - 1)
        last = int(np.searchsorted(self.hour_starts, hi, side="right"))
        begins = np.maximum(self.hour_starts[first:last], lo)
        spans = np.minimum(self.hour_starts[first:last] + clock.HOUR, hi + 1) - begins
        weights = self.total[first:last] * spans
        counts = rng.multinomial(n, weights / weights.sum())
        offsets = (rng.random(n) * np.repeat(spans, counts)).astype(np.int64)
        return np.sort(np.repeat(begins, counts) + offsets)

    def regions_at(self, ts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The region of each contact, likelier where it is business hours at that moment."""
        hour = np.clip(np.searchsorted(self.hour_starts, ts, side="right") - 1, 0, len(self.hour_starts) - 1)
        share = self.by_region[:, hour] / self.total[hour]
        cumulative = np.cumsum(share, axis=0)
        return (rng.random(len(ts)) > cumulative[:-1]).sum(axis=0)


def make_curve(config: SampleConfig) -> ActivityCurve:
    hours = np.arange(config.start_ts, config.end_ts + 1, clock.HOUR, dtype=np.int64)
    by_region = np.empty((len(REGIONS), len(hours)))
    for r, region in enumerate(REGIONS):
        local = hours + vocab.REGION_UTC_OFFSET[region] * clock.HOUR
        by_region[r] = vocab.REGION_SHARES[region] * _DIURNAL[clock.hour_of(local)] * _WEEKDAY[clock.weekday_of(local)]
    day_of_year = clock.day_of_year(hours)
    seasonal = 1 + YEARLY_AMPLITUDE * np.cos(2 * np.pi * (day_of_year - 25) / 365.25)
    # Year-end holidays: most customers are away.
    seasonal = np.where((day_of_year >= 356) | (day_of_year <= 0), seasonal * 0.6, seasonal)
    progress = (hours - hours[0]) / max(1, hours[-1] - hours[0])
    growth = GROWTH_OVER_RANGE**progress
    by_region *= seasonal * growth
    return ActivityCurve(hours, by_region, by_region.sum(axis=0))
