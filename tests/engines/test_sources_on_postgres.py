"""The source adapters on Postgres: a Zendesk account's tables and a flat export, loaded with `--target postgres`
and built with the source the load recorded, give DuckDB's KPIs (counts exact, other numbers 1e-9 relative)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support_kpis.settings import PROJECT_ROOT
from support_kpis.targets.postgres import Connection
from tests.engines.cli_runs import new_database, postgres_environment, run_cli
from tests.engines.tables import KEYS, differences, duckdb_rows, postgres_rows


@pytest.fixture(scope="module")
def zendesk_data(session_dir: Path) -> Path:
    folder = session_dir / "engines-zendesk-data"
    run_cli(
        ["generate", "--source", "zendesk", "--tickets", "1000", "--seed", "5", "--out", str(folder)], {}, session_dir
    )
    return folder


def _both(server: Connection, name: str, load: list[str], work: Path) -> tuple[Path, Connection]:
    work.mkdir(parents=True, exist_ok=True)
    warehouse = work / "duckdb.duckdb"
    local = {"SUPPORT_KPIS_DUCKDB": str(warehouse)}
    run_cli([*load], local, work)
    run_cli(["build"], local, work)
    connection = new_database(server, name)
    env = postgres_environment(connection)
    run_cli([*load, "--target", "postgres"], env, work)
    # No --vars: the build must take the source the Postgres load recorded.
    built = run_cli(["build", "--target", "postgres"], env, work)
    assert "source: " in built.stdout + built.stderr
    return warehouse, connection


def _assert_same(warehouse: Path, connection: Connection) -> None:
    for table in sorted(KEYS):
        expected = duckdb_rows(warehouse, table)
        assert expected, f"{table} is empty on DuckDB"
        problems = differences(table, expected, postgres_rows(connection, table))
        assert not problems, "\n".join(problems)


def test_zendesk_on_postgres_equals_duckdb(postgres_server: Connection, zendesk_data: Path, session_dir: Path) -> None:
    load = ["load", str(zendesk_data), "--source", "zendesk"]
    _assert_same(*_both(postgres_server, "engines_zendesk", load, session_dir / "engines-zendesk"))


def test_a_flat_export_on_postgres_equals_duckdb(postgres_server: Connection, session_dir: Path) -> None:
    load = ["load", "--source", "flat", str(PROJECT_ROOT / "examples" / "flat" / "freshdesk")]
    _assert_same(*_both(postgres_server, "engines_flat", load, session_dir / "engines-flat"))
