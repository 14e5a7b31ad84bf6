"""Pulling the loader's schemas out of Postgres into the staging DuckDB file, for `load --append --target postgres`.

The append itself is the DuckDB loader's (loading/appending.py): it runs on a staging file that holds exactly what
Postgres holds in raw and quarantine, and the result is shipped back as every load ships (targets/postgres.ship,
one transaction). So every table is copied with the same column types and the same values: `_loaded_at` above
all, which the incremental dbt models key on, and `_set_aside_at`, which the validation gate wrote in Postgres.

Each table is streamed: Postgres writes it with COPY TO STDOUT into a CSV file beside the staging file, and DuckDB
reads that file with the column types fixed (no sniffing), so memory does not grow with the tables. All tables
are read in one repeatable-read transaction: one snapshot, whatever else writes meanwhile.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb

from support_kpis.errors import UserError
from support_kpis.loading.sql import ident, literal, qualified
from support_kpis.loading.warehouse import LOAD_MEMORY_LIMIT_ENV, load_memory_limit
from support_kpis.settings import QUARANTINE_SCHEMA, RAW_SCHEMA, TABLE_INVENTORY
from support_kpis.targets.postgres import DUCKDB_TYPES, Connection, connect, first_line
from support_kpis.targets.shipping import ShippedTable

PULLED_SCHEMAS = (RAW_SCHEMA, QUARANTINE_SCHEMA)


# Output settings the CSV must not depend on: ISO dates and timestamps (what DuckDB parses), doubles written
# exactly (shortest round-trip text on Postgres 12+, 17 significant digits before); the client encoding is UTF-8.
_SESSION = ("SET LOCAL DateStyle = 'ISO, YMD'", "SET LOCAL extra_float_digits = 3")


class NothingLoaded(UserError):
    """Postgres holds no load of the loader's to append to."""


def pull(staged_file: Path, connection: Connection | None = None) -> list[ShippedTable]:
    """Copy every table of raw and quarantine from Postgres into `staged_file` (a new DuckDB file), as it is there.

    Raises NothingLoaded when Postgres has no raw.table_inventory (no load was shipped there yet).
    """
    import psycopg2

    connection = connection or Connection.from_environment()
    try:
        return _pull(staged_file, connection)
    except psycopg2.Error as exc:
        where = connection.describe()
        raise UserError(f"cannot read raw and quarantine from Postgres at {where}: {first_line(exc)}") from None


def _pull(staged_file: Path, connection: Connection) -> list[ShippedTable]:
    with connect(connection) as pg:
        pg.set_client_encoding("UTF8")
        # One snapshot for every table, and nothing written: the shipment back is the only write.
        pg.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with pg.cursor() as cur:
            for setting in _SESSION:
                cur.execute(setting)
            tables = _tables(cur)
            if (RAW_SCHEMA, TABLE_INVENTORY) not in tables:
                raise NothingLoaded(
                    f"Postgres at {connection.describe()} holds no load yet (no {RAW_SCHEMA}.{TABLE_INVENTORY}): "
                    "load the first batch without --append (`support-kpis load DIR --target postgres`)"
                )
            with (
                duckdb.connect(str(staged_file)) as staged,
                tempfile.TemporaryDirectory(prefix=".pull-", dir=staged_file.parent) as scratch,
            ):
                _configure(staged, staged_file)
                for schema in sorted({s for s, _ in tables}):
                    staged.execute(f"CREATE SCHEMA IF NOT EXISTS {ident(schema)}")
                pulled = [
                    _pull_table(cur, staged, schema, table, Path(scratch) / f"{number}.csv")
                    for number, (schema, table) in enumerate(tables)
                ]
        pg.rollback()  # read only: ends the snapshot
    return pulled


def _tables(cur: Any) -> list[tuple[str, str]]:
    cur.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_schema::text = ANY(%s) AND table_type = 'BASE TABLE' ORDER BY 1, 2",
        [list(PULLED_SCHEMAS)],
    )
    return [(str(schema), str(table)) for schema, table in cur.fetchall()]


def _configure(staged: duckdb.DuckDBPyConnection, staged_file: Path) -> None:
    """As the loader's staging connection: bounded memory, spilling beside the file, rows kept in file order."""
    staged.execute("SET enable_progress_bar = false")
    staged.execute("SET preserve_insertion_order = true")
    staged.execute(f"SET temp_directory = {literal(str(staged_file) + '.tmp')}")
    try:
        staged.execute(f"SET memory_limit = {literal(load_memory_limit())}")
    except duckdb.Error:
        raise UserError(
            f"{LOAD_MEMORY_LIMIT_ENV}={load_memory_limit()!r} is not a memory size DuckDB reads (e.g. 2GB)"
        ) from None


def _columns(cur: Any, schema: str, table: str) -> list[tuple[str, str]]:
    cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
        [schema, table],
    )
    columns = []
    for name, pg_type in cur.fetchall():
        duckdb_type = DUCKDB_TYPES.get(str(pg_type))
        if duckdb_type is None:
            raise UserError(
                f"{schema}.{table}.{name} is of type {pg_type} in Postgres, which the loader never writes: "
                f"--append cannot carry it over; run a full `support-kpis load DIR --target postgres`"
            )
        columns.append((str(name), duckdb_type))
    return columns


def _pull_table(cur: Any, staged: duckdb.DuckDBPyConnection, schema: str, table: str, path: Path) -> ShippedTable:
    columns = _columns(cur, schema, table)
    target = qualified(schema, table)
    definitions = ", ".join(f"{ident(name)} {kind}" for name, kind in columns)
    staged.execute(f"CREATE OR REPLACE TABLE {target} ({definitions})")
    try:
        with path.open("wb") as stream:
            # CSV writes NULL as an unquoted empty field and '' as "": the reader below keeps them apart.
            cur.copy_expert(f"COPY {target} TO STDOUT WITH (FORMAT csv)", stream)
    except OSError as exc:
        raise UserError(f"cannot pull {schema}.{table} from Postgres into {path}: {exc.strerror}") from None
    # Positional names: a column's own name (a file's unknown column, kept as text) never reaches DuckDB's options.
    types = ", ".join(f"{literal(f'c{i}')}: {literal(kind)}" for i, (_, kind) in enumerate(columns))
    try:
        staged.execute(
            f"INSERT INTO {target} SELECT * FROM read_csv({literal(str(path))}, columns = {{{types}}}, "
            "header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', new_line = '\\n', "
            "nullstr = '', allow_quoted_nulls = false)"
        )
    except duckdb.Error as exc:
        raise UserError(f"cannot read {schema}.{table} as pulled from Postgres: {first_line(exc)}") from None
    path.unlink()
    cur.execute(f"SELECT count(*) FROM {target}")
    got = cur.fetchone()
    expected = staged.execute(f"SELECT count(*) FROM {target}").fetchone()
    if got is None or expected is None or int(got[0]) != int(expected[0]):
        raise UserError(f"{schema}.{table}: Postgres holds {got} rows, the staging file read {expected} of them")
    return ShippedTable(schema, table, int(expected[0]))
