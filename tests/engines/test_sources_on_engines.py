"""The source adapters on Postgres and Spark: a Zendesk account's tables and a flat export, loaded with
`--target postgres|spark` and built with the source the load recorded (no --vars), give DuckDB's KPIs (counts
exact, other numbers 1e-9 relative)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support_kpis.settings import PROJECT_ROOT
from support_kpis.targets.postgres import Connection
from tests.engines.cli_runs import new_database, postgres_environment, run_cli
from tests.engines.tables import KEYS, Rows, differences, duckdb_rows, postgres_rows, spark_rows

FRESHDESK = PROJECT_ROOT / "examples" / "flat" / "freshdesk"


@pytest.fixture(scope="module")
def zendesk_data(session_dir: Path) -> Path:
    folder = session_dir / "engines-zendesk-data"
    run_cli(
        ["generate", "--source", "zendesk", "--tickets", "600", "--seed", "5", "--out", str(folder)], {}, session_dir
    )
    return folder


def _loads(source: str, zendesk_data: Path) -> list[str]:
    if source == "zendesk":
        return ["load", str(zendesk_data), "--source", "zendesk"]
    return ["load", "--source", "flat", str(FRESHDESK)]


def _on_duckdb(load: list[str], work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    warehouse = work / "duckdb.duckdb"
    local = {"SUPPORT_KPIS_DUCKDB": str(warehouse)}
    run_cli(load, local, work)
    run_cli(["build"], local, work)
    return warehouse


def _built_with_recorded_source(build: list[str], env: dict[str, str], work: Path) -> None:
    done = run_cli(build, env, work)
    assert "source: " in done.stdout + done.stderr


# Tables a source leaves empty because it has no input for them: a flat export has no agents table.
EMPTY_FROM_SOURCE: dict[str, frozenset[str]] = {"zendesk": frozenset(), "flat": frozenset({"dim_agents"})}


def _assert_same(source: str, warehouse: Path, actual: dict[str, Rows]) -> None:
    for table in sorted(KEYS):
        expected = duckdb_rows(warehouse, table)
        assert bool(expected) != (table in EMPTY_FROM_SOURCE[source]), f"{table} on DuckDB: {len(expected)} rows"
        problems = differences(table, expected, actual[table])
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source", ["zendesk", "flat"])
def test_a_source_on_postgres_equals_duckdb(
    source: str, postgres_server: Connection, zendesk_data: Path, session_dir: Path
) -> None:
    work = session_dir / f"engines-{source}-postgres"
    load = _loads(source, zendesk_data)
    warehouse = _on_duckdb(load, work)
    connection = new_database(postgres_server, f"engines_{source}")
    env = postgres_environment(connection)
    run_cli([*load, "--target", "postgres"], env, work)
    _built_with_recorded_source(["build", "--target", "postgres"], env, work)
    _assert_same(source, warehouse, {table: postgres_rows(connection, table) for table in KEYS})


@pytest.mark.parametrize("source", ["zendesk", "flat"])
def test_a_source_on_spark_equals_duckdb(source: str, zendesk_data: Path, session_dir: Path) -> None:
    work = session_dir / f"engines-{source}-spark"
    load = _loads(source, zendesk_data)
    warehouse = _on_duckdb(load, work)
    env = {"SUPPORT_KPIS_SPARK_DIR": str(work / "spark")}
    run_cli([*load, "--target", "spark"], env, work)
    _built_with_recorded_source(["build", "--target", "spark"], env, work)
    _assert_same(source, warehouse, spark_rows(work / "spark", sorted(KEYS)))
