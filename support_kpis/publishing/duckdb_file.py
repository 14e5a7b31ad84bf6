"""Publishing on DuckDB: the reader-facing models are copied into a new file, which then replaces the published
file in one rename.

DuckDB lets one process write a file or many read it, never both: readers of the warehouse dbt builds in would be
locked out for the whole build. Readers open the published file instead. It is never written in place: a reader
that opened it before the rename keeps reading the previous build to the end of its connection, one that opens it
after reads the new build, and a publish that dies halfway leaves only a stray temporary file.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from support_kpis.dbt_vars import effective_vars
from support_kpis.errors import UserError
from support_kpis.loading.sql import ident, literal, qualified, table_exists
from support_kpis.publishing.run_log import Run, publishable_run, read_runs
from support_kpis.warehouse_files import open_error

WORKSPACE = "workspace"
PUBLISHED_CATALOG = "published"
BUILD_TABLE = "kpi_build"
# Read when present: the build's as-of instant (nothing after it exists) and its date in the reporting time zone.
_BOUNDS = ("intermediate", "int_reporting_bounds_computed")


@dataclass(frozen=True)
class PublishedBuild:
    path: Path
    run: Run
    tables: tuple[str, ...]
    published_at: datetime


def _scratch_name(published: Path) -> Path:
    # Same folder as the published file, so the final rename never crosses file systems.
    return published.with_name(f".{published.name}.{uuid.uuid4().hex[:12]}.publishing")


@contextmanager
def _publishing_lock(published: Path) -> Iterator[None]:
    """One publish of a file at a time (a build's and a `support-kpis publish` could overlap); the kernel drops
    the lock when its process dies, so a killed publish never blocks the next one."""
    with open(published.with_name(f".{published.name}.lock"), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"{published} is being published by another process; retry when it is done") from None
        yield


def _remove_leftovers(published: Path) -> None:
    """Files of publishes that died before their rename (under the lock, nobody else is writing one)."""
    for stray in published.parent.glob(f".{published.name}.*.publishing*"):
        stray.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _as_of(con: duckdb.DuckDBPyConnection) -> tuple[Any, Any]:
    if not table_exists(con, *_BOUNDS, catalog=WORKSPACE):
        return None, None
    row = con.execute(f"select as_of_at, as_of_date from {qualified(*_BOUNDS, WORKSPACE)}").fetchone()
    return (row[0], row[1]) if row else (None, None)


def _copy_relations(con: duckdb.DuckDBPyConnection, run: Run) -> tuple[str, ...]:
    copied = []
    for relation in run.published_relations:
        schema, name = relation.split(".", 1)
        if not table_exists(con, schema, name, catalog=WORKSPACE):
            raise UserError(f"the build's model {relation} is missing from the warehouse: run `support-kpis build`")
        con.execute(f"create schema if not exists {qualified(PUBLISHED_CATALOG, schema)}")
        con.execute(
            f"create table {qualified(schema, name, PUBLISHED_CATALOG)} as "
            f"select * from {qualified(schema, name, WORKSPACE)}"
        )
        copied.append(relation)
    return tuple(copied)


def _write_build_record(con: duckdb.DuckDBPyConnection, run: Run, published_at: datetime) -> None:
    build_vars = effective_vars(json.loads(run.vars or "{}"))
    con.execute(
        f"""create table {qualified("main", BUILD_TABLE, PUBLISHED_CATALOG)} as select
            ?::varchar as build_id, ?::varchar as command, ?::varchar as selection, ?::varchar as vars,
            ?::varchar as dbt_version, ?::timestamp as started_at, ?::timestamp as finished_at,
            ?::timestamp as published_at, ?::timestamp as as_of_at, ?::date as as_of_date,
            ?::varchar as reporting_timezone""",
        [
            run.run_id,
            run.command,
            run.selection,
            json.dumps(build_vars, sort_keys=True),
            run.dbt_version,
            run.started_at,
            run.finished_at,
            published_at,
            *_as_of(con),
            build_vars.get("reporting_timezone"),
        ],
    )


def publish_duckdb(warehouse: Path, published: Path) -> PublishedBuild:
    """Copy the reader-facing models of the warehouse's last successful build into `published`, atomically."""
    if not warehouse.exists():
        raise UserError(f"{warehouse}: no warehouse yet; run `./run demo`, or `support-kpis load DIR` and build")
    published.parent.mkdir(parents=True, exist_ok=True)
    with _publishing_lock(published):
        _remove_leftovers(published)
        return _publish(warehouse, published)


def _publish(warehouse: Path, published: Path) -> PublishedBuild:
    scratch = _scratch_name(published)
    try:
        con = duckdb.connect(":memory:")
        try:
            try:
                con.execute(f"attach {literal(str(warehouse))} as {ident(WORKSPACE)} (read_only)")
            except duckdb.Error as exc:
                raise UserError(open_error(warehouse, exc, "read")) from None
            run = publishable_run(read_runs(con, WORKSPACE), str(warehouse))
            con.execute(f"attach {literal(str(scratch))} as {ident(PUBLISHED_CATALOG)}")
            published_at = datetime.now(UTC).replace(tzinfo=None)
            con.execute("begin transaction")
            tables = _copy_relations(con, run)
            _write_build_record(con, run, published_at)
            con.execute("commit")
            con.execute(f"detach {ident(PUBLISHED_CATALOG)}")
        finally:
            con.close()
        _fsync(scratch)
        os.replace(scratch, published)
        _fsync(published.parent)
    except BaseException:
        for leftover in (scratch, scratch.with_name(scratch.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    return PublishedBuild(published, run, (*tables, f"main.{BUILD_TABLE}"), published_at)
