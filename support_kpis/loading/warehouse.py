"""The DuckDB side of a load: a scratch database for staging, and the warehouse attached to receive the result."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from support_kpis.errors import UserError
from support_kpis.loading.sql import literal

WAREHOUSE_ALIAS = "warehouse"


def check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"unknown source time zone {name!r} (use an IANA name such as Europe/Berlin)") from None


@contextmanager
def staging_connection(warehouse: Path, source_timezone: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB whose session time zone is the source time zone (timestamps without offset use it).

    Files are staged here, so the warehouse is touched only by the final transaction. Spilled data goes next to
    the warehouse, where DuckDB would put it for the warehouse itself.
    """
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")
        # A CSV file is scanned into a table whose rowid must be the record position: insertion order must hold.
        con.execute("SET preserve_insertion_order = true")
        con.execute(f"SET temp_directory = {literal(str(warehouse) + '.tmp')}")
        try:
            con.execute(f"SET TimeZone = {literal(source_timezone)}")
        except duckdb.Error:
            raise UserError(f"DuckDB does not know the time zone {source_timezone!r}") from None
        yield con
    finally:
        con.close()


def check_warehouse_writable(warehouse: Path) -> None:
    """Fail before the long part of a load when another process holds the warehouse."""
    if not warehouse.exists():
        return
    con = duckdb.connect(":memory:")
    try:
        with attached_warehouse(con, warehouse):
            pass
    finally:
        con.close()


@contextmanager
def attached_warehouse(con: duckdb.DuckDBPyConnection, warehouse: Path) -> Iterator[str]:
    """Attach the warehouse file (created when new) to `con` under WAREHOUSE_ALIAS."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    try:
        con.execute(f"ATTACH {literal(str(warehouse))} AS {WAREHOUSE_ALIAS}")
    except duckdb.Error as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        locked = "lock" in first_line.lower()
        reason = "it is open in another process (stop that process and retry)" if locked else first_line
        raise UserError(f"cannot write the warehouse {warehouse}: {reason}") from None
    try:
        yield WAREHOUSE_ALIAS
    finally:
        con.execute(f"DETACH {WAREHOUSE_ALIAS}")
