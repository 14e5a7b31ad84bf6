"""The output row: exactly the columns of the ``kpi_values`` model."""

from __future__ import annotations

from datetime import date
from typing import Literal, NamedTuple

Grain = Literal["day", "week", "month"]
GRAINS: tuple[Grain, ...] = ("day", "week", "month")


class KpiRow(NamedTuple):
    kpi_id: str
    grain: str
    period_start: date
    dimension: str
    dimension_value: str
    value: float | None  # null only for customer_lifetime_value without churn
    numerator: float | None
    denominator: float | None
    sample_size: int
