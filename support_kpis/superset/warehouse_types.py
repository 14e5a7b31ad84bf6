"""Column types read from a DuckDB warehouse, for a bundle generated next to the data it will chart.

The committed bundle is generated from the dbt manifest alone (declared
`data_type`, else the naming convention); `serve` and `import` of the demo
warehouse read the exact types from the file when it exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from support_kpis.errors import UserError

ColumnTypes = dict[str, dict[str, str]]


def duckdb_column_types(warehouse: Path, schema: str, tables: Iterable[str]) -> ColumnTypes:
    """{table: {column: type}} for the given tables (read-only: dbt may hold the file too)."""
    wanted = list(tables)
    if not wanted:
        return {}
    placeholders = ", ".join("?" for _ in wanted)
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            rows = con.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                f"where table_schema = ? and table_name in ({placeholders})",
                [schema, *wanted],
            ).fetchall()
    except duckdb.Error as exc:
        raise UserError(f"{warehouse}: cannot read column types ({exc})") from None
    types: ColumnTypes = {}
    for table, column, data_type in rows:
        types.setdefault(table, {})[column] = data_type
    return types
