"""`support-kpis validate --target postgres` after `load --append --target postgres`: the gate names a row by batch
and file row, as on DuckDB, so it sets aside the same rows and leaves raw and quarantine as DuckDB's gate does.

The batches are tests/validation/test_validate_appended.py's: file rows of the later batches repeat the base's row
numbers, and the last batch re-sends a ticket so that old events of the base break a rule. The expected rows are
worked out from how the batches were written (that test's sets), then Postgres must equal DuckDB row for row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from support_kpis.loading import load_folder
from support_kpis.targets.postgres import Connection, connect
from support_kpis.validation.gate import validate_warehouse
from support_kpis.validation.postgres_gate import validate_postgres
from tests.engines.cli_runs import new_database, postgres_environment, run_cli
from tests.engines.test_append_on_postgres import (
    Table,
    _duckdb_load_times,
    _duckdb_tables,
    _first_difference,
    _load_times,
    _numbered,
    _postgres_tables,
)
from tests.validation.bad_inputs.base import BASE
from tests.validation.test_validate_appended import (
    BASE_SET_ASIDE,
    BATCH_2_EVENTS,
    BATCH_2_SET_ASIDE,
    batches,
    file_row,
    options,
)

SET_ASIDE_AT = "_set_aside_at"


def test_postgres_sets_aside_what_duckdb_sets_aside_after_the_same_appends(
    postgres_server: Connection, tmp_path: Path
) -> None:
    folders = batches(tmp_path / "data")
    connection = new_database(postgres_server, "validate_appended")
    environment = postgres_environment(connection)
    run_cli(["load", str(folders[0]), "--target", "postgres"], environment, tmp_path)
    for folder in folders[1:]:
        run_cli(["load", str(folder), "--append", "--target", "postgres"], environment, tmp_path)
    local = tmp_path / "local.duckdb"
    load_folder(folders[0], local)
    for folder in folders[1:]:
        load_folder(folder, local, append=True)
    local_batches, postgres_batches = _duckdb_load_times(local), _load_times(connection)
    assert len(local_batches) == len(postgres_batches) == 3

    validate_warehouse(local, options(tmp_path / "duckdb-report"))
    before = datetime.now(UTC).replace(tzinfo=None)
    report = validate_postgres(options(tmp_path / "postgres-report"), connection)
    after = datetime.now(UTC).replace(tzinfo=None)

    # The rows each gate set aside, by table, batch number and file row, against the batches as written.
    expected = {("ticket_events", "batch 0", file_row(BASE["ticket_events"], e)) for e in BASE_SET_ASIDE} | {
        ("ticket_events", "batch 1", file_row(BATCH_2_EVENTS, e)) for e in BATCH_2_SET_ASIDE
    }
    on_postgres = _postgres_tables(connection)
    on_duckdb, _ = _duckdb_tables(local)
    assert _set_aside(on_postgres, postgres_batches) == expected
    assert _set_aside(on_duckdb, local_batches) == expected
    # Row numbers collide across batches: the base's E5 and E6 share file rows with set-aside rows of batch 2.
    assert {row for _, _, row in expected} & {file_row(BASE["ticket_events"], e) for e in ("E5", "E6")}
    assert all(before <= at <= after for at in _set_aside_times(on_postgres))
    assert report.rows_set_aside_now == len(expected) and report.reconciles

    # Raw and quarantine row for row, load times by batch number, `_set_aside_at` by whether it is set.
    assert sorted(on_postgres) == sorted(on_duckdb)
    problems = []
    for name in sorted(on_duckdb):
        want = _numbered(_set_aside_as_flag(on_duckdb[name]), local_batches)
        got = _numbered(_set_aside_as_flag(on_postgres[name]), postgres_batches)
        if got != want:
            problems.append(f"{name}: {_first_difference(want, got)}")
    assert not problems, "\n".join(problems)

    # The report names the batch of each example, as DuckDB's does: its file row alone is ambiguous here.
    label = [f"(batch loaded {t:%Y-%m-%d %H:%M:%S.%f} UTC)" for t in postgres_batches]
    events_lines = [line for line in report.summary().splitlines() if "ticket_events.csv row" in line]
    assert events_lines and all(label[0] in line or label[1] in line for line in events_lines)
    orphan = f"ticket_events.csv row {file_row(BATCH_2_EVENTS, 'E20')} {label[1]}: ticket_id 'T404'"
    assert orphan in report.summary()

    # A second run finds nothing more to set aside.
    again = validate_postgres(options(tmp_path / "postgres-again"), connection)
    assert again.rows_set_aside_now == 0
    with connect(connection) as con, con.cursor() as cur:
        cur.execute("select count(*) from quarantine.ticket_events where _set_aside_at is not null")
        assert cur.fetchone() == (len(expected),)


def _set_aside(tables: dict[str, Table], batches: list[datetime]) -> set[tuple[str, Any, int]]:
    """(table, batch number, file row) of every quarantine row the gate set aside (a time no batch has stays)."""
    found = set()
    number = {loaded_at: f"batch {n}" for n, loaded_at in enumerate(batches)}
    for name, (columns, rows) in tables.items():
        if not name.startswith("quarantine.") or SET_ASIDE_AT not in columns:
            continue
        at, loaded, row = (columns.index(c) for c in (SET_ASIDE_AT, "_loaded_at", "_source_row"))
        found |= {
            (name.removeprefix("quarantine."), number.get(r[loaded], r[loaded]), r[row])
            for r in rows
            if r[at] is not None
        }
    return found


def _set_aside_times(tables: dict[str, Table]) -> list[datetime]:
    times = []
    for name, (columns, rows) in tables.items():
        if name.startswith("quarantine.") and SET_ASIDE_AT in columns:
            times += [r[columns.index(SET_ASIDE_AT)] for r in rows if r[columns.index(SET_ASIDE_AT)] is not None]
    return times


def _set_aside_as_flag(table: Table) -> Table:
    """The table with `_set_aside_at` reduced to whether it is set: the two gates ran at different times."""
    columns, rows = table
    if SET_ASIDE_AT not in columns:
        return table
    at = columns.index(SET_ASIDE_AT)
    flagged: list[tuple[Any, ...]] = [
        tuple(("set" if v is not None else None) if i == at else v for i, v in enumerate(r)) for r in rows
    ]
    return columns, flagged
