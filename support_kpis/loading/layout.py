"""The shape of the tables the loader writes: raw.<table>, quarantine.<table> and raw.table_inventory."""

from __future__ import annotations

from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN, Table
from support_kpis.loading.sql import ident
from support_kpis.loading.type_rules import table_rules

RULES = "_rules"
MESSAGE = "_message"
# When the batch that wrote the row was loaded (naive UTC, raw.table_inventory's and raw.load_batches' loaded_at):
# incremental dbt models find the rows changed since their last run by it.
LOADED_AT = "_loaded_at"
# Columns the loader adds to every raw and quarantine row; a file's column of such a name is ignored.
BOOKKEEPING = (SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN, LOADED_AT)
# When the validation gate moved a quarantine row out of raw (naive UTC, its run time); null for rows the loader
# quarantined while loading. Incremental dbt models see a ticket's rows leave raw by it, as they see rows arrive by
# `_loaded_at`. Last column, so tables of older warehouses that gain it (ALTER TABLE ... ADD COLUMN) look the same.
SET_ASIDE_AT = "_set_aside_at"

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

_ORIGIN: Columns = [(SOURCE_FILE_COLUMN, "VARCHAR"), (SOURCE_ROW_COLUMN, "BIGINT"), (LOADED_AT, "TIMESTAMP")]


def raw_columns(table: Table, extras: tuple[str, ...] = ()) -> Columns:
    """Contract columns typed, then where and when each row came from, then the file's unknown columns as text."""
    typed = [(rule.name, rule.sql_type) for rule in table_rules(table)]
    return [*typed, *_ORIGIN, *((e, "VARCHAR") for e in extras)]


def quarantine_columns(table: Table) -> Columns:
    """Contract columns as the original text, where the row came from, which rules it broke, when the gate moved it."""
    text = [(name, "VARCHAR") for name in table.column_names]
    return [*text, *_ORIGIN, (RULES, "VARCHAR"), (MESSAGE, "VARCHAR"), (SET_ASIDE_AT, "TIMESTAMP")]


def add_set_aside_at_sql(qualified_name: str) -> str:
    """Give a quarantine table of an older warehouse the `_set_aside_at` column (DuckDB and Postgres alike)."""
    return f"ALTER TABLE {qualified_name} ADD COLUMN IF NOT EXISTS {ident(SET_ASIDE_AT)} TIMESTAMP"


def create_table_sql(qualified_name: str, columns: Columns, *, if_missing: bool = False) -> str:
    """CREATE OR REPLACE the table, or (if_missing) create it only where it does not exist yet."""
    body = ", ".join(f"{ident(name)} {sql_type}" for name, sql_type in columns)
    create = "CREATE TABLE IF NOT EXISTS" if if_missing else "CREATE OR REPLACE TABLE"
    return f"{create} {qualified_name} ({body})"
