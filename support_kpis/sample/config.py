"""What to generate: size, seed and date range, and the side-table sizes derived from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from support_kpis.sample import clock

DEFAULT_TICKETS = 20_000
DEFAULT_SEED = 42
# Fixed so that output never depends on the day it is generated.
DEFAULT_END = dt.date(2026, 10, 31)
DEFAULT_START = dt.date(2025, 10, 1)
# Events are simulated this many tickets at a time; part of the output's identity, so a constant.
TICKETS_PER_CHUNK = 50_000


@dataclass(frozen=True)
class SampleConfig:
    tickets: int = DEFAULT_TICKETS
    seed: int = DEFAULT_SEED
    start: dt.date = DEFAULT_START
    end: dt.date = DEFAULT_END
    tickets_per_chunk: int = TICKETS_PER_CHUNK

    @property
    def start_ts(self) -> int:
        """First second of the range (epoch seconds, UTC)."""
        return clock.date_to_ts(self.start)

    @property
    def end_ts(self) -> int:
        """Last second of the range, inclusive: nothing is stamped after it."""
        return clock.date_to_ts(self.end) + clock.DAY - 1

    @property
    def month_starts(self) -> np.ndarray:
        """Epoch-second starts of the months overlapping the range."""
        return clock.month_starts(self.start, self.end)

    @property
    def n_customers(self) -> int:
        return max(50, self.tickets // 8)

    @property
    def n_agents(self) -> int:
        return min(300, max(12, self.tickets // 2500))

    @property
    def n_articles(self) -> int:
        return min(5000, max(30, self.tickets // 250))

    @property
    def n_reviews(self) -> int:
        return max(20, self.tickets // 40)
