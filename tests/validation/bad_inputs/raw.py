"""Writing rows straight into raw.<table>, as a tool other than the loader could, keeping the inventory balanced."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN, TABLES
from support_kpis.loading.sql import ident
from support_kpis.loading.type_rules import FALSE_SPELLINGS, TRUE_SPELLINGS, column_rule

from .base import RawRow

_SQL = {
    "timestamp": "timezone('UTC', CAST(? AS TIMESTAMPTZ))",
    "date": "CAST(? AS DATE)",
    "month": "CAST(? AS DATE)",
    "integer": "CAST(? AS BIGINT)",
    "number": "CAST(? AS DOUBLE)",
    "boolean": "CAST(? AS BOOLEAN)",
}
WRITTEN_BY = "written into raw"  # the _source_file of such rows


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[RawRow]) -> list[int]:
    """Append `rows` to raw.<table> after its last _source_row; return the rows' _source_row numbers."""
    contract = TABLES[table]
    # After every row of the table's file, set aside or not: _source_row stays unique across raw and quarantine.
    last = con.execute(
        f"SELECT coalesce(max({SOURCE_ROW_COLUMN}), 1) FROM (SELECT {SOURCE_ROW_COLUMN} FROM raw.{ident(table)} "
        f"UNION ALL SELECT {SOURCE_ROW_COLUMN} FROM quarantine.{ident(table)})"
    ).fetchall()[0][0]
    names = [*contract.column_names, SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN]
    placeholders = [_SQL.get(column_rule(contract, c).kind, "?") for c in contract.columns] + ["?", "?"]
    numbers = []
    for offset, row in enumerate(rows, start=1):
        values = [_value(contract.column(c).type, row.get(c)) for c in contract.column_names]
        con.execute(
            f"INSERT INTO raw.{ident(table)} ({', '.join(ident(n) for n in names)}) VALUES ({', '.join(placeholders)})",
            [*values, f"{table}: {WRITTEN_BY}", last + offset],
        )
        numbers.append(last + offset)
    con.execute(
        "UPDATE raw.table_inventory SET rows_read = rows_read + ?, rows_loaded = rows_loaded + ? WHERE table_name = ?",
        [len(rows), len(rows), table],
    )
    return numbers


def _value(column_type: str, text: str | None) -> str | None:
    if text is None or text == "":
        return None
    if column_type == "boolean":
        lowered = text.strip().lower()
        return "true" if lowered in TRUE_SPELLINGS else "false" if lowered in FALSE_SPELLINGS else text
    return text
