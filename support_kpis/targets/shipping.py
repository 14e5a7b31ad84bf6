"""What every target's shipping shares: the staged tables to ship and what was shipped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from support_kpis.loading.sql import literal


@dataclass(frozen=True)
class ShippedTable:
    schema: str
    table: str
    rows: int


def staged_tables(staged: duckdb.DuckDBPyConnection, schemas: Sequence[str]) -> list[tuple[str, str]]:
    rows = staged.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        f"WHERE table_schema IN ({', '.join(literal(s) for s in schemas)}) AND table_type = 'BASE TABLE' "
        "ORDER BY 1, 2"
    ).fetchall()
    return [(str(s), str(t)) for s, t in rows]
