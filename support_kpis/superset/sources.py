"""Where a chart's numbers come from: a KPI's observation model, or kpi_values.

A KPI is charted from its observation model (`model` in the registry) when that
model is a published mart holding the KPI's attributed date (`attributed_at:
X_at` -> column `X_date`, in the reporting time zone). Then any filter on the
chart slices the definition itself. Otherwise (states such as the backlog, or
KPIs of one chart landing in different periods) it is charted from the stored
rows of kpi_values at one grain and one dimension.
"""

from __future__ import annotations

from dataclasses import dataclass

from support_kpis.kpi_registry import Kpi, Registry
from support_kpis.superset.dashboard_specs import ChartSpec
from support_kpis.superset.manifest import MartModel
from support_kpis.superset.metrics import has_observation_metric

STORED_TABLE = "kpi_values"
STORED_TIME_COLUMN = "period_start"
GRAIN_TIME_GRAINS: dict[str, str] = {"day": "P1D", "week": "P1W", "month": "P1M"}
GRAIN_PREFERENCE: tuple[str, ...] = ("month", "week", "day")
# Kinds whose KPIs must share one observation model (no stored fallback, or only for `by`).
SHARED_MODEL_KINDS = frozenset({"by", "leaderboard", "share", "heatmap"})


@dataclass(frozen=True)
class FixedFilter:
    column: str
    operator: str  # '==', '!=', 'IN' or 'IS NOT NULL'
    value: str | tuple[str, ...] = ""


@dataclass(frozen=True)
class Source:
    table: str
    kpis: tuple[Kpi, ...]
    time_column: str
    grain: str
    stored: bool
    filters: tuple[FixedFilter, ...] = ()

    @property
    def time_grain(self) -> str:
        return GRAIN_TIME_GRAINS[self.grain]


def attributed_date_column(kpi: Kpi) -> str | None:
    if not kpi.attributed_at or not kpi.attributed_at.endswith("_at"):
        return None
    return kpi.attributed_at[: -len("_at")] + "_date"


def observation_home(kpi: Kpi, marts: dict[str, MartModel]) -> tuple[str, str] | None:
    """(model, date column) when the KPI can be charted from its observation rows."""
    date_column = attributed_date_column(kpi)
    model = marts.get(kpi.model)
    if not has_observation_metric(kpi) or model is None or date_column is None:
        return None
    return (model.name, date_column) if model.has_column(date_column) else None


def _declared(spec: ChartSpec, registry: Registry) -> tuple[Kpi, ...]:
    known = set(registry.ids)
    return tuple(registry.kpi(kpi_id) for kpi_id in spec.kpis if kpi_id in known)


def _stored_grain(kpis: tuple[Kpi, ...], wanted: str) -> str | None:
    for grain in (wanted, *GRAIN_PREFERENCE):
        if all(grain in kpi.grains for kpi in kpis):
            return grain
    return None


def _stored(kpis: tuple[Kpi, ...], spec: ChartSpec, marts: dict[str, MartModel]) -> Source | None:
    grain = _stored_grain(kpis, spec.grain)
    if STORED_TABLE not in marts or grain is None:
        return None
    dimension = spec.dimension if spec.kind == "by" else "all"
    if dimension is None or not all(dimension in kpi.dimensions for kpi in kpis):
        return None
    filters = (
        FixedFilter("kpi_id", "IN", tuple(kpi.id for kpi in kpis)),
        FixedFilter("grain", "==", grain),
        FixedFilter("dimension", "==", dimension),
    )
    return Source(STORED_TABLE, kpis, STORED_TIME_COLUMN, grain, stored=True, filters=filters)


def resolve_source(spec: ChartSpec, registry: Registry, marts: dict[str, MartModel]) -> Source | None:
    """The chart's source, or None when none of its KPIs (or its table) exists yet."""
    if spec.kind == "table":
        return None  # raw tables are not KPI charts; see charts.table_chart
    kpis = _declared(spec, registry)
    if not kpis:
        return None
    homes = [observation_home(kpi, marts) for kpi in kpis]
    first_home = homes[0]
    if spec.kind in SHARED_MODEL_KINDS:
        if first_home is None:
            return _stored(kpis, spec, marts) if spec.kind == "by" else None
        kpis = tuple(kpi for kpi, home in zip(kpis, homes, strict=True) if home == first_home)
        model = marts[first_home[0]]
        needed = spec.dimension if spec.kind != "heatmap" else "created_at"
        if needed is not None and not model.has_column(needed):
            return _stored(kpis, spec, marts) if spec.kind == "by" else None
        return _observed(model.name, kpis, first_home[1], spec.grain)
    if first_home is not None and all(home == first_home for home in homes):
        return _observed(first_home[0], kpis, first_home[1], spec.grain)
    return _stored(kpis, spec, marts)


def _observed(table: str, kpis: tuple[Kpi, ...], date_column: str, grain: str) -> Source:
    # Rows not yet in any period (e.g. tickets never resolved) would plot as a null date.
    return Source(table, kpis, date_column, grain, stored=False,
                  filters=(FixedFilter(date_column, "IS NOT NULL"),))
