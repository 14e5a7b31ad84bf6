"""Columns Superset computes on top of a mart (the dbt models stay untouched).

Only what a chart needs and the marts do not hold: the weekday and hour a
ticket arrived, for the arrivals heatmap (in UTC: timestamps are stored as
naive UTC, and the chart title says so), a response's NPS group, for the
promoters / passives / detractors split, coded values in words (value_labels), an agent's name (from dim_agents,
so charts by agent show people, not ids), and whether a date falls in the 12
months the dashboards report, which ends every chart on the period
kpi_scorecard reports and keeps a running period out (so tiles, trends and
the scorecard show the same period, whatever the clock says).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from support_kpis.superset.dialects import Dialect
from support_kpis.superset.manifest import MartModel
from support_kpis.superset.metrics import unit_words
from support_kpis.superset.value_labels import coded_columns, label_column, label_expression

ARRIVAL_TIMESTAMP = "created_at"
WEEKDAY_COLUMN = "created_weekday"
HOUR_COLUMN = "created_hour"
NPS_GROUP_COLUMN = "nps_group"
_NPS_FLAGS = ("is_promoter", "is_detractor")
SCORECARD_TABLE = "kpi_scorecard"
# Grains charts plot (trends by week and month; everything else by month).
REPORTED_GRAINS: tuple[str, ...] = ("week", "month")
REPORT_MONTHS = 12
AGENT_COLUMN = "agent"
AGENT_NAME_COLUMN = "agent_name"
AGENTS_TABLE = "dim_agents"


REPORTED_MONTH_SUFFIX = "_is_reported_month"


def reported_month_column(time_column: str) -> str:
    """True when a month column (e.g. leaderboard_month) is the month the scorecard reports."""
    return f"{time_column}{REPORTED_MONTH_SUFFIX}"


def reported_column(time_column: str, grain: str) -> str:
    """True when `time_column` falls in the months the dashboards report, up to the reported period of `grain`."""
    return f"{time_column}_in_report_{grain}"


@dataclass(frozen=True)
class CalculatedColumn:
    name: str
    expression: str
    kind: str
    description: str


def _reported_columns(time_columns: Iterable[str], scorecard: str) -> list[CalculatedColumn]:
    first_month = (
        f"cast((select max(period_start) from {scorecard} where grain = 'month') "
        f"- interval '{REPORT_MONTHS - 1} months' as date)"
    )
    return [
        CalculatedColumn(
            reported_column(time_column, grain),
            # Parenthesised: Superset appends '= true' to it in a filter.
            f"({time_column} >= {first_month} "
            f"and {time_column} < (select max(period_end) from {scorecard} where grain = '{grain}'))",
            "boolean",
            f"True when {time_column} falls in the {REPORT_MONTHS} months the dashboards report: from the first "
            f"day of the month {REPORT_MONTHS - 1} months before the reported month to the end of the reported "
            f"{grain} (kpi_scorecard: the latest complete {grain}, or the running one when no earlier {grain} holds "
            f"data). Charts keep only these rows, so a {grain} still running is never drawn as if complete; "
            "computed by Superset.",
        )
        for time_column in sorted(time_columns)
        for grain in REPORTED_GRAINS
    ]


def _reported_month_columns(time_columns: Iterable[str], scorecard: str) -> list[CalculatedColumn]:
    """For month columns (dates named *_month)."""
    return [
        CalculatedColumn(
            reported_month_column(time_column),
            f"({time_column} = (select max(period_start) from {scorecard} where grain = 'month'))",
            "boolean",
            f"True when {time_column} is the month kpi_scorecard reports (the latest complete month); computed by "
            "Superset.",
        )
        for time_column in sorted(time_columns)
    ]


def _agent_name_column(mart: MartModel, agents: str) -> CalculatedColumn:
    return CalculatedColumn(
        AGENT_NAME_COLUMN,
        f"coalesce((select named.agent_name from {agents} as named where named.agent_id = {mart.name}.agent), "
        f"{mart.name}.agent)",
        "string",
        "The agent's name (dim_agents.agent_name; the id of an agent missing from agents, 'unknown' for none); "
        "computed by Superset.",
    )


STATUS_WORDS: dict[str, str] = {"on_target": "On target", "off_target": "Off target", "no_target": "No target"}


def _scorecard_columns(units: dict[str, str]) -> list[CalculatedColumn]:
    def case(column: str, words: dict[str, str]) -> str:
        whens = " ".join(f"when '{code}' then '{word}'" for code, word in words.items())
        return f"case {column} {whens} else {column} end"

    return [
        CalculatedColumn(
            "status_label",
            case("status", STATUS_WORDS),
            "string",
            "status in words: On target, Off target or No target; computed by Superset.",
        ),
        CalculatedColumn(
            "unit_label",
            case("unit", units),
            "string",
            "unit as the charts write it (% for pct); computed by Superset.",
        ),
    ]


def calculated_columns(
    mart: MartModel,
    dialect: Dialect,
    time_columns: Iterable[str] = (),
    scorecard: str | None = None,
    agents: str | None = None,
) -> tuple[CalculatedColumn, ...]:
    """`time_columns`: the dates charts plot this mart by; `scorecard`: kpi_scorecard's qualified name, when it is
    published beside the mart (without it, no reported-period columns); `agents`: dim_agents' qualified name, when
    it is published (without it, agents show by id)."""
    columns: list[CalculatedColumn] = []
    if scorecard is not None:
        in_mart = [column for column in time_columns if mart.has_column(column)]
        columns += _reported_columns(in_mart, scorecard)
        months = [c.name for c in mart.columns if c.name.endswith("_month") and (c.data_type or "").lower() == "date"]
        columns += _reported_month_columns(months, scorecard)
    if mart.name == SCORECARD_TABLE:
        columns += _scorecard_columns(unit_words())
    columns += [
        CalculatedColumn(
            label_column(column),
            label_expression(column),
            "string",
            f"{column} in words ('feature_request' is 'Feature request', 'smb' is 'SMB'); computed by Superset.",
        )
        for column in coded_columns(mart.column_names)
        if not mart.has_column(label_column(column))
    ]
    if agents is not None and mart.has_column(AGENT_COLUMN) and not mart.has_column(AGENT_NAME_COLUMN):
        columns.append(_agent_name_column(mart, agents))
    if mart.has_column(ARRIVAL_TIMESTAMP):
        columns += [
            CalculatedColumn(
                WEEKDAY_COLUMN,
                dialect.weekday(ARRIVAL_TIMESTAMP),
                "timestamp",
                "The weekday of created_at (UTC), as that day of the week of Monday 2024-01-01, so that charts "
                "write it as a weekday name and order Monday first; computed by Superset.",
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
                "case when is_promoter then 'Promoter' when is_detractor then 'Detractor' else 'Passive' end",
                "string",
                "Promoter (9-10), Passive (7-8) or Detractor (0-6); computed by Superset from is_promoter and "
                "is_detractor.",
            )
        )
    return tuple(columns)
