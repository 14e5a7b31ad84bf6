"""Columns Superset computes on top of a mart (the dbt models stay untouched).

Only what a chart needs and the marts do not hold: the weekday and hour a
ticket arrived, for the arrivals heatmap. In UTC (timestamps are stored as
naive UTC); the chart title says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from support_kpis.superset.dialects import Dialect
from support_kpis.superset.manifest import MartModel

ARRIVAL_TIMESTAMP = "created_at"
WEEKDAY_COLUMN = "created_weekday"
HOUR_COLUMN = "created_hour"


@dataclass(frozen=True)
class CalculatedColumn:
    name: str
    expression: str
    kind: str
    description: str


def calculated_columns(mart: MartModel, dialect: Dialect) -> tuple[CalculatedColumn, ...]:
    if not mart.has_column(ARRIVAL_TIMESTAMP):
        return ()
    return (
        CalculatedColumn(
            WEEKDAY_COLUMN,
            dialect.weekday(ARRIVAL_TIMESTAMP),
            "string",
            "ISO weekday of created_at, UTC ('1 Mon' .. '7 Sun'); computed by Superset.",
        ),
        CalculatedColumn(
            HOUR_COLUMN,
            dialect.hour(ARRIVAL_TIMESTAMP),
            "string",
            "Hour of created_at, UTC ('00' to '23'); computed by Superset.",
        ),
    )
