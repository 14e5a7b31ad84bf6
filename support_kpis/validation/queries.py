"""Small query helpers shared by the gate's modules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[Any] = ()) -> tuple[Any, ...] | None:
    """The first row, reading the whole result: DuckDB refuses new work while a result is half-read."""
    rows = con.execute(sql, list(parameters)).fetchall()
    return rows[0] if rows else None


def fetch_int(con: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[Any] = ()) -> int:
    row = fetch_one(con, sql, parameters)
    return int(row[0] or 0) if row else 0
