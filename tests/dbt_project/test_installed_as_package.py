"""support-kpis installed as a dbt package: a user's own dbt project lists it in packages.yml, points var raw_schema
at the schema holding their helpdesk tables, and `dbt deps && dbt build` gives them the KPIs, the same numbers
the product computes from the same data."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb
import pytest

from support_kpis.settings import PROJECT_ROOT
from tests.dbt_project.dbt_projects import dbt, generated_sample, output, raw_warehouse
from tests.warehouses import build_warehouse

RAW_SCHEMA = "helpdesk_raw"

CONSUMER_PROJECT = f"""\
name: helpdesk_analytics
version: "1.0.0"
config-version: 2
profile: helpdesk_analytics

models:
  helpdesk_analytics:
    +materialized: view

vars:
  support_kpis:
    raw_schema: {RAW_SCHEMA}
"""

CONSUMER_PROFILES = """\
helpdesk_analytics:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{warehouse}"
      threads: 2
"""

# The user's own model on top of a public model of the package.
MONTHLY_KPIS = """\
select kpi_id, period_start, value
from {{ ref('support_kpis', 'kpi_values') }}
where grain = 'month' and dimension = 'all'
"""


def _copy_raw_schema(source: Path, warehouse: Path) -> None:
    """The loader writes schema `raw`; the user's tables live in a schema of their own choosing."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"attach '{source}' as loaded (read_only)")
        con.execute(f"create schema {RAW_SCHEMA}")
        tables = con.execute(
            "select table_name from information_schema.tables where table_catalog = 'loaded' and table_schema = 'raw'"
        ).fetchall()
        for (table,) in tables:
            con.execute(f'create table {RAW_SCHEMA}."{table}" as select * from loaded.raw."{table}"')


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_sample(tmp_path_factory.mktemp("package-sample") / "data", tickets=300, seed=13)


@pytest.fixture(scope="module")
def consumer(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's dbt project with support-kpis as a `local:` package, after `dbt deps` (offline) and `dbt build`."""
    project = tmp_path_factory.mktemp("helpdesk_analytics")
    warehouse = project / "analytics.duckdb"
    (project / "dbt_project.yml").write_text(CONSUMER_PROJECT, encoding="utf-8")
    (project / "profiles.yml").write_text(CONSUMER_PROFILES.format(warehouse=warehouse), encoding="utf-8")
    (project / "packages.yml").write_text(f"packages:\n  - local: {PROJECT_ROOT}\n", encoding="utf-8")
    (project / "models").mkdir()
    (project / "models" / "monthly_kpis.sql").write_text(MONTHLY_KPIS, encoding="utf-8")
    _copy_raw_schema(raw_warehouse(sample, project / "loaded.duckdb"), warehouse)

    for command in (("deps",), ("build",)):
        result = dbt(project, *command)
        assert result.returncode == 0, output(result)[-5000:]
    return project


KPI_VALUES = (
    "select kpi_id, grain, period_start, dimension, dimension_value, value, numerator, denominator, sample_size "
    "from {catalog}.main.kpi_values"
)
Row = tuple[Any, ...]


def _kpi_values(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[Row, Row]:
    """kpi_values by its key (kpi_id, grain, period_start, dimension, dimension_value)."""
    return {row[:5]: row[5:] for row in con.execute(KPI_VALUES.format(catalog=catalog)).fetchall()}


def _same(ours: Row, theirs: Row) -> bool:
    """Equal sample sizes, and doubles equal up to the order DuckDB's parallel aggregation summed them in (two
    builds of the product itself differ in the last bits too)."""
    *doubles, sample_size = ours
    *their_doubles, their_sample_size = theirs
    return sample_size == their_sample_size and all(
        (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))
        for a, b in zip(doubles, their_doubles, strict=True)
    )


@pytest.mark.slow
def test_the_consumer_gets_the_products_kpi_values(consumer: Path, sample: Path, tmp_path: Path) -> None:
    product = build_warehouse(sample, tmp_path, name="product")
    with duckdb.connect(str(consumer / "analytics.duckdb"), read_only=True) as con:
        con.execute(f"attach '{product}' as product (read_only)")
        ours, theirs = _kpi_values(con, "analytics"), _kpi_values(con, "product")
        (own_model_rows,) = con.execute("select count(*) from main.monthly_kpis").fetchone() or (0,)
    assert len(ours) > 1000
    assert sorted(set(ours) - set(theirs)) == [] and sorted(set(theirs) - set(ours)) == []
    assert [key for key in ours if not _same(ours[key], theirs[key])] == []
    assert own_model_rows > 0


@pytest.mark.slow
def test_the_package_follows_the_consumers_schemas_and_keeps_out_of_its_workflow(consumer: Path) -> None:
    with duckdb.connect(str(consumer / "analytics.duckdb"), read_only=True) as con:
        schemas = {
            schema: {
                name
                for (name,) in con.execute(
                    "select table_name from information_schema.tables where table_schema = ?", [schema]
                ).fetchall()
            }
            for (schema,) in con.execute("select distinct table_schema from information_schema.tables").fetchall()
        }
    # The package's custom schemas take dbt's default names (<target schema>_<custom>: the consumer has no
    # generate_schema_name of its own), not the product's plain ones; no run log (ops.dbt_runs): publishing is
    # the product's workflow, not the consumer's. The public models land in the consumer's target schema.
    assert {"main_staging", "main_intermediate", "main_config"} <= set(schemas)
    assert not set(schemas) & {"staging", "intermediate", "config", "ops"}
    assert {"kpi_values", "kpi_catalog", "kpi_scorecard", "agent_leaderboard", "fct_tickets", "monthly_kpis"} <= (
        schemas["main"]
    )
    assert "stg_tickets" in schemas["main_staging"] and "sla_policies" in schemas["main_config"]  # seeds too


@pytest.mark.slow
def test_the_consumer_can_ref_only_the_public_models(consumer: Path) -> None:
    private_ref = consumer / "models" / "peeking.sql"
    private_ref.write_text("select * from {{ ref('support_kpis', 'stg_tickets') }}\n", encoding="utf-8")
    try:
        result = dbt(consumer, "parse")
    finally:
        private_ref.unlink()
    assert result.returncode != 0
    assert "stg_tickets" in output(result) and "protected" in output(result), output(result)[-3000:]


@pytest.mark.slow
def test_the_consumers_own_generate_schema_name_places_the_package_too(consumer: Path, tmp_path: Path) -> None:
    macro = consumer / "macros" / "generate_schema_name.sql"
    macro.parent.mkdir(exist_ok=True)
    macro.write_text(
        "{% macro generate_schema_name(custom_schema_name, node) -%}\n"
        "    {{ 'analytics' if custom_schema_name is none else 'analytics_' ~ custom_schema_name }}\n"
        "{%- endmacro %}\n",
        encoding="utf-8",
    )
    try:
        result = dbt(consumer, "parse", target_dir=tmp_path / "target")
    finally:
        macro.unlink()
    assert result.returncode == 0, output(result)[-3000:]
    nodes = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    schemas = {node["name"]: node["schema"] for node in nodes.values() if node["resource_type"] in ("model", "seed")}
    assert schemas["stg_tickets"] == "analytics_staging" and schemas["sla_policies"] == "analytics_config"
    assert schemas["kpi_values"] == schemas["monthly_kpis"] == "analytics"
