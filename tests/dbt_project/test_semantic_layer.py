"""The dbt semantic layer: generated from the registry, and MetricFlow's numbers are kpi_values' numbers.

MetricFlow plans and renders every query from the semantic manifest the sample build wrote (the engine `mf query`
runs); the SQL runs on the sample warehouse through a small DuckDB client in this process, which is much faster than
one `mf` process per query. One test runs the real `mf query` command line as a user would.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from metricflow.data_table.mf_table import MetricFlowDataTable
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup
from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet

from support_kpis.kpi_registry import Kpi, load_registry
from support_kpis.semantic_layer import SEMANTIC_LAYER_FILE, entity_of, group_by_name, part_metrics, render
from support_kpis.settings import PROJECT_ROOT
from tests.warehouses import query

NO_PARAMETERS = SqlBindParameterSet()
# Counts are compared exactly; everything else to 1e-9 relative (sums of doubles run in another order).
EXACT_AGGREGATIONS = frozenset({"count", "count_distinct", "net"})
REL_TOL = 1e-9
# A value that is 0 in one and a rounding residue in the other (MRR growth of a flat month).
ABS_TOL = 1e-9


def test_semantic_layer_yaml_is_current() -> None:
    assert SEMANTIC_LAYER_FILE.read_text(encoding="utf-8") == render(load_registry()), (
        "models/semantic_layer/_semantic_layer.yml is stale: run `python -m support_kpis.semantic_layer`"
    )


def test_every_kpi_is_a_metric_or_says_why_not() -> None:
    registry = load_registry()
    text = SEMANTIC_LAYER_FILE.read_text(encoding="utf-8")
    for kpi in registry.kpis:
        declared = f"\n  - name: {kpi.id}\n" in text.split("\nmetrics:\n", 1)[1]
        assert declared == kpi.is_semantic_metric, kpi.id
        assert kpi.is_semantic_metric == (kpi.custom_because is None), kpi.id
    catalog = (PROJECT_ROOT / "docs" / "kpi-catalog.md").read_text(encoding="utf-8")
    unexpressed = catalog.split("### KPIs the semantic layer does not express", 1)[1]
    assert {kpi.id for kpi in registry.kpis if not kpi.is_semantic_metric} == {
        kpi.id for kpi in registry.kpis if f"| `{kpi.id}` |" in unexpressed
    }


# ---------------------------------------------------------------- MetricFlow against kpi_values


class DuckDbClient:
    """MetricFlow's SqlClient over one DuckDB connection (what dbt-metricflow's adapter-backed client does)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._connection = connection
        self._renderer = DuckDbSqlPlanRenderer()

    @property
    def sql_engine_type(self) -> SqlEngine:
        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return self._renderer

    def query(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS) -> MetricFlowDataTable:
        assert not sql_bind_parameter_set.param_dict
        cursor = self._connection.execute(stmt)
        columns = [column[0] for column in cursor.description or ()]
        return MetricFlowDataTable.create_from_rows(columns, cursor.fetchall())

    def execute(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS) -> None:
        self._connection.execute(stmt)

    def dry_run(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS) -> None:
        self._connection.execute(f"explain {stmt}")

    def close(self) -> None:
        self._connection.close()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


@contextmanager
def metricflow(target_dir: Path, warehouse: Path) -> Iterator[MetricFlowEngine]:
    manifest = parse_manifest_from_dbt_generated_manifest((target_dir / "semantic_manifest.json").read_text())
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield MetricFlowEngine(SemanticManifestLookup(manifest), DuckDbClient(connection))


# (period start, dimension value) -> {metric: value}
MetricRows = dict[tuple[dt.date, str | None], dict[str, Any]]


def mf_query(engine: MetricFlowEngine, metrics: Sequence[str], group_by: Sequence[str]) -> MetricRows:
    result = engine.query(MetricFlowQueryRequest.create(metric_names=list(metrics), group_by_names=list(group_by)))
    table = result.result_df
    assert table is not None
    columns = list(table.column_names)
    rows: MetricRows = {}
    for row in table.rows:
        record = dict(zip(columns, row, strict=True))
        period = record.pop(group_by[0])
        period = period.date() if isinstance(period, dt.datetime) else period
        segment = record.pop(group_by[1]) if len(group_by) > 1 else "all"
        rows[(period, segment)] = record
    return rows


@dataclass(frozen=True)
class Stored:
    value: float | None
    numerator: float | None
    denominator: float | None


def stored_rows(warehouse: Path, grain: str) -> dict[tuple[str, str, dt.date, str], Stored]:
    rows = query(
        warehouse,
        "select kpi_id, dimension, period_start, dimension_value, value, numerator, denominator"
        " from main.kpi_values where grain = ?",
        [grain],
    )
    return {(r[0], r[1], r[2], r[3]): Stored(r[4], r[5], r[6]) for r in rows}


def _metrics(kpis: Sequence[Kpi]) -> list[str]:
    return [name for kpi in kpis for name in (kpi.id, *part_metrics(kpi).values())]


def _same(kpi: Kpi, stored: float | None, computed: Any) -> bool:
    if stored is None or computed is None:
        return stored is None and computed is None
    if kpi.aggregation in EXACT_AGGREGATIONS:
        return float(stored) == float(computed)
    return math.isclose(float(stored), float(computed), rel_tol=REL_TOL, abs_tol=ABS_TOL)


@dataclass
class Comparison:
    problems: list[str] = field(default_factory=list)
    # (kpi, grain, dimension) -> kpi_values rows compared
    compared: dict[tuple[str, str, str], int] = field(default_factory=dict)
    # why MetricFlow has a row that kpi_values has not -> how many
    extra: Counter[str] = field(default_factory=Counter)

    def compare(
        self,
        kpis: Sequence[Kpi],
        grain: str,
        dimension: str,
        computed: MetricRows,
        stored: dict[tuple[str, str, dt.date, str], Stored],
    ) -> None:
        for kpi in kpis:
            wanted = {(k[2], k[3]): row for k, row in stored.items() if k[0] == kpi.id and k[1] == dimension}
            label = f"{kpi.id} {grain} {dimension}"
            for key, row in wanted.items():
                got = computed.get(key)
                if got is None:
                    self.problems.append(f"{label} {key}: kpi_values {row.value}, MetricFlow has no row")
                    continue
                if not _same(kpi, row.value, got[kpi.id]):
                    self.problems.append(f"{label} {key}: kpi_values {row.value}, MetricFlow {got[kpi.id]}")
                parts = part_metrics(kpi)
                if kpi.aggregation == "ratio":
                    for role, stored_part in (("numerator", row.numerator), ("denominator", row.denominator)):
                        if not _same(kpi, stored_part, got[parts[role]]):
                            self.problems.append(
                                f"{label} {key} {role}: kpi_values {stored_part}, MetricFlow {got[parts[role]]}"
                            )
            self.compared[(kpi.id, grain, dimension)] = len(wanted)
            for key, got in computed.items():
                if key in wanted:
                    continue
                value = got[kpi.id]
                if key[1] is None:
                    self.extra["a null dimension value (kpi_values leaves it out)"] += 1
                elif value is None:
                    self.extra["null: no observation of the KPI in the group"] += 1
                elif value == 0 and kpi.aggregation in EXACT_AGGREGATIONS:
                    self.extra["0: no observation of the KPI in the group"] += 1
                else:
                    self.problems.append(f"{label} {key}: MetricFlow {value}, kpi_values has no row")


def test_metricflow_returns_the_numbers_of_kpi_values(sample_warehouse: Path, session_dir: Path) -> None:
    """Every KPI MetricFlow expresses, by month in total and by each of its dimensions (by day and week in total)."""
    registry = load_registry()
    kpis = [kpi for kpi in registry.kpis if kpi.is_semantic_metric]
    comparison = Comparison()
    with metricflow(session_dir / "sample-target", sample_warehouse) as engine:
        for grain in ("day", "week", "month"):
            stored = stored_rows(sample_warehouse, grain)
            in_grain = [kpi for kpi in kpis if grain in kpi.grains]
            # All KPIs in one query: MetricFlow joins them on metric_time.
            computed = mf_query(engine, _metrics(in_grain), [f"metric_time__{grain}"])
            comparison.compare(in_grain, grain, "all", computed, stored)
            if grain != "month":
                continue
            # By dimension: one query per model and dimension, with every KPI of the model that has it.
            by_entity: dict[tuple[str, str], list[Kpi]] = {}
            for kpi in in_grain:
                for dimension in kpi.dimensions[1:]:
                    by_entity.setdefault((entity_of(kpi).name, dimension), []).append(kpi)
            for (_, dimension), group in by_entity.items():
                computed = mf_query(engine, _metrics(group), ["metric_time__month", group_by_name(group[0], dimension)])
                comparison.compare(group, grain, dimension, computed, stored)

    assert not comparison.problems, f"{len(comparison.problems)} differences:\n" + "\n".join(comparison.problems[:50])
    # Not vacuous: every KPI, at month grain, in total and by each of its dimensions, had kpi_values rows to match.
    empty = [
        f"{kpi.id} by {dimension}"
        for kpi in kpis
        for dimension in kpi.dimensions
        if not comparison.compared.get((kpi.id, "month", dimension))
    ]
    assert not empty, f"nothing compared for {empty}"
    print(f"compared {sum(comparison.compared.values())} kpi_values rows; MetricFlow rows beyond: {comparison.extra}")


def test_the_mf_command_line_gives_kpi_values_months(sample_warehouse: Path, session_dir: Path, tmp_path: Path) -> None:
    """`mf query` as the docs show it: run in a dbt project whose target/ holds the semantic manifest."""
    project = tmp_path / "project"
    (project / "target").mkdir(parents=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy2(PROJECT_ROOT / name, project / name)
    shutil.copy2(
        session_dir / "sample-target" / "semantic_manifest.json", project / "target" / "semantic_manifest.json"
    )
    metrics = ["tickets_created", "first_response_time_p90_minutes", "reopen_rate_pct", "nps"]
    out = tmp_path / "months.csv"
    env = dict(os.environ)
    env |= {"SUPPORT_KPIS_DUCKDB": str(sample_warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    mf = Path(sys.executable).with_name("mf")
    command = [str(mf), "query", "--metrics", ",".join(metrics), "--group-by", "metric_time__month", "--csv", str(out)]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0 and out.exists(), result.stdout + result.stderr

    registry = load_registry()
    stored = stored_rows(sample_warehouse, "month")
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    months = set()
    for row in rows:
        if not row["metric_time__month"]:
            # Rows without a date of the KPI's (tickets not yet solved, for reopen_rate_pct) group as a null
            # month, with no observation in it.
            assert all(row[kpi_id] in ("", "0") for kpi_id in metrics), row
            continue
        month = dt.datetime.fromisoformat(row["metric_time__month"]).date()
        months.add(month)
        for kpi_id in metrics:
            wanted = stored.get((kpi_id, "all", month, "all"))
            got = row[kpi_id]
            assert wanted is not None, (kpi_id, month)
            assert _same(registry.kpi(kpi_id), wanted.value, float(got) if got else None), (kpi_id, month, got)
    assert months == {k[2] for k in stored if k[0] == "tickets_created" and k[1] == "all"}
