"""The source adapters on Postgres and Spark: a Zendesk account's tables and a flat export, loaded with
`--target postgres|spark` and built with the source the load recorded (no --vars), give DuckDB's results (counts
exact, other numbers 1e-9 relative).

Postgres builds everything and must give DuckDB's marts. Spark builds the staging layer and the seeds it reads, and
must give DuckDB's staged tables: an adapter is its staging models, nothing after staging knows the source (every
stg_<table> reads through macros/sources/contract_input.sql), and test_spark_matches_duckdb proves everything after
staging on Spark. A whole Spark build costs ten minutes of per-query overhead; its staging layer, one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support_kpis.dbt_runner import run_dbt
from support_kpis.settings import PROJECT_ROOT
from support_kpis.targets.postgres import Connection
from tests.engines.cli_runs import new_database, postgres_environment, run_cli
from tests.engines.tables import (
    KEYS,
    Rows,
    differences,
    duckdb_relations,
    duckdb_rows,
    postgres_rows,
    unkeyed_duckdb_rows,
    unkeyed_spark_rows,
)

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


def _staged_on_duckdb(source: str, load: list[str], work: Path) -> Path:
    """The load, then its staging layer only (the CLI publishes complete builds only, so dbt directly)."""
    work.mkdir(parents=True, exist_ok=True)
    warehouse = work / "duckdb.duckdb"
    run_cli(load, {"SUPPORT_KPIS_DUCKDB": str(warehouse)}, work)
    run_dbt(
        ["build", *STAGING], warehouse=warehouse, dbt_vars={"source": source}, target_dir=work / "target", quiet=True
    )
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


# The time each load ran: two loads, two instants.
LOAD_TIME_COLUMNS = frozenset({"loaded_at"})
STAGING = ["--select", "+staging"]


def _without_load_times(rows: Rows) -> Rows:
    return {key: {c: v for c, v in row.items() if c not in LOAD_TIME_COLUMNS} for key, row in rows.items()}


@pytest.mark.parametrize("source", ["zendesk", "flat"])
def test_a_source_staged_on_spark_equals_duckdb(source: str, zendesk_data: Path, session_dir: Path) -> None:
    work = session_dir / f"engines-{source}-spark"
    load = _loads(source, zendesk_data)
    warehouse = _staged_on_duckdb(source, load, work)
    env = {"SUPPORT_KPIS_SPARK_DIR": str(work / "spark")}
    run_cli([*load, "--target", "spark"], env, work)
    _built_with_recorded_source(["build", "--target", "spark", *STAGING], env, work)
    staged = duckdb_relations(warehouse, "staging")
    # The adapter's own models and every contract table it feeds.
    assert any(name.startswith(f"stg_{source}__") for name in staged), staged
    assert {"stg_tickets", "stg_ticket_events", "stg_surveys"} <= set(staged), staged
    actual = unkeyed_spark_rows(work / "spark", staged, schema="staging")
    problems: list[str] = []
    for name in staged:
        expected = unkeyed_duckdb_rows(warehouse, name, schema="staging")
        assert expected or name != "stg_tickets", f"{name} on DuckDB has no rows"
        problems += differences(name, _without_load_times(expected), _without_load_times(actual[name]), limit=5)
    assert not problems, "\n".join(problems)
