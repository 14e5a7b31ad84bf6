"""`support-kpis load DIR --append --target postgres`: the loader pulls Postgres's raw and quarantine tables into its
staging file, appends the batch there and ships the result back, so Postgres must end up holding what the DuckDB
warehouse holds after the same loads, load times included, and the pull must carry every value over unchanged.
"""

from __future__ import annotations

import csv
import subprocess
from datetime import date, datetime
from pathlib import Path
from random import Random
from typing import Any

import duckdb
import pytest

from support_kpis.loading import load_folder
from support_kpis.targets.postgres import Connection, connect, ship
from support_kpis.targets.postgres_pull import pull
from tests.engines.cli_runs import cli_result, new_database, postgres_environment, run_cli
from tests.incremental.batches import generate_tables, split_into_batches

SCHEMAS = ("raw", "quarantine")
# The loader's DuckDB types as Postgres's information_schema names them once shipped.
SHIPPED_TYPES = {
    "VARCHAR": "text",
    "TIMESTAMP": "timestamp without time zone",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "DATE": "date",
    "DOUBLE": "double precision",
    "BOOLEAN": "boolean",
}
# Columns holding a batch's load time: equal within a warehouse, different between two warehouses' loads.
LOAD_TIMES = ("_loaded_at", "loaded_at")

Table = tuple[list[str], list[tuple[Any, ...]]]  # column names, rows


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A base load and the batches after it (one with old events only, one empty); every batch bringing tickets
    brings one the loader quarantines."""
    work = tmp_path_factory.mktemp("append-postgres")
    folders = split_into_batches(generate_tables(work / "generated"), Random(13), 2, work / "batches")
    for number, folder in enumerate(folders):
        tickets = folder / "tickets.csv"
        if tickets.exists() and len(tickets.read_text(encoding="utf-8").splitlines()) > 1:
            _add_unreadable_ticket(tickets, f"T-BAD-{number}")
    return folders


@pytest.fixture(scope="module")
def appended(folders: list[Path], postgres_server: Connection, tmp_path_factory: pytest.TempPathFactory) -> Connection:
    """The base loaded into Postgres, then each batch appended there with the CLI."""
    connection = new_database(postgres_server, "append_on_postgres")
    work = tmp_path_factory.mktemp("append-postgres-cli")
    environment = postgres_environment(connection)
    run_cli(["load", str(folders[0]), "--target", "postgres"], environment, work)
    base_loaded_at = _load_times(connection)
    assert len(base_loaded_at) == 1
    for folder in folders[1:]:
        done = run_cli(["load", str(folder), "--append", "--target", "postgres"], environment, work)
        assert "Appended batch" in done.stdout, done.stdout
        assert "Pulled" in done.stderr and "counts reconciled" in done.stderr, done.stderr
    # The base load's time survived two round trips through the staging file, to the microsecond.
    assert _load_times(connection)[0] == base_loaded_at[0]
    return connection


def test_postgres_holds_what_duckdb_holds_after_the_same_appends(
    folders: list[Path], appended: Connection, tmp_path: Path
) -> None:
    local = tmp_path / "local.duckdb"
    load_folder(folders[0], local)
    for folder in folders[1:]:
        load_folder(folder, local, append=True)
    expected, types = _duckdb_tables(local)
    actual = _postgres_tables(appended)
    assert sorted(actual) == sorted(expected)
    assert _postgres_types(appended) == {t: [(n, SHIPPED_TYPES[k]) for n, k in c] for t, c in types.items()}
    # Each side's load times, numbered in load order: every `_loaded_at` must be one of its warehouse's batches.
    local_batches, postgres_batches = _duckdb_load_times(local), _load_times(appended)
    assert len(local_batches) == len(postgres_batches) == len(folders)
    problems = []
    for name in sorted(expected):
        want = _numbered(expected[name], local_batches)
        got = _numbered(actual[name], postgres_batches)
        if got != want:
            problems.append(f"{name}: {_first_difference(want, got)}")
    assert not problems, "\n".join(problems)
    assert any(rows for name, (_, rows) in expected.items() if name.startswith("quarantine.")), "nothing quarantined"


def test_a_batch_appended_twice_leaves_postgres_untouched(
    folders: list[Path], appended: Connection, tmp_path: Path
) -> None:
    before = _snapshot(appended)
    environment = postgres_environment(appended)
    again = run_cli(["load", str(folders[-1]), "--append", "--target", "postgres"], environment, tmp_path)
    assert "already loaded" in again.stdout and "Appended" not in again.stdout, again.stdout
    assert "Shipped" not in again.stderr, again.stderr
    # Same rows, and the same tables: nothing was dropped and shipped again.
    assert _snapshot(appended) == before


def test_a_batch_that_cannot_be_read_leaves_postgres_as_it_was(appended: Connection, tmp_path: Path) -> None:
    from tests.loading.test_load import EVENTS_HEADER, write

    broken = tmp_path / "broken"
    write(broken, "ticket_events.csv", EVENTS_HEADER + '\nE9,T2,2026-03-01T09:00:00Z,message,customer,,,,,,,,"oops\n')
    before = _snapshot(appended)
    result = _cli(["load", str(broken), "--append", "--target", "postgres"], appended, tmp_path)
    assert result.returncode == 2, result.stderr
    _assert_one_error_line(result, "ticket_events.csv")
    assert _snapshot(appended) == before


def test_append_to_a_postgres_without_a_load_says_to_load_first(postgres_server: Connection, tmp_path: Path) -> None:
    empty = new_database(postgres_server, "append_nothing_loaded")
    (tmp_path / "batch").mkdir()
    result = _cli(["load", str(tmp_path / "batch"), "--append", "--target", "postgres"], empty, tmp_path)
    assert result.returncode == 2
    _assert_one_error_line(result, "without --append")
    with connect(empty) as con, con.cursor() as cur:
        cur.execute("select count(*) from information_schema.schemata where schema_name in ('raw', 'quarantine')")
        assert cur.fetchone() == (0,)


def test_append_to_spark_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "batch").mkdir()
    result = _cli(["load", str(tmp_path / "batch"), "--append", "--target", "spark"], None, tmp_path)
    assert result.returncode == 2
    _assert_one_error_line(result, "--target spark")
    assert not (tmp_path / "spark").exists()


ODD_TEXTS = ["", '""', "a,b", "line one\nline two", "tab\there", "ünïcødé ✓", "it's", "\\N", "NULL", "\r\n", None]
ODD_TIMES = [
    datetime(2026, 3, 1, 9, 0),
    datetime(2026, 3, 1, 9, 0, 0, 1),
    datetime(1999, 12, 31, 23, 59, 59, 999999),
    datetime(2026, 11, 28, 2, 7, 50, 123450),
    None,
]
ODD_BIGINTS = [9223372036854775807, -9223372036854775808, 0, None]
ODD_INTEGERS = [2147483647, -2147483648, 7, None]
ODD_DATES = [date(2026, 2, 28), date(1900, 1, 1), None]
ODD_DOUBLES = [0.1, 1e-300, 1.7976931348623157e308, 1 / 3, 123456789.123456789, -2.5, 2.0, None]
ODD_BOOLEANS = [True, False, None]


def test_the_pull_carries_every_value_over_unchanged(postgres_server: Connection, tmp_path: Path) -> None:
    """Tables holding the values a CSV round trip could bend; pulled, then shipped back, nothing may change."""
    connection = new_database(postgres_server, "append_pull_values")
    columns = {
        "t": ("text", ODD_TEXTS),
        "ts": ("timestamp", ODD_TIMES),
        "b": ("bigint", ODD_BIGINTS),
        "i": ("integer", ODD_INTEGERS),
        "d": ("date", ODD_DATES),
        "f": ("double precision", ODD_DOUBLES),
        "ok": ("boolean", ODD_BOOLEANS),
    }
    count = max(len(values) for _, values in columns.values())
    rows = [tuple(values[n % len(values)] for _, values in columns.values()) for n in range(count)]
    with connect(connection) as con, con.cursor() as cur:
        cur.execute("create schema raw")
        cur.execute("create schema quarantine")
        cur.execute("create table raw.table_inventory (table_name text, loaded_at timestamp)")
        cur.execute("insert into raw.table_inventory values ('tickets', '2026-11-28 02:07:50.123456')")
        definitions = ", ".join(f'"{name}" {kind}' for name, (kind, _) in columns.items())
        cur.execute(f'create table raw.odd ({definitions}, "Mixed Case, comma" text)')
        insert = f"insert into raw.odd values ({', '.join(['%s'] * (len(columns) + 1))})"
        for number, row in enumerate(rows):
            cur.execute(insert, (*row, "m" if number == 0 else None))
        cur.execute("create table quarantine.tickets (ticket_id text, _loaded_at timestamp, _set_aside_at timestamp)")
        cur.execute(
            "insert into quarantine.tickets values ('T1', '2026-11-27 01:00:00.000001', null), "
            "('T2', '2026-11-27 01:00:00.000001', '2026-11-28 03:00:00.999999')"
        )
        con.commit()
    before = _postgres_tables(connection)
    staged = tmp_path / "staged.duckdb"
    pulled = pull(staged, connection)
    assert {(t.schema, t.table, t.rows) for t in pulled} == {
        ("raw", "table_inventory", 1),
        ("raw", "odd", count),
        ("quarantine", "tickets", 2),
    }
    in_duckdb, _ = _duckdb_tables(staged)
    assert {name: (cols, sorted(rows, key=repr)) for name, (cols, rows) in in_duckdb.items()} == {
        name: (cols, sorted(rows, key=repr)) for name, (cols, rows) in before.items()
    }
    types_before = _postgres_types(connection)
    ship(staged, ["raw", "quarantine"], connection)
    after = _postgres_tables(connection)
    assert {name: (cols, sorted(rows, key=repr)) for name, (cols, rows) in after.items()} == {
        name: (cols, sorted(rows, key=repr)) for name, (cols, rows) in before.items()
    }
    assert _postgres_types(connection) == types_before


# --- helpers ---------------------------------------------------------------------------------------------------


def _add_unreadable_ticket(path: Path, ticket_id: str) -> None:
    """A ticket whose creation time is no time at all: the loader quarantines it."""
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    row = dict.fromkeys(header, "")
    row.update(ticket_id=ticket_id, created_at="not a time", channel="email", status="open")
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow([row[column] for column in header])


def _cli(arguments: list[str], connection: Connection | None, work: Path) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it, failing or not."""
    environment = {"SUPPORT_KPIS_SPARK_DIR": str(work / "spark")}
    if connection is not None:
        environment.update(postgres_environment(connection))
    return cli_result(arguments, environment, work)


def _assert_one_error_line(result: subprocess.CompletedProcess[str], named: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and named in errors[0], result.stderr


def _postgres_tables(connection: Connection) -> dict[str, Table]:
    tables = {}
    with connect(connection) as con, con.cursor() as cur:
        cur.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'quarantine') and table_type = 'BASE TABLE'"
        )
        for schema, table in cur.fetchall():
            cur.execute(f'select * from "{schema}"."{table}"')
            tables[f"{schema}.{table}"] = ([d[0] for d in cur.description], list(cur.fetchall()))
    return tables


def _postgres_types(connection: Connection) -> dict[str, list[tuple[str, str]]]:
    with connect(connection) as con, con.cursor() as cur:
        cur.execute(
            "select table_schema || '.' || table_name, column_name, data_type from information_schema.columns "
            "where table_schema in ('raw', 'quarantine') order by table_schema, table_name, ordinal_position"
        )
        found: dict[str, list[tuple[str, str]]] = {}
        for table, column, kind in cur.fetchall():
            found.setdefault(table, []).append((column, kind))
    return found


def _snapshot(connection: Connection) -> dict[str, Any]:
    """Every raw and quarantine table's rows (in any order) and its oid (a table shipped again gets a new one)."""
    with connect(connection) as con, con.cursor() as cur:
        cur.execute(
            "select c.oid, n.nspname || '.' || c.relname from pg_class as c join pg_namespace as n "
            "on n.oid = c.relnamespace where n.nspname in ('raw', 'quarantine') and c.relkind = 'r'"
        )
        oids = {name: oid for oid, name in cur.fetchall()}
    tables = {name: (cols, sorted(rows, key=repr)) for name, (cols, rows) in _postgres_tables(connection).items()}
    return {"oids": oids, "tables": tables}


def _duckdb_tables(warehouse: Path) -> tuple[dict[str, Table], dict[str, list[tuple[str, str]]]]:
    tables, types = {}, {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'quarantine') and table_type = 'BASE TABLE'"
        ).fetchall()
        for schema, table in names:
            cursor = con.execute(f'select * from "{schema}"."{table}"')
            tables[f"{schema}.{table}"] = ([d[0] for d in cursor.description], cursor.fetchall())
            types[f"{schema}.{table}"] = [
                (str(n), str(k))
                for n, k in con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
            ]
    return tables, types


def _load_times(connection: Connection) -> list[datetime]:
    with connect(connection) as con, con.cursor() as cur:
        cur.execute("select distinct loaded_at from raw.load_batches order by 1")
        return [row[0] for row in cur.fetchall()]


def _duckdb_load_times(warehouse: Path) -> list[datetime]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [row[0] for row in con.execute("select distinct loaded_at from raw.load_batches order by 1").fetchall()]


def _numbered(table: Table, batches: list[datetime]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The table with each load time replaced by its batch's number; a time no batch has stays, and differs."""
    columns, rows = table
    number = {loaded_at: f"batch {n}" for n, loaded_at in enumerate(batches)}
    at = [i for i, column in enumerate(columns) if column in LOAD_TIMES]
    numbered = [tuple(number.get(v, v) if i in at else v for i, v in enumerate(row)) for row in rows]
    return columns, sorted(numbered, key=repr)


def _first_difference(want: Table, got: Table) -> str:
    if want[0] != got[0]:
        return f"columns {want[0]} != {got[0]}"
    if len(want[1]) != len(got[1]):
        return f"{len(want[1])} rows expected, {len(got[1])} found"
    return next(f"{a!r} != {b!r}" for a, b in zip(want[1], got[1], strict=True) if a != b)
