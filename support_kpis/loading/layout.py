"""The shape of the tables the loader writes: raw.<table>, quarantine.<table> and raw.table_inventory."""

from __future__ import annotations

from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN, Table
from support_kpis.loading.sql import ident
from support_kpis.loading.type_rules import table_rules

RULES = "_rules"
MESSAGE = "_message"

Columns = list[tuple[str, str]]  # (name, SQL type)

INVENTORY_COLUMNS: Columns = [
    ("table_name", "VARCHAR"),
    ("is_present", "BOOLEAN"),
    ("source_file", "VARCHAR"),
    ("rows_read", "BIGINT"),
    ("rows_loaded", "BIGINT"),
    ("rows_quarantined", "BIGINT"),
    ("rows_duplicate_exact", "BIGINT"),
    ("rows_superseded", "BIGINT"),
    ("loaded_at", "TIMESTAMP"),
]


def raw_columns(table: Table, extras: tuple[str, ...] = ()) -> Columns:
    """Contract columns typed, then where each row came from, then the file's unknown columns as text."""
    typed = [(rule.name, rule.sql_type) for rule in table_rules(table)]
    return [*typed, (SOURCE_FILE_COLUMN, "VARCHAR"), (SOURCE_ROW_COLUMN, "BIGINT"), *((e, "VARCHAR") for e in extras)]


def quarantine_columns(table: Table) -> Columns:
    """Contract columns as the original text, where the row came from, and which rules it broke."""
    text = [(name, "VARCHAR") for name in table.column_names]
    origin = [(SOURCE_FILE_COLUMN, "VARCHAR"), (SOURCE_ROW_COLUMN, "BIGINT")]
    return [*text, *origin, (RULES, "VARCHAR"), (MESSAGE, "VARCHAR")]


def create_table_sql(qualified_name: str, columns: Columns) -> str:
    body = ", ".join(f"{ident(name)} {sql_type}" for name, sql_type in columns)
    return f"CREATE OR REPLACE TABLE {qualified_name} ({body})"
