"""Small input folders and warehouse snapshots for the loader's reliability tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb

from support_kpis.contract import TABLES

GOOD_TICKET = {"ticket_id": "T1", "created_at": "2026-03-01T09:00:00Z", "channel": "email", "status": "open"}
GOOD_EVENT = {
    "event_id": "E1",
    "ticket_id": "T1",
    "occurred_at": "2026-03-01T09:00:00Z",
    "event_type": "message",
    "actor_type": "customer",
    "is_public": "true",
    "body": "Hello",
}


def records(table: str, rows: Iterable[Mapping[str, str]], ending: str = "\n", *, header: bool = False) -> bytes:
    """Rows of `table` as CSV bytes (the contract's columns, in order), each record ending in `ending`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=ending)
    columns = TABLES[table].column_names
    if header:
        writer.writerow(columns)
    writer.writerows([row.get(column, "") for column in columns] for row in rows)
    return out.getvalue().encode("utf-8")


def header(table: str, ending: str = "\n") -> bytes:
    return records(table, [], ending, header=True)


def folder_with(folder: Path, **files: bytes) -> Path:
    """A data folder holding one good ticket and event, with any file replaced or added from `files`."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = {
        "tickets.csv": records("tickets", [GOOD_TICKET], header=True),
        "ticket_events.csv": records("ticket_events", [GOOD_EVENT], header=True),
        **files,
    }
    for name, content in contents.items():
        (folder / name).write_bytes(content)
    return folder


def rows(warehouse: Path, sql: str, parameters: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(parameters)).fetchall()


def snapshot(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the warehouse with all its rows, in a stable order: equal snapshots, equal warehouses."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by 1, 2"
        ).fetchall()
        return {
            f"{schema}.{name}": sorted(
                con.execute(f'select * from "{schema}"."{name}"').fetchall(), key=lambda row: repr(row)
            )
            for schema, name in tables
        }


def reconciles(warehouse: Path) -> bool:
    """raw.table_inventory: every row read is loaded, quarantined or counted as a duplicate."""
    (unbalanced,) = rows(
        warehouse,
        "select count(*) from raw.table_inventory "
        "where rows_read <> rows_loaded + rows_quarantined + rows_duplicate_exact + rows_superseded",
    )[0]
    return unbalanced == 0
