"""Where a chart's numbers come from: a KPI's observation model, or kpi_values.

A KPI is charted from its observation model (`model` in the registry) when that
model is a published mart holding the KPI's attributed date (`attributed_date`,
or `attributed_at: X_at` -> column `X_date`, in the reporting time zone). Then
any filter on the chart slices the definition itself. Otherwise (states such as
the backlog, models that are not marts, or KPIs of one chart landing in
different periods) it is charted from the stored rows of kpi_values at one
grain and one dimension.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from support_kpis.kpi_registry import Kpi, Registry
from support_kpis.superset.calculated_columns import ARRIVAL_TIMESTAMP, REPORTED_GRAINS, reported_column
from support_kpis.superset.dashboard_specs import ChartSpec
from support_kpis.superset.metrics import has_observation_metric

STORED_TABLE = "kpi_values"
STORED_TIME_COLUMN = "period_start"
GRAIN_TIME_GRAINS: dict[str, str] = {"day": "P1D", "week": "P1W", "month": "P1M"}
GRAIN_PREFERENCE: tuple[str, ...] = ("month", "week", "day")
# Kinds whose KPIs must share one observation model (only `by` falls back to kpi_values).
SHARED_MODEL_KINDS = frozenset({"by", "leaderboard", "share", "heatmap"})

# Published datasets: table name -> its columns (the mart's and the calculated ones).
Datasets = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class FixedFilter:
    column: str
    operator: str  # '==', '!=', 'IN' or 'IS NOT NULL'
    value: str | bool | tuple[str, ...] = ""


@dataclass(frozen=True)
class Source:
    table: str
    kpis: tuple[Kpi, ...]
    time_column: str
    grain: str
    stored: bool
    filters: tuple[FixedFilter, ...] = ()
    # SQL predicate of a single KPI's observations: keeps periods without any out of the chart.
    where: str | None = None

    @property
    def time_grain(self) -> str:
        return GRAIN_TIME_GRAINS[self.grain]


def attributed_date_column(kpi: Kpi) -> str | None:
    """`attributed_date`, or the reporting-zone date of `attributed_at` (`X_at` -> `X_date`)."""
    return kpi.attributed_date_column


def observation_home(kpi: Kpi, datasets: Datasets) -> tuple[str, str] | None:
    """(model, date column) when the KPI can be charted from its observation rows."""
    date_column = attributed_date_column(kpi)
    columns = datasets.get(kpi.model)
    if not has_observation_metric(kpi) or columns is None or date_column not in columns:
        return None
    return kpi.model, str(date_column)


def _declared(spec: ChartSpec, registry: Registry) -> tuple[Kpi, ...]:
    known = set(registry.ids)
    return tuple(registry.kpi(kpi_id) for kpi_id in spec.kpis if kpi_id in known)


def common_grain(kpis: tuple[Kpi, ...], wanted: str) -> str | None:
    """The wanted grain if every KPI is published at it, else the coarsest they all have."""
    for grain in (wanted, *GRAIN_PREFERENCE):
        if all(grain in kpi.grains for kpi in kpis):
            return grain
    return None


def _through_reported_period(table: str, time_column: str, grain: str, datasets: Datasets) -> tuple[FixedFilter, ...]:
    """Keep the running period out: every chart ends on the period kpi_scorecard reports."""
    column = reported_column(time_column, grain if grain in REPORTED_GRAINS else "month")
    return (FixedFilter(column, "==", True),) if column in datasets.get(table, frozenset()) else ()


def _stored(kpis: tuple[Kpi, ...], spec: ChartSpec, datasets: Datasets) -> Source | None:
    grain = common_grain(kpis, spec.grain)
    dimension = spec.dimension if spec.kind == "by" else "all"
    if STORED_TABLE not in datasets or grain is None or dimension is None:
        return None
    if not all(dimension in kpi.dimensions for kpi in kpis):
        return None
    filters = (
        FixedFilter("kpi_id", "IN", tuple(kpi.id for kpi in kpis)),
        FixedFilter("grain", "==", grain),
        FixedFilter("dimension", "==", dimension),
        *_through_reported_period(STORED_TABLE, STORED_TIME_COLUMN, grain, datasets),
    )
    return Source(STORED_TABLE, kpis, STORED_TIME_COLUMN, grain, stored=True, filters=filters)


def _observed(
    table: str, kpis: tuple[Kpi, ...], date_column: str, wanted_grain: str, datasets: Datasets
) -> Source | None:
    grain = common_grain(kpis, wanted_grain)
    if grain is None:
        return None
    # Rows not in any period yet (e.g. tickets never resolved) would plot as a null date.
    not_null = (
        FixedFilter(date_column, "IS NOT NULL"),
        *_through_reported_period(table, date_column, grain, datasets),
    )
    where = " ".join(kpis[0].where.split()) if len(kpis) == 1 and kpis[0].where else None
    return Source(table, kpis, date_column, grain, stored=False, filters=not_null, where=where)


def _needed_column(spec: ChartSpec) -> str | None:
    return ARRIVAL_TIMESTAMP if spec.kind == "heatmap" else spec.dimension


def resolve_source(spec: ChartSpec, registry: Registry, datasets: Datasets) -> Source | None:
    """The chart's source, or None when its KPIs (or the columns it needs) do not exist yet."""
    kpis = _declared(spec, registry)
    if not kpis:
        return None
    homes = [observation_home(kpi, datasets) for kpi in kpis]
    first_home = homes[0]
    if spec.kind in SHARED_MODEL_KINDS:
        needed = _needed_column(spec)
        if first_home is None or (needed is not None and needed not in datasets[first_home[0]]):
            return _stored(kpis, spec, datasets) if spec.kind == "by" else None
        kpis = tuple(kpi for kpi, home in zip(kpis, homes, strict=True) if home == first_home)
        return _observed(first_home[0], kpis, first_home[1], spec.grain, datasets)
    if first_home is not None and all(home == first_home for home in homes):
        return _observed(first_home[0], kpis, first_home[1], spec.grain, datasets)
    return _stored(kpis, spec, datasets)
