"""Writing the staged tables into the warehouse in one transaction: all tables change, or none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from support_kpis.loading.checking import (
    MESSAGE_COLUMN,
    ROW_COLUMN,
    RULES_COLUMN,
    CheckedTable,
    extra_column,
    text_column,
)
from support_kpis.loading.dedup import Duplicates
from support_kpis.loading.layout import INVENTORY_COLUMNS, Columns, create_table_sql, quarantine_columns, raw_columns
from support_kpis.loading.registry import CONTRACT, Registry
from support_kpis.loading.report import TableLoad
from support_kpis.loading.sql import ident, literal, qualified
from support_kpis.loading.transaction import transaction
from support_kpis.settings import QUARANTINE_SCHEMA


@dataclass(frozen=True)
class StagedTable:
    table: str
    checked: CheckedTable | None  # None: the table's file is absent
    duplicates: Duplicates


def write_tables(
    con: duckdb.DuckDBPyConnection,
    catalog: str,
    staged: Sequence[StagedTable],
    loaded_at: datetime,
    registry: Registry = CONTRACT,
    *,
    also: Sequence[tuple[Registry, Sequence[StagedTable]]] = (),
    after: Callable[[duckdb.DuckDBPyConnection, str, dict[str, list[TableLoad]]], None] | None = None,
) -> list[TableLoad]:
    """Replace the registry's tables, quarantine tables and inventory inside `catalog`; roll back on any failure.

    `also` writes further registries' tables in the same transaction (the contract files found beside an adapter's
    tables); `after` runs last inside it, with every registry's loads by source name. Returns the first registry's
    loads.
    """
    every = [(registry, staged), *also]
    with transaction(con):
        written: dict[str, list[TableLoad]] = {}
        for reg, tables in every:
            for schema in (reg.schema, QUARANTINE_SCHEMA):
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {ident(catalog)}.{ident(schema)}")
            written[reg.source] = [_write_table(con, catalog, s, reg) for s in tables]
            _write_inventory(con, catalog, written[reg.source], loaded_at, reg)
        if after is not None:
            after(con, catalog, written)
    return written[registry.source]


def _write_table(con: duckdb.DuckDBPyConnection, catalog: str, staged: StagedTable, registry: Registry) -> TableLoad:
    table = registry.tables[staged.table]
    raw = qualified(registry.schema, table.name, catalog)
    quarantine = qualified(QUARANTINE_SCHEMA, registry.quarantine_table(table.name), catalog)
    checked = staged.checked
    con.execute(create_table_sql(raw, raw_columns(table, checked.extras if checked else ())))
    con.execute(create_table_sql(quarantine, quarantine_columns(table)))
    if checked is None:
        return TableLoad(table.name, None)

    source = ident(checked.name)
    file = literal(checked.source_file)
    row = ROW_COLUMN
    typed = [ident(c) for c in table.column_names]
    extras = [ident(extra_column(i)) for i in range(len(checked.extras))]
    keep = f"{RULES_COLUMN} IS NULL"
    dropped = staged.duplicates.dropped_table
    if dropped:
        keep += f" AND {row} NOT IN (SELECT _row FROM {ident(dropped)})"
    con.execute(f"INSERT INTO {raw} SELECT {', '.join([*typed, file, row, *extras])} FROM {source} WHERE {keep}")

    original = [ident(r.name) if r.is_verbatim else ident(text_column(r.name)) for r in checked.rules]
    con.execute(
        f"INSERT INTO {quarantine} SELECT {', '.join([*original, file, row, RULES_COLUMN, MESSAGE_COLUMN])} "
        f"FROM {source} WHERE {RULES_COLUMN} IS NOT NULL"
    )
    read, quarantined = _count(con, f"SELECT count(*), count({RULES_COLUMN}) FROM {source}")
    (loaded,) = _count(con, f"SELECT count(*) FROM {raw}")
    load = TableLoad(
        table.name,
        checked.source_file,
        rows_read=read,
        rows_loaded=loaded,
        rows_quarantined=quarantined,
        rows_duplicate_exact=staged.duplicates.exact,
        rows_superseded=staged.duplicates.superseded,
        extra_columns=checked.extras,
    )
    if not load.reconciles:
        raise AssertionError(f"loader bug: row counts of {table.name} do not add up: {load}")
    return load


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[int, ...]:
    row = con.execute(sql).fetchone()
    assert row is not None
    return tuple(int(v) for v in row)


def inventory_columns(registry: Registry) -> Columns:
    """The inventory's columns: an adapter's also counts the rows its dbt models leave out (deleted tickets)."""
    return (
        INVENTORY_COLUMNS if registry.source == CONTRACT.source else [*INVENTORY_COLUMNS, ("rows_left_out", "BIGINT")]
    )


def _write_inventory(
    con: duckdb.DuckDBPyConnection, catalog: str, loads: list[TableLoad], loaded_at: datetime, registry: Registry
) -> None:
    inventory = qualified(registry.schema, registry.inventory_table, catalog)
    columns = inventory_columns(registry)
    con.execute(create_table_sql(inventory, columns))
    placeholders = ", ".join("?" for _ in columns)
    left_out = [] if columns is INVENTORY_COLUMNS else [0]
    con.executemany(
        f"INSERT INTO {inventory} VALUES ({placeholders})",
        [
            [
                load.table,
                load.is_present,
                load.source_file,
                load.rows_read,
                load.rows_loaded,
                load.rows_quarantined,
                load.rows_duplicate_exact,
                load.rows_superseded,
                loaded_at,
                *left_out,
            ]
            for load in loads
        ],
    )
