"""The engines' fixtures: a throwaway Postgres 15 per test session (stopped at the end, also on failure)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from support_kpis.targets.postgres import Connection
from support_kpis.targets.throwaway_postgres import missing_binaries
from tests.engines.cli_runs import new_database, postgres_environment, run_cli
from tests.engines.postgres_server import INSTALL_HINT, throwaway_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Connection]:
    missing = missing_binaries()
    if missing:
        # Never a skip: CI must run these on a machine set up as the README says.
        pytest.fail(f"{' and '.join(missing)} not found: {INSTALL_HINT}", pytrace=False)
    with throwaway_postgres() as connection:
        yield connection


def load_and_build_in_postgres(
    server: Connection, database: str, data: Path, work: Path, dbt_vars: dict | None
) -> Connection:
    """`support-kpis load DATA --target postgres` and `build --target postgres` into a new database."""
    connection = new_database(server, database)
    env = postgres_environment(connection)
    work.mkdir(parents=True, exist_ok=True)
    loaded = run_cli(["load", str(data), "--target", "postgres"], env, work)
    assert "counts reconciled" in loaded.stdout + loaded.stderr
    build = ["build", "--target", "postgres"] + (["--vars", json.dumps(dbt_vars)] if dbt_vars else [])
    run_cli(build, env, work)
    return connection


@pytest.fixture(scope="session")
def postgres_utc(postgres_server: Connection, sample_data: Path, session_dir: Path) -> Connection:
    """The session's sample in Postgres, built with the default vars (as `sample_warehouse` is on DuckDB)."""
    return load_and_build_in_postgres(postgres_server, "engines_utc", sample_data, session_dir / "pg-utc", None)


@pytest.fixture(scope="session")
def duckdb_new_york(sample_data: Path, session_dir: Path) -> Path:
    """The session's sample on DuckDB in New York time with an as-of inside a month (daylight saving in play)."""
    from tests.kpis.test_match_reference import SHIFTED
    from tests.warehouses import build_warehouse

    return build_warehouse(sample_data, session_dir, SHIFTED, name="engines-new-york")
