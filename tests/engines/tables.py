"""The tables the engines must agree on, read into Python rows keyed by their grain."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from support_kpis.targets.postgres import Connection, connect

# Each compared mart and the columns that identify a row.
KEYS: dict[str, tuple[str, ...]] = {
    "kpi_values": ("kpi_id", "grain", "period_start", "dimension", "dimension_value"),
    "kpi_catalog": ("kpi_id",),
    "fct_tickets": ("ticket_id",),
    "kpi_scorecard": ("grain", "kpi_id"),
    "agent_leaderboard": ("leaderboard_month", "agent_id"),
    "fct_reply_cycles": ("ticket_id", "cycle_number"),
    "fct_agent_replies": ("event_id",),
    "fct_sla_breaches": ("breach_id",),
    "fct_open_backlog": ("ticket_id",),
    "dim_agents": ("agent_id",),
}
RELATIVE_TOLERANCE = 1e-9
# Values that are zero on one engine come out of floating sums as 1e-13 and the like on another.
ABSOLUTE_TOLERANCE = 1e-9

Rows = dict[tuple[Any, ...], dict[str, Any]]


def _keyed(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Rows:
    key = KEYS[table]
    keyed: Rows = {}
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        keyed[tuple(record[c] for c in key)] = record
    assert len(keyed) == len(rows), f"{table}: {key} is not unique"
    return keyed


def _duckdb_table(warehouse: Path, table: str, schema: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(f"select * from {schema}.{table}")
        return [d[0] for d in cursor.description], cursor.fetchall()


def duckdb_rows(warehouse: Path, table: str, schema: str = "main") -> Rows:
    return _keyed(table, *_duckdb_table(warehouse, table, schema))


def postgres_rows(connection: Connection, table: str, schema: str = "public") -> Rows:
    with connect(connection) as con, con.cursor() as cur:
        cur.execute(f"select * from {schema}.{table}")
        columns = [d[0] for d in cur.description]
        return _keyed(table, columns, cur.fetchall())


def spark_rows(spark_dir: Path, tables: Sequence[str], schema: str = "default") -> dict[str, Rows]:
    """The tables of the local Spark warehouse under `spark_dir`, read in one Spark session (a child process)."""
    from tests.engines.spark_tables import read_spark_tables

    read = read_spark_tables(spark_dir, [f"{schema}.{table}" for table in tables])
    return {table: _keyed(table, *read[f"{schema}.{table}"]) for table in tables}


def _by_position(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Rows:
    """A table without a declared grain (a staging view keeps its input's duplicates) as its rows in a canonical
    order, keyed by position: two engines' copies agree when their sorted rows do."""

    def order(row: Sequence[Any]) -> tuple[tuple[bool, str, Any], ...]:
        return tuple((value is not None, type(value).__name__, value if value is not None else 0) for value in row)

    return {(index,): dict(zip(columns, row, strict=True)) for index, row in enumerate(sorted(rows, key=order))}


def duckdb_relations(warehouse: Path, schema: str) -> list[str]:
    """The tables and views of one schema of a DuckDB warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by table_name", [schema]
        ).fetchall()
    return [str(name) for (name,) in found]


def unkeyed_duckdb_rows(warehouse: Path, table: str, schema: str) -> Rows:
    return _by_position(*_duckdb_table(warehouse, table, schema))


def unkeyed_spark_rows(spark_dir: Path, tables: Sequence[str], schema: str) -> dict[str, Rows]:
    from tests.engines.spark_tables import read_spark_tables

    read = read_spark_tables(spark_dir, [f"{schema}.{table}" for table in tables])
    return {table: _by_position(*read[f"{schema}.{table}"]) for table in tables}


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)
    return bool(a == b)


def differences(table: str, expected: Rows, actual: Rows, *, limit: int = 30) -> list[str]:
    """Every disagreement between two engines' copies of a table, as readable lines; counts are compared exactly
    (and by type: 3 is not 3.0), other numbers to 1e-9 relative."""
    problems = [f"{table}: {len(expected)} rows on one engine, {len(actual)} on the other"]
    if len(expected) == len(actual):
        problems = []
    for key in sorted(expected.keys() - actual.keys(), key=str)[:limit]:
        problems.append(f"{table} {key}: missing")
    for key in sorted(actual.keys() - expected.keys(), key=str)[:limit]:
        problems.append(f"{table} {key}: unexpected")
    columns = set().union(*(r.keys() for r in list(expected.values())[:1]))
    other_columns = set().union(*(r.keys() for r in list(actual.values())[:1]))
    if columns != other_columns:
        problems.append(f"{table}: columns differ: {sorted(columns ^ other_columns)}")
    for key in sorted(expected.keys() & actual.keys(), key=str):
        for column in sorted(columns & other_columns):
            a, b = expected[key][column], actual[key][column]
            if not _same(a, b):
                problems.append(f"{table} {key} {column}: {a!r} != {b!r}")
        if len(problems) > limit:
            break
    return problems
