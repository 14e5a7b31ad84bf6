"""Observations -> kpi_values rows, per grain, period and segment."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from .dimensions import Segment
from .periods import PeriodMapper
from .rows import GRAINS, Grain, KpiRow
from .stats import percentile_cont

# count: value = sum of the observations (1 each, or +1/-1/0 for a net count).
# mean: numerator = sum, denominator = count. pct: observations are 1 (numerator) or 0.
Aggregation = Literal["count", "mean", "pct", "median", "p90"]


@dataclass(frozen=True)
class Observation:
    kpi_id: str
    at: datetime  # the instant that attributes it to a period
    segments: tuple[Segment, ...]
    value: float


GroupKey = tuple[str, Grain, date, str, str]


def aggregate(
    observations: Iterable[Observation], aggregations: dict[str, Aggregation], periods: PeriodMapper
) -> list[KpiRow]:
    groups: dict[GroupKey, list[float]] = defaultdict(list)
    for observation in observations:
        for grain in GRAINS:
            start = periods(observation.at, grain)
            for dimension, dimension_value in observation.segments:
                groups[(observation.kpi_id, grain, start, dimension, dimension_value)].append(observation.value)
    return [summarize(key, values, aggregations[key[0]]) for key, values in groups.items()]


def summarize(key: GroupKey, values: list[float], aggregation: Aggregation) -> KpiRow:
    kpi_id, grain, start, dimension, dimension_value = key
    n = len(values)
    total = math.fsum(values)
    if aggregation == "count":
        value, numerator, denominator = total, None, None
    elif aggregation == "mean":
        value, numerator, denominator = total / n, total, float(n)
    elif aggregation == "pct":
        value, numerator, denominator = total / n * 100, total, float(n)
    elif aggregation == "median":
        value, numerator, denominator = percentile_cont(values, 0.5), None, None
    else:
        value, numerator, denominator = percentile_cont(values, 0.9), None, None
    return KpiRow(kpi_id, grain, start, dimension, dimension_value, value, numerator, denominator, n)
