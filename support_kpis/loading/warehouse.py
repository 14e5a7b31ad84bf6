"""The DuckDB side of a load: a scratch database for staging, and the warehouse attached to receive the result."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from support_kpis.errors import UserError
from support_kpis.loading.os_failures import os_failure
from support_kpis.loading.sql import literal
from support_kpis.warehouse_files import open_error

WAREHOUSE_ALIAS = "warehouse"
# DuckDB's memory limit while loading; what the process holds besides it (Python, the CSV reader's buffers,
# DuckDB's own structures) comes on top, a few hundred MB.
LOAD_MEMORY_LIMIT_ENV = "SUPPORT_KPIS_LOAD_MEMORY_LIMIT"
DEFAULT_LOAD_MEMORY_LIMIT = "1.5GB"


def load_memory_limit() -> str:
    """The staging database's memory limit: $SUPPORT_KPIS_LOAD_MEMORY_LIMIT (DuckDB's syntax, e.g. 4GB) or 1.5GB."""
    return os.environ.get(LOAD_MEMORY_LIMIT_ENV) or DEFAULT_LOAD_MEMORY_LIMIT


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
        # DuckDB's default (80% of RAM) would keep every staged table in memory; with a limit the in-memory
        # tables and the sorts of the checks spill to temp_directory, so the peak no longer grows with the files.
        limit = load_memory_limit()
        try:
            con.execute(f"SET memory_limit = {literal(limit)}")
        except duckdb.Error:
            raise UserError(f"{LOAD_MEMORY_LIMIT_ENV}={limit!r} is not a memory size DuckDB reads (e.g. 2GB)") from None
        try:
            con.execute(f"SET TimeZone = {literal(source_timezone)}")
        except duckdb.Error:
            raise UserError(f"DuckDB does not know the time zone {source_timezone!r}") from None
        yield con
    finally:
        con.close()


def check_warehouse_writable(warehouse: Path) -> None:
    """Fail before the long part of a load when the warehouse cannot be written; create its folder when new.

    DuckDB writes next to the file too (its write-ahead log, spilled data), so the folder must take new files.
    """
    _make_folder(warehouse)
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{warehouse.name}.", dir=warehouse.parent)
    except OSError as exc:
        raise UserError(f"cannot write the warehouse {warehouse}: {exc.strerror} in {warehouse.parent}") from None
    os.close(handle)
    os.unlink(probe)
    if not warehouse.exists():
        return
    con = duckdb.connect(":memory:")
    try:
        with attached_warehouse(con, warehouse):
            pass
    finally:
        con.close()


def _make_folder(warehouse: Path) -> None:
    folder = warehouse.parent
    blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise UserError(f"cannot write the warehouse {warehouse}: {blocking} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot write the warehouse {warehouse}: cannot create {folder}: {exc.strerror}") from None


def write_failure(warehouse: Path, exc: duckdb.Error) -> UserError | None:
    """The one line for a write the operating system refused (disk full, file size limit, read-only), if it was."""
    failure = os_failure(exc)
    if failure is None:
        return None
    where = "" if failure.path is None or failure.is_about(warehouse) else f" (writing {failure.path})"
    # A refused write fails the load's only transaction, so DuckDB keeps the file as the last commit left it.
    return UserError(f"cannot write the warehouse {warehouse}: {failure.reason}{where}; it is left as it was")


@contextmanager
def attached_warehouse(con: duckdb.DuckDBPyConnection, warehouse: Path) -> Iterator[str]:
    """Attach the warehouse file (created when new) to `con` under WAREHOUSE_ALIAS."""
    try:
        con.execute(f"ATTACH {literal(str(warehouse))} AS {WAREHOUSE_ALIAS}")
    except duckdb.Error as exc:
        raise UserError(open_error(warehouse, exc, "write")) from None
    try:
        yield WAREHOUSE_ALIAS
    except BaseException:
        # After a failed write DuckDB may refuse to detach too; that must not hide the failure itself.
        with suppress(duckdb.Error):
            con.execute(f"DETACH {WAREHOUSE_ALIAS}")
        raise
    con.execute(f"DETACH {WAREHOUSE_ALIAS}")
