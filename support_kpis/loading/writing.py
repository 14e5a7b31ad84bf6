"""Writing the staged tables into the warehouse in one transaction: all tables change, or none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from support_kpis.loading.appending import REPLACES, Against
from support_kpis.loading.checking import (
    MESSAGE_COLUMN,
    ROW_COLUMN,
    RULES_COLUMN,
    CheckedTable,
    extra_column,
    text_column,
)
from support_kpis.loading.dedup import Duplicates
from support_kpis.loading.layout import (
    INVENTORY_COLUMNS,
    SET_ASIDE_AT,
    Columns,
    add_set_aside_at_sql,
    create_table_sql,
    quarantine_columns,
    raw_columns,
)
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
    against: Against | None = None  # appending: how the batch's rows meet raw's (None: raw is replaced)


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
            _create_schemas(con, catalog, reg)
            written[reg.source] = [_write_table(con, catalog, s, reg, loaded_at) for s in tables]
            _write_inventory(con, catalog, written[reg.source], loaded_at, reg)
        if after is not None:
            after(con, catalog, written)
    return written[registry.source]


def append_tables(
    con: duckdb.DuckDBPyConnection,
    catalog: str,
    staged: Sequence[StagedTable],
    loaded_at: datetime,
    registry: Registry = CONTRACT,
    *,
    after: Callable[[duckdb.DuckDBPyConnection, str, list[TableLoad]], None] | None = None,
) -> list[TableLoad]:
    """Add a batch to the registry's tables in one transaction; tables the batch lacks are left as they are.

    Each staged table must carry `against` (appending.compare_with_raw). The inventory's counts accumulate over the
    batches, so rows read = rows in raw + quarantined + duplicates + superseded still holds for every table.
    """
    with transaction(con):
        _create_schemas(con, catalog, registry)
        loads = [_append_table(con, catalog, s, registry, loaded_at) for s in staged]
        _add_to_inventory(con, catalog, loads, loaded_at, registry)
        if after is not None:
            after(con, catalog, loads)
    return loads


def _create_schemas(con: duckdb.DuckDBPyConnection, catalog: str, registry: Registry) -> None:
    for schema in (registry.schema, QUARANTINE_SCHEMA):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {ident(catalog)}.{ident(schema)}")


def _write_table(
    con: duckdb.DuckDBPyConnection, catalog: str, staged: StagedTable, registry: Registry, loaded_at: datetime
) -> TableLoad:
    table = registry.tables[staged.table]
    raw = qualified(registry.schema, table.name, catalog)
    quarantine = qualified(QUARANTINE_SCHEMA, registry.quarantine_table(table.name), catalog)
    checked = staged.checked
    con.execute(create_table_sql(raw, raw_columns(table, checked.extras if checked else ())))
    con.execute(create_table_sql(quarantine, quarantine_columns(table)))
    if checked is None:
        return TableLoad(table.name, None)
    _insert_clean(con, raw, checked, staged.duplicates, loaded_at)
    quarantined = _insert_quarantined(con, quarantine, checked, loaded_at)
    (read,) = _count(con, f"SELECT count(*) FROM {ident(checked.name)}")
    (loaded,) = _count(con, f"SELECT count(*) FROM {raw}")
    return _checked_load(
        TableLoad(
            table.name,
            checked.source_file,
            rows_read=read,
            rows_loaded=loaded,
            rows_quarantined=quarantined,
            rows_duplicate_exact=staged.duplicates.exact,
            rows_superseded=staged.duplicates.superseded,
            extra_columns=checked.extras,
        )
    )


def _append_table(
    con: duckdb.DuckDBPyConnection, catalog: str, staged: StagedTable, registry: Registry, loaded_at: datetime
) -> TableLoad:
    table = registry.tables[staged.table]
    checked, against = staged.checked, staged.against
    if checked is None:
        return TableLoad(table.name, None)
    assert against is not None, "append_tables needs every supplied table compared with raw"
    raw = qualified(registry.schema, table.name, catalog)
    quarantine = qualified(QUARANTINE_SCHEMA, registry.quarantine_table(table.name), catalog)
    con.execute(create_table_sql(raw, raw_columns(table, checked.extras), if_missing=True))
    con.execute(create_table_sql(quarantine, quarantine_columns(table), if_missing=True))
    con.execute(add_set_aside_at_sql(quarantine))  # a warehouse loaded before the column existed
    _add_missing_columns(con, catalog, registry.schema, table.name, checked.extras)

    keys = [ident(c) for c in table.primary_key]
    fates = ident(against.fates_table)
    if against.replaces:
        # The raw rows of the keys a batch row replaces go; keys are required, so the join on them is exact.
        con.execute(
            f"""DELETE FROM {raw} AS r USING (
                SELECT {", ".join(f"s.{k}" for k in keys)} FROM {ident(checked.name)} AS s
                JOIN {fates} AS f ON f._row = s.{ROW_COLUMN} WHERE f.fate = '{REPLACES}'
            ) AS x WHERE {" AND ".join(f"r.{k} = x.{k}" for k in keys)}"""
        )
    (before,) = _count(con, f"SELECT count(*) FROM {raw}")
    inserted = _insert_clean(con, raw, checked, staged.duplicates, loaded_at, not_fated=against)
    quarantined = _insert_quarantined(con, quarantine, checked, loaded_at)
    (read,) = _count(con, f"SELECT count(*) FROM {ident(checked.name)}")
    (after,) = _count(con, f"SELECT count(*) FROM {raw}")
    if after - before != inserted:
        raise AssertionError(
            f"loader bug: appending to {table.name} inserted {inserted} rows, raw grew {after - before}"
        )
    return _checked_load(
        TableLoad(
            table.name,
            checked.source_file,
            rows_read=read,
            rows_loaded=inserted,
            rows_quarantined=quarantined,
            rows_duplicate_exact=staged.duplicates.exact + against.exact,
            rows_superseded=staged.duplicates.superseded + against.superseded,
            extra_columns=checked.extras,
            rows_replaced=against.replaces,
        )
    )


def _add_missing_columns(
    con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str, extras: tuple[str, ...]
) -> None:
    """A batch may bring unknown columns earlier batches lacked: raw gains them (text, null in older rows)."""
    existing = {
        str(name).lower()
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_catalog = ? AND table_schema = ? AND table_name = ?",
            [catalog, schema, table],
        ).fetchall()
    }
    for extra in extras:
        if extra.lower() not in existing:
            con.execute(f"ALTER TABLE {qualified(schema, table, catalog)} ADD COLUMN {ident(extra)} VARCHAR")


def _insert_clean(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    checked: CheckedTable,
    duplicates: Duplicates,
    loaded_at: datetime,
    not_fated: Against | None = None,
) -> int:
    """Insert the rows that passed the rules and survived the duplicate rules; return how many."""
    table = checked.table
    typed = [ident(c) for c in table.column_names]
    names = [*typed, *(ident(n) for n, _ in raw_columns(table)[len(typed) :]), *(ident(e) for e in checked.extras)]
    values = [*typed, literal(checked.source_file), ROW_COLUMN, _timestamp(loaded_at)]
    values += [ident(extra_column(i)) for i in range(len(checked.extras))]
    keep = f"{RULES_COLUMN} IS NULL"
    if duplicates.dropped_table:
        keep += f" AND {ROW_COLUMN} NOT IN (SELECT _row FROM {ident(duplicates.dropped_table)})"
    if not_fated is not None:
        keep += f" AND {ROW_COLUMN} NOT IN (SELECT _row FROM {ident(not_fated.fates_table)} WHERE fate <> '{REPLACES}')"
    (inserted,) = _count(
        con,
        f"INSERT INTO {raw} ({', '.join(names)}) SELECT {', '.join(values)} FROM {ident(checked.name)} WHERE {keep}",
    )
    return inserted


def _insert_quarantined(
    con: duckdb.DuckDBPyConnection, quarantine: str, checked: CheckedTable, loaded_at: datetime
) -> int:
    table = checked.table
    # `_set_aside_at` stays null: the loader quarantines while loading, the gate sets it when it moves a row.
    names = [ident(name) for name, _ in quarantine_columns(table) if name != SET_ASIDE_AT]
    original = [ident(r.name) if r.is_verbatim else ident(text_column(r.name)) for r in checked.rules]
    values = [*original, literal(checked.source_file), ROW_COLUMN, _timestamp(loaded_at), RULES_COLUMN, MESSAGE_COLUMN]
    (quarantined,) = _count(
        con,
        f"INSERT INTO {quarantine} ({', '.join(names)}) SELECT {', '.join(values)} "
        f"FROM {ident(checked.name)} WHERE {RULES_COLUMN} IS NOT NULL",
    )
    return quarantined


def _timestamp(value: datetime) -> str:
    return f"CAST({literal(value.isoformat(sep=' '))} AS TIMESTAMP)"


def _checked_load(load: TableLoad) -> TableLoad:
    if not load.reconciles:
        raise AssertionError(f"loader bug: row counts of {load.table} do not add up: {load}")
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


def _add_to_inventory(
    con: duckdb.DuckDBPyConnection, catalog: str, loads: list[TableLoad], loaded_at: datetime, registry: Registry
) -> None:
    """Accumulate a batch's counts: a table the batch supplies is present from now on, one it lacks is untouched.

    Raw rows a batch replaced count as superseded; rows_loaded is what raw holds now. loaded_at and source_file
    are the latest batch that supplied the table.
    """
    inventory = qualified(registry.schema, registry.inventory_table, catalog)
    for load in loads:
        if not load.is_present:
            continue
        raw = qualified(registry.schema, load.table, catalog)
        con.execute(
            f"""UPDATE {inventory} SET is_present = true, source_file = ?,
                rows_read = coalesce(rows_read, 0) + ?,
                rows_loaded = (SELECT count(*) FROM {raw}),
                rows_quarantined = coalesce(rows_quarantined, 0) + ?,
                rows_duplicate_exact = coalesce(rows_duplicate_exact, 0) + ?,
                rows_superseded = coalesce(rows_superseded, 0) + ?,
                loaded_at = ?
            WHERE table_name = ?""",
            [
                load.source_file,
                load.rows_read,
                load.rows_quarantined,
                load.rows_duplicate_exact,
                load.rows_superseded + load.rows_replaced,
                loaded_at,
                load.table,
            ],
        )
