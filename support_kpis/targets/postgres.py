"""Postgres as a target: the connection (libpq's PG* variables, as dbt's `postgres` target reads them) and shipping
the loader's checked tables into it with COPY.

The loader checks and types every file in DuckDB exactly as for the embedded warehouse; shipping then copies the
resulting raw, quarantine and inventory tables in one Postgres transaction, so a failed shipment leaves the
warehouse as it was, and each table's row count is reconciled against the staged one before the commit.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb

from support_kpis.errors import UserError
from support_kpis.loading.sql import ident, literal
from support_kpis.targets.shipping import ShippedTable, staged_tables

# DuckDB column types the loader writes → Postgres types with the same values (timestamps: microseconds, no zone).
POSTGRES_TYPES = {
    "VARCHAR": "text",
    "TIMESTAMP": "timestamp",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "DATE": "date",
    "DOUBLE": "double precision",
    "BOOLEAN": "boolean",
}
# The way back, by information_schema's names: what a shipped column's Postgres type was in DuckDB.
DUCKDB_TYPES = {
    **{postgres: duckdb for duckdb, postgres in POSTGRES_TYPES.items()},
    "character varying": "VARCHAR",
    "timestamp without time zone": "TIMESTAMP",
}


@dataclass(frozen=True)
class Connection:
    host: str
    port: int
    user: str
    password: str
    dbname: str

    @classmethod
    def from_environment(cls) -> Connection:
        """The same defaults as profiles.yml's `postgres` target."""
        return cls(
            host=os.environ.get("PGHOST", "localhost"),
            port=int(os.environ.get("PGPORT", "5432")),
            user=os.environ.get("PGUSER", "postgres"),
            password=os.environ.get("PGPASSWORD", ""),
            dbname=os.environ.get("PGDATABASE", "support_kpis"),
        )

    def describe(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}"

    def sqlalchemy_uri(self) -> str:
        secret = f":{quote(self.password, safe='')}" if self.password else ""
        return f"postgresql://{quote(self.user, safe='')}{secret}@{self.host}:{self.port}/{quote(self.dbname, safe='')}"


def first_line(exc: BaseException) -> str:
    """A driver error's first line (psycopg2 appends the failing SQL and hints on later ones)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def connect(connection: Connection | None = None) -> Iterator[Any]:
    """A psycopg2 connection; a refused connection is one line naming the server and the variables to set."""
    import psycopg2

    connection = connection or Connection.from_environment()
    try:
        con = psycopg2.connect(
            host=connection.host,
            port=connection.port,
            user=connection.user,
            password=connection.password or None,
            dbname=connection.dbname,
            connect_timeout=10,
        )
    except psycopg2.OperationalError as exc:
        raise UserError(
            f"cannot connect to Postgres at {connection.describe()}: {first_line(exc)} "
            "(set PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)"
        ) from None
    try:
        yield con
    finally:
        con.close()


def ship(staged_file: Path, schemas: Sequence[str], connection: Connection | None = None) -> list[ShippedTable]:
    """Replace every table of `schemas` in Postgres with the staged DuckDB file's, in one transaction."""
    with duckdb.connect(str(staged_file), read_only=True) as staged, connect(connection) as pg:
        tables = staged_tables(staged, schemas)
        shipped: list[ShippedTable] = []
        with tempfile.TemporaryDirectory(prefix="support-kpis-ship-") as scratch:
            with pg.cursor() as cur:
                for schema in sorted({s for s, _ in tables}):
                    cur.execute(f"CREATE SCHEMA IF NOT EXISTS {ident(schema)}")
                for schema, table in tables:
                    shipped.append(_ship_table(staged, cur, schema, table, Path(scratch)))
            pg.commit()
        return shipped


def _ship_table(staged: duckdb.DuckDBPyConnection, cur: Any, schema: str, table: str, scratch: Path) -> ShippedTable:
    columns = staged.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        f"WHERE table_schema = {literal(schema)} AND table_name = {literal(table)} ORDER BY ordinal_position"
    ).fetchall()
    target = f"{ident(schema)}.{ident(table)}"
    definitions = ", ".join(f"{ident(str(name))} {POSTGRES_TYPES[str(kind)]}" for name, kind in columns)
    cur.execute(f"DROP TABLE IF EXISTS {target} CASCADE")
    cur.execute(f"CREATE TABLE {target} ({definitions})")
    # A file on disk, streamed: memory does not grow with the table. CSV keeps NULL (unquoted empty) apart from ''.
    path = scratch / f"{schema}.{table}.csv"
    staged.execute(f"COPY {ident(schema)}.{ident(table)} TO {literal(str(path))} (FORMAT csv, HEADER false)")
    with path.open("r", encoding="utf-8", newline="") as stream:
        cur.copy_expert(f"COPY {target} FROM STDIN WITH (FORMAT csv)", stream)
    path.unlink()
    expected = staged.execute(f"SELECT count(*) FROM {ident(schema)}.{ident(table)}").fetchone()
    cur.execute(f"SELECT count(*) FROM {target}")
    got = cur.fetchone()
    if expected is None or got is None or int(got[0]) != int(expected[0]):
        raise UserError(f"{schema}.{table}: Postgres holds {got} rows after COPY, the load staged {expected}")
    return ShippedTable(schema, table, int(got[0]))


def loaded_source(connection: Connection | None = None) -> str:
    """The last load's source in Postgres, by the rule of support_kpis.loading.load_source: an adapter's inventory
    written by the same load as raw.table_inventory."""
    from support_kpis.loading.load_source import FLAT_LOAD_TABLE, FLAT_SCHEMA, FLAT_SOURCE
    from support_kpis.loading.registry import CONTRACT, ZENDESK

    contract = (CONTRACT.schema, CONTRACT.inventory_table)
    candidates = [
        (FLAT_SOURCE, (FLAT_SCHEMA, FLAT_LOAD_TABLE)),
        (ZENDESK.source, (ZENDESK.schema, ZENDESK.inventory_table)),
    ]
    with connect(connection) as con, con.cursor() as cur:
        cur.execute("select table_schema, table_name from information_schema.tables")
        present = {(str(s), str(t)) for s, t in cur.fetchall()}
        if contract not in present:
            return CONTRACT.source
        for source, (schema, table) in candidates:
            if (schema, table) not in present:
                continue
            cur.execute(
                f"select (select max(loaded_at) from {ident(contract[0])}.{ident(contract[1])}) "
                f"= (select max(loaded_at) from {ident(schema)}.{ident(table)})"
            )
            row = cur.fetchone()
            if row and row[0]:
                return source
    return CONTRACT.source
