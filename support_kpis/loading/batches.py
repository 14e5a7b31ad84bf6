"""raw.load_batches: which batches of files made the raw tables, so that loading one twice changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from support_kpis.errors import DataError
from support_kpis.loading.discovery import SourceFile
from support_kpis.loading.layout import Columns, create_table_sql
from support_kpis.loading.report import TableLoad
from support_kpis.loading.sql import literal, qualified
from support_kpis.settings import RAW_SCHEMA, TABLE_INVENTORY

LOAD_BATCHES = "load_batches"
FULL, APPEND = "full", "append"

BATCH_COLUMNS: Columns = [
    ("batch_id", "VARCHAR"),
    ("loaded_at", "TIMESTAMP"),
    ("mode", "VARCHAR"),
    ("folder", "VARCHAR"),
    ("table_name", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("rows_read", "BIGINT"),
    ("rows_added", "BIGINT"),
    ("rows_replaced", "BIGINT"),
    ("rows_quarantined", "BIGINT"),
    ("rows_duplicate_exact", "BIGINT"),
    ("rows_superseded", "BIGINT"),
]
BATCHES_COMMENT = (
    "Batches of files the loader wrote into raw: one row per table a batch supplied (table_name null for a batch "
    "without any contract file). batch_id is the SHA-256 of the batch's files (table names and contents, not the "
    "folder), so a batch appended again is recognised and skipped. mode: full (load replaced raw; the table then "
    "holds just that load) or append (load --append). loaded_at equals the _loaded_at of the raw and quarantine "
    "rows the batch wrote. rows_added: new keys; rows_replaced: raw rows this batch's newer versions replaced; "
    "rows_read = rows_added + rows_replaced + rows_quarantined + rows_duplicate_exact + rows_superseded."
)


def batch_id(files: Mapping[str, SourceFile | None]) -> str:
    """SHA-256 over the supplied tables' names, formats and contents, in table order; the folder does not count."""
    digest = hashlib.sha256()
    for table in sorted(name for name, file in files.items() if file is not None):
        file = files[table]
        assert file is not None
        try:
            with file.path.open("rb") as handle:
                content = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as exc:
            # Hashing is the first read of a file: it reports an unreadable one as the readers would.
            raise DataError(f"cannot read the file: {exc.strerror or exc}", file=file.name) from None
        digest.update(f"{table}\0{file.format}\0{content}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class WarehouseState:
    loaded: bool  # the loader wrote raw.table_inventory before
    appendable: bool  # the last load was of contract files, by this loader's version (it recorded its batch)
    batch_loaded_at: datetime | None  # when the batch being loaded was loaded before, if it was


def warehouse_state(con: duckdb.DuckDBPyConnection, catalog: str, batch: str) -> WarehouseState:
    tables = {
        str(name)
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = ?",
            [catalog, RAW_SCHEMA],
        ).fetchall()
    }
    if TABLE_INVENTORY not in tables:
        return WarehouseState(False, False, None)
    if LOAD_BATCHES not in tables:
        return WarehouseState(True, False, None)
    batches = qualified(RAW_SCHEMA, LOAD_BATCHES, catalog)
    inventory = qualified(RAW_SCHEMA, TABLE_INVENTORY, catalog)
    # A Zendesk or flat-export load rewrites raw.table_inventory but not raw.load_batches: the latest batch is then
    # older than the inventory, and raw no longer holds what the batches made. (A batch without any table leaves
    # the inventory as it was, so the latest batch may be newer.)
    row = con.execute(
        f"SELECT (SELECT max(loaded_at) FROM {batches}) >= (SELECT max(loaded_at) FROM {inventory}), "
        f"(SELECT max(loaded_at) FROM {batches} WHERE batch_id = {literal(batch)})"
    ).fetchone()
    assert row is not None
    return WarehouseState(True, bool(row[0]), row[1])


def record_batch(
    con: duckdb.DuckDBPyConnection,
    catalog: str,
    batch: str,
    loaded_at: datetime,
    mode: str,
    folder: Path,
    loads: list[TableLoad],
) -> None:
    """Add the batch's rows (a full load first empties the table: it holds just that load)."""
    table = qualified(RAW_SCHEMA, LOAD_BATCHES, catalog)
    con.execute(create_table_sql(table, BATCH_COLUMNS, if_missing=mode != FULL))
    con.execute(f"COMMENT ON TABLE {table} IS {literal(BATCHES_COMMENT)}")
    supplied = [load for load in loads if load.is_present]
    rows = [
        [
            batch,
            loaded_at,
            mode,
            str(folder),
            load.table,
            load.source_file,
            load.rows_read,
            load.rows_loaded - load.rows_replaced,
            load.rows_replaced,
            load.rows_quarantined,
            load.rows_duplicate_exact,
            load.rows_superseded,
        ]
        for load in supplied
    ] or [[batch, loaded_at, mode, str(folder), *([None] * (len(BATCH_COLUMNS) - 4))]]
    placeholders = ", ".join("?" for _ in BATCH_COLUMNS)
    con.executemany(f"INSERT INTO {table} VALUES ({placeholders})", rows)
