"""Columns Superset computes on top of a mart (the dbt models stay untouched).

Only what a chart needs and the marts do not hold: the weekday and hour a
ticket arrived, for the arrivals heatmap (in UTC: timestamps are stored as
naive UTC, and the chart title says so), and a response's NPS group, for the
promoters / passives / detractors split.
"""

from __future__ import annotations

from dataclasses import dataclass

from support_kpis.superset.dialects import Dialect
from support_kpis.superset.manifest import MartModel

ARRIVAL_TIMESTAMP = "created_at"
WEEKDAY_COLUMN = "created_weekday"
HOUR_COLUMN = "created_hour"
NPS_GROUP_COLUMN = "nps_group"
_NPS_FLAGS = ("is_promoter", "is_detractor")


@dataclass(frozen=True)
class CalculatedColumn:
    name: str
    expression: str
    kind: str
    description: str


def calculated_columns(mart: MartModel, dialect: Dialect) -> tuple[CalculatedColumn, ...]:
    columns: list[CalculatedColumn] = []
    if mart.has_column(ARRIVAL_TIMESTAMP):
        columns += [
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
        ]
    if all(mart.has_column(flag) for flag in _NPS_FLAGS):
        columns.append(
            CalculatedColumn(
                NPS_GROUP_COLUMN,
                "case when is_promoter then 'promoter' when is_detractor then 'detractor' else 'passive' end",
                "string",
                "promoter (9-10), passive (7-8) or detractor (0-6); computed by Superset from is_promoter and "
                "is_detractor.",
            )
        )
    return tuple(columns)
