"""A warehouse whose contract-shaped tables someone else wrote: var raw_schema points the project at them, nothing
is loaded. Tables that are not there are absent (their KPIs unavailable), as when the loader found no file; the
KPIs equal those of the same files loaded by the loader into DuckDB."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from support_kpis.targets.postgres import Connection, connect, ship
from tests.engines.cli_runs import new_database, postgres_environment, run_cli
from tests.engines.tables import KEYS, differences, duckdb_rows, postgres_rows
from tests.warehouses import build_warehouse

SUPPLIED = ("tickets", "ticket_events", "surveys", "agents", "customers")


def test_raw_schema_points_at_tables_nobody_loaded(
    postgres_server: Connection, sample_data: Path, session_dir: Path
) -> None:
    work = session_dir / "existing-raw"
    subset = work / "data"
    subset.mkdir(parents=True)
    for table in SUPPLIED:
        shutil.copy(sample_data / f"{table}.csv", subset / f"{table}.csv")
    expected_warehouse = build_warehouse(subset, work, name="subset")

    # The team's own tables: the contract's columns and types, in their schema, no inventory, no quarantine.
    theirs = work / "theirs.duckdb"
    with duckdb.connect(str(theirs)) as con:
        con.execute(f"attach '{expected_warehouse}' as loaded (read_only)")
        con.execute("create schema helpdesk")
        for table in SUPPLIED:
            con.execute(f"create table helpdesk.{table} as select * from loaded.raw.{table}")
    connection = new_database(postgres_server, "existing_raw")
    ship(theirs, ["helpdesk"], connection)
    with connect(connection) as con, con.cursor() as cur:
        cur.execute("select table_schema, table_name from information_schema.tables where table_schema = 'helpdesk'")
        assert {t for _, t in cur.fetchall()} == set(SUPPLIED)

    run_cli(
        ["build", "--target", "postgres", "--vars", json.dumps({"raw_schema": "helpdesk"})],
        postgres_environment(connection),
        work,
    )
    for table in sorted(KEYS):
        problems = differences(table, duckdb_rows(expected_warehouse, table), postgres_rows(connection, table))
        assert not problems, "\n".join(problems)
    catalog = postgres_rows(connection, "kpi_catalog")
    unavailable = {key[0] for key, row in catalog.items() if not row["is_available"]}
    # No costs, self-service sessions or revenue were supplied: those KPIs are unavailable, not zero.
    assert {"cost_per_ticket", "self_service_sessions", "mrr"} <= unavailable
    assert "tickets_created" not in unavailable
