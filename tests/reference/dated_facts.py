"""What the KPIs beyond speed and flow share: their inputs, and facts attributed to a local date.

A Fact carries the two additive parts of its KPI (a count's 1, a mean's observation and 1, a
ratio's numerator and denominator parts); every grain's period is derived from its local date
in the reporting time zone, so date columns (activity_date) and timestamps are handled alike.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from .dimensions import UNKNOWN, Segment
from .inputs import Customer, Ticket
from .lifecycle import TicketFacts
from .optional_inputs import OptionalData
from .periods import local_date, period_start_of_date
from .rows import GRAINS, Grain, KpiRow

ALL: Segment = ("all", "all")

# count: value = sum of numerators. mean: numerator sum / count. pct: numerator sum / denominator sum * 100.
Aggregation = Literal["count", "mean", "pct"]


@dataclass(frozen=True)
class Context:
    as_of: datetime
    zone: ZoneInfo
    tickets: Mapping[str, Ticket]  # every ticket row (current state), also those created after the as-of time
    customers: Mapping[str, Customer]
    facts: Sequence[TicketFacts]  # tickets created by the as-of time, with their events up to it
    ticket_segments: Mapping[str, tuple[Segment, ...]]  # of the tickets in `facts`: all + 8 ticket dimensions
    tables: OptionalData
    gross_margin_pct: float

    def day(self, instant: datetime) -> date:
        return local_date(instant, self.zone)

    @property
    def as_of_day(self) -> date:
        return self.day(self.as_of)

    def customer_segments(self, customer_id: str | None) -> tuple[Segment, ...]:
        """`all`, `segment` and `region` of a customer; no customer, or one not in customers.csv, is `unknown`."""
        customer = self.customers.get(customer_id) if customer_id is not None else None
        segment = customer.segment if customer is not None else None
        region = customer.region if customer is not None else None
        return (ALL, ("segment", segment or UNKNOWN), ("region", region or UNKNOWN))


@dataclass(frozen=True)
class Fact:
    kpi_id: str
    day: date  # the local date that attributes it to a period
    segments: tuple[Segment, ...]
    numerator: float
    denominator: float = 1.0


def aggregate_facts(
    facts: Iterable[Fact], aggregations: Mapping[str, Aggregation], grains: Sequence[Grain] = GRAINS
) -> list[KpiRow]:
    """One row per KPI, grain, period and segment; sample_size = the number of facts."""
    groups: dict[tuple[str, Grain, date, str, str], tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for fact in facts:
        for grain in grains:
            start = period_start_of_date(fact.day, grain)
            for dimension, value in fact.segments:
                numerators, denominators = groups[(fact.kpi_id, grain, start, dimension, value)]
                numerators.append(fact.numerator)
                denominators.append(fact.denominator)
    rows: list[KpiRow] = []
    for (kpi_id, grain, start, dimension, value), (numerators, denominators) in groups.items():
        aggregation = aggregations[kpi_id]
        numerator, denominator = math.fsum(numerators), math.fsum(denominators)
        if aggregation == "count":
            rows.append(KpiRow(kpi_id, grain, start, dimension, value, numerator, None, None, len(numerators)))
        elif denominator != 0:  # a zero denominator gives no row
            result = numerator / denominator * (100 if aggregation == "pct" else 1)
            rows.append(KpiRow(kpi_id, grain, start, dimension, value, result, numerator, denominator, len(numerators)))
    return rows
