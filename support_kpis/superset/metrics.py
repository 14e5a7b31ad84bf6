"""Each KPI's Superset metric SQL, derived from its registry entry.

Two forms per KPI:

- on its observation model (one row per ticket, reply cycle, ...): the KPI's
  definition itself, so a chart filtered to one channel and one quarter gives
  the number the definition gives for that slice. Ratios are summed parts,
  medians and percentiles run over the observation rows.
- on `kpi_values` (the stored values): for KPIs without an observation model
  in the marts (states such as the backlog) and for charts mixing KPIs that
  land in different periods. Exact at the stored grain and segment the chart
  filters to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from support_kpis.kpi_registry import Kpi
from support_kpis.superset.dialects import Dialect
from support_kpis.superset.money import TILE_FORMAT, currency_code

UNIT_LABELS: dict[str, str] = {
    "minutes": "minutes",
    "hours": "hours",
    "days": "days",
    "pct": "%",
    "count": "count",
    "score": "score",
}

D3_FORMATS: dict[str, str] = {
    "minutes": ",.1f",
    "hours": ",.1f",
    "days": ",.1f",
    "pct": ",.1f",
    "count": ",d",
    "score": ",.1f",
    "currency": TILE_FORMAT,
}

PERCENTILES: dict[str, float] = {"median": 0.5, "p90": 0.9}
OBSERVATION_AGGREGATIONS = frozenset({"count", "count_distinct", "sum", "net", "ratio", "mean", "median", "p90"})
# Additive over kpi_values rows of one grain and dimension (sum of parts); the rest are one row per point.
STORED_SUMS = frozenset({"count", "sum", "net"})


@dataclass(frozen=True)
class Metric:
    name: str
    expression: str
    verbose_name: str
    description: str
    d3format: str
    warning_text: str | None = None


def registry_field(kpi: Kpi, name: str) -> str | None:
    """A registry field on one line (None when the KPI does not set it)."""
    value = getattr(kpi, name, None)
    return None if value is None else " ".join(str(value).split())


def _one_line(sql: str) -> str:
    return " ".join(sql.split())


def _when(kpi: Kpi, expression: str) -> str:
    """The expression for the KPI's observations only (null elsewhere, which aggregates skip)."""
    if not kpi.where:
        return _one_line(expression)
    return f"case when ({_one_line(kpi.where)}) then {_one_line(expression)} end"


def _scale(kpi: Kpi) -> str:
    return "100.0" if kpi.unit == "pct" else "1.0"


def unit_words() -> dict[str, str]:
    """Each unit as titles and labels write it; money as its currency code ("USD")."""
    return {**UNIT_LABELS, "currency": currency_code()}


def unit_label(kpi: Kpi) -> str:
    return unit_words().get(kpi.unit, kpi.unit)


def titled(kpi: Kpi) -> str:
    """'First response time (median)' -> 'First response time, median (minutes)': what, then the unit."""
    name = re.sub(r"\s*\(([^()]*)\)$", r", \1", kpi.name)
    return f"{name} ({unit_label(kpi)})"


def has_observation_metric(kpi: Kpi) -> bool:
    return kpi.aggregation in OBSERVATION_AGGREGATIONS


def observation_sql(kpi: Kpi, dialect: Dialect) -> str:
    """The KPI's definition as an aggregate over its observation model's rows."""
    aggregation = kpi.aggregation
    if aggregation == "count":
        return f"count({_when(kpi, '1')})" if kpi.where else "count(*)"
    if aggregation == "count_distinct":
        distinct = registry_field(kpi, "distinct")
        if distinct is None:
            raise ValueError(f"KPI {kpi.id}: count_distinct needs `distinct`")
        return f"count(distinct {_when(kpi, distinct)})"
    if aggregation == "ratio":
        if kpi.numerator is None or kpi.denominator is None:
            raise ValueError(f"KPI {kpi.id}: a ratio needs numerator and denominator")
        numerator = f"sum({_when(kpi, str(kpi.numerator))})"
        denominator = f"sum({_when(kpi, str(kpi.denominator))})"
        return f"{_scale(kpi)} * {numerator} / nullif({denominator}, 0)"
    if kpi.value is None:
        raise ValueError(f"KPI {kpi.id}: aggregation {aggregation} needs a value")
    if aggregation == "mean":
        return f"avg({_when(kpi, kpi.value)})"
    if aggregation in ("sum", "net"):
        return f"sum({_when(kpi, kpi.value)})"
    if aggregation in PERCENTILES:
        return dialect.percentile(PERCENTILES[aggregation], _when(kpi, kpi.value))
    raise ValueError(f"KPI {kpi.id}: aggregation {aggregation} has no observation metric")


# Aggregations whose value rests on a sample worth showing beside it (a count is its own sample).
SAMPLED_AGGREGATIONS = frozenset({"ratio", "mean", "median", "p90"})
SAMPLE_SUFFIX = "__sample"


def rests_on_a_sample(kpi: Kpi) -> bool:
    return kpi.aggregation in SAMPLED_AGGREGATIONS


def sample_metric_name(kpi: Kpi) -> str:
    return f"{kpi.id}{SAMPLE_SUFFIX}"


def sample_size_sql(kpi: Kpi) -> str:
    """The KPI's sample_size over its observation rows, as kpi_values counts it (macro kpi_sample_weight): the
    registry's `sample`, else the observations with a value (mean, median, p90), else every observation."""
    if kpi.sample:
        weight = _one_line(kpi.sample)
    elif kpi.aggregation in ("mean", *PERCENTILES) and kpi.value:
        weight = f"case when {_one_line(kpi.value)} is null then 0 else 1 end"
    else:
        weight = "1"
    return f"coalesce(sum({_when(kpi, weight)}), 0)"


def stored_sql(kpi: Kpi) -> str:
    """The KPI from kpi_values rows (the chart filters grain and dimension)."""

    def part(column: str) -> str:
        return f"sum(case when kpi_id = '{kpi.id}' then {column} end)"

    if kpi.aggregation == "ratio":
        return f"{_scale(kpi)} * {part('numerator')} / nullif({part('denominator')}, 0)"
    if kpi.aggregation == "mean":
        return f"{part('numerator')} / nullif({part('denominator')}, 0)"
    if kpi.aggregation in STORED_SUMS:
        return part("value")
    # Medians, percentiles, distinct counts and states are not additive: one stored row per period and segment.
    return f"max(case when kpi_id = '{kpi.id}' then value end)"


def _description(kpi: Kpi) -> str:
    return f"{kpi.description} Formula: {kpi.formula}. Lands in the period of: {kpi.attributed_by}."


def observation_metric(kpi: Kpi, dialect: Dialect) -> Metric:
    return Metric(
        name=kpi.id,
        expression=observation_sql(kpi, dialect),
        verbose_name=titled(kpi),
        description=_description(kpi),
        d3format=D3_FORMATS.get(kpi.unit, ",.2f"),
    )


def stored_metric(kpi: Kpi) -> Metric:
    additive = kpi.aggregation in ("ratio", "mean", *STORED_SUMS)
    return Metric(
        name=kpi.id,
        expression=stored_sql(kpi),
        verbose_name=titled(kpi),
        description=_description(kpi),
        d3format=D3_FORMATS.get(kpi.unit, ",.2f"),
        warning_text=None
        if additive
        else "Not additive: filter one grain and one dimension and chart one period per point.",
    )


def sample_label(kpi: Kpi, *, several: bool = True) -> str:
    """'Sample size: CSAT (share satisfied)'; just 'Sample size' where one KPI is beside it."""
    return f"Sample size: {kpi.name}" if several else "Sample size"


def sample_metric(kpi: Kpi) -> Metric:
    return Metric(
        name=sample_metric_name(kpi),
        expression=sample_size_sql(kpi),
        verbose_name=sample_label(kpi),
        description=f"How many observations {kpi.name} rests on in the chart's slice (kpi_values.sample_size "
        "counts the same): a value on few of them can swing by chance.",
        d3format=",d",
    )


TARGET_SUFFIX = "__target"


def target_metric_name(kpi: Kpi) -> str:
    return f"{kpi.id}{TARGET_SUFFIX}"


def target_metric(kpi: Kpi, scorecard_sql: str) -> Metric:
    """The KPI's target (kpi_scorecard.target: the user's kpi_targets, else the seed), the same on every row, so a
    trend draws it as a flat line. Read at query time: a changed target moves the line without a new bundle."""
    return Metric(
        name=target_metric_name(kpi),
        # A scalar subquery inside an aggregate: the metric stays an aggregate, whatever the chart groups by.
        expression=f"max((select max(target) from {scorecard_sql} where kpi_id = '{kpi.id}'))",
        verbose_name=f"Target: {titled(kpi)}",
        description=f"The target of {kpi.name} (kpi_scorecard.target, from kpi_targets); null without one.",
        d3format=D3_FORMATS.get(kpi.unit, ",.2f"),
    )
