"""Loading a folder of CSV/Parquet files into the warehouse's raw and quarantine schemas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from support_kpis.contract import Table
from support_kpis.errors import UserError
from support_kpis.loading.appending import compare_with_raw
from support_kpis.loading.batches import APPEND, FULL, WarehouseState, batch_id, record_batch, warehouse_state
from support_kpis.loading.checking import check_file
from support_kpis.loading.column_mapping import map_columns
from support_kpis.loading.dedup import Duplicates, resolve_duplicates
from support_kpis.loading.discovery import SourceFile, discover
from support_kpis.loading.registry import CONTRACT, ZENDESK, Registry, contract_beside_adapter
from support_kpis.loading.report import LoadReport, TableLoad
from support_kpis.loading.sources import open_source
from support_kpis.loading.warehouse import (
    attached_warehouse,
    check_timezone,
    check_warehouse_writable,
    staging_connection,
    write_failure,
)
from support_kpis.loading.writing import StagedTable, append_tables, write_tables
from support_kpis.loading.zendesk_deleted import count_left_out
from support_kpis.progress import say, step


def load_folder(folder: Path, warehouse: Path, source_timezone: str = "UTC", *, append: bool = False) -> LoadReport:
    """Load every contract table found in `folder` into `warehouse` (raw.*, quarantine.*, raw.table_inventory).

    Timestamps without an offset are read in `source_timezone`. Raises DataError (one line, naming the file) when
    a file cannot be used; the warehouse is then left exactly as it was. Without `append` the raw tables are
    replaced; with it the folder is one batch added to them (any subset of the tables; appending.py says how its
    rows meet raw's), and a batch loaded before is skipped. Either way raw.load_batches records the batch.
    """
    folder, warehouse = Path(folder), Path(warehouse)
    check_timezone(source_timezone)
    # A batch may hold any subset of the tables; whether it is a first load is known once its id is.
    found = discover(folder, (contract_beside_adapter(),) if append else (CONTRACT,))
    if found.ignored:
        say(f"note: {folder}: not contract tables, ignored: {', '.join(found.ignored)}")
    for name in found.empty:
        say(f"note: {name}: the file is empty (0 bytes), treated as absent")
    check_warehouse_writable(warehouse)  # also creates its folder, where DuckDB spills staging data
    with step(f"hashing the files of {folder}"):
        batch = batch_id(found.files)
    if append:
        state = _state(warehouse, source_timezone, batch)
        if state.batch_loaded_at is not None and state.appendable:
            return LoadReport(
                folder,
                warehouse,
                source_timezone,
                state.batch_loaded_at,
                (),
                batch_id=batch,
                appended=True,
                already_loaded_at=state.batch_loaded_at,
            )
        if state.loaded and not state.appendable:
            raise UserError(
                f"cannot append to {warehouse}: its last load was not a contract-table load by this version "
                "(a Zendesk or flat-export load, or an older loader); run a full `support-kpis load` first"
            )
        if not state.loaded:
            found = discover(folder)  # a first load: the required tables must be there
            append = False

    try:
        with staging_connection(warehouse, source_timezone) as con:
            staged = [_stage(con, CONTRACT, name, found.files[name]) for name in CONTRACT.tables]
            loaded_at = datetime.now(UTC).replace(tzinfo=None)
            writing = step(f"{'appending to' if append else 'writing'} raw and quarantine tables in {warehouse}")
            with writing, attached_warehouse(con, warehouse) as catalog:
                if append:
                    loads = _append(con, catalog, staged, loaded_at, batch, folder)
                else:

                    def record(
                        con: duckdb.DuckDBPyConnection, catalog: str, written: dict[str, list[TableLoad]]
                    ) -> None:
                        record_batch(con, catalog, batch, loaded_at, FULL, folder, written[CONTRACT.source])

                    loads = write_tables(con, catalog, staged, loaded_at, after=record)
    except duckdb.Error as exc:
        refused = write_failure(warehouse, exc)
        if refused is None:
            raise
        raise refused from None
    return LoadReport(folder, warehouse, source_timezone, loaded_at, tuple(loads), batch_id=batch, appended=append)


def _state(warehouse: Path, source_timezone: str, batch: str) -> WarehouseState:
    if not warehouse.exists():
        return WarehouseState(False, False, None)
    with staging_connection(warehouse, source_timezone) as con, attached_warehouse(con, warehouse) as catalog:
        return warehouse_state(con, catalog, batch)


def _append(
    con: duckdb.DuckDBPyConnection,
    catalog: str,
    staged: list[StagedTable],
    loaded_at: datetime,
    batch: str,
    folder: Path,
) -> list[TableLoad]:
    compared = [
        replace(s, against=compare_with_raw(con, catalog, CONTRACT.schema, s.checked, s.duplicates))
        if s.checked is not None
        else s
        for s in staged
    ]

    def record(con: duckdb.DuckDBPyConnection, catalog: str, loads: list[TableLoad]) -> None:
        record_batch(con, catalog, batch, loaded_at, APPEND, folder, loads)

    return append_tables(con, catalog, compared, loaded_at, after=record)


def load_zendesk_folder(folder: Path, warehouse: Path) -> LoadReport:
    """Load the Fivetran Zendesk connector's tables found in `folder` into schema `zendesk` of `warehouse`.

    Each table comes from `<table>.csv` or `<table>.parquet`, named as the connector names it; columns keep the
    connector's names, so the dbt adapter reads this schema as it reads a Fivetran warehouse. Rows breaking a type
    rule go to quarantine.zendesk__<table>; zendesk.table_inventory counts every table's rows, including the rows
    the adapter leaves out (deleted tickets and what belongs to them). Contract files in the same folder (e.g.
    customer_revenue.csv) are loaded into raw.* as by `load_folder`; absent contract tables get empty raw tables.
    Timestamps without an offset are UTC, as the connector writes them. All of it happens in one transaction.
    """
    folder, warehouse = Path(folder), Path(warehouse)
    contract = contract_beside_adapter()
    found = discover(folder, (ZENDESK, contract))
    assert found.by_source is not None
    if found.ignored:
        say(f"note: {folder}: neither Zendesk connector nor contract tables, ignored: {', '.join(found.ignored)}")
    for name in found.empty:
        say(f"note: {name}: the file is empty (0 bytes), treated as absent")
    check_warehouse_writable(warehouse)
    left_out: dict[str, TableLoad] = {}
    contract_loads: list[TableLoad] = []

    def count_deleted(con: duckdb.DuckDBPyConnection, catalog: str, written: dict[str, list[TableLoad]]) -> None:
        left_out.update(count_left_out(con, catalog, written[ZENDESK.source]))
        contract_loads.extend(written[contract.source])

    try:
        with staging_connection(warehouse, "UTC") as con:
            zendesk_files, contract_files = found.by_source[ZENDESK.source], found.by_source[contract.source]
            staged = [_stage(con, ZENDESK, name, zendesk_files[name]) for name in ZENDESK.tables]
            beside = [_stage(con, contract, name, contract_files[name]) for name in contract.tables]
            loaded_at = datetime.now(UTC).replace(tzinfo=None)
            writing = step(f"writing zendesk, raw and quarantine tables to {warehouse}")
            with writing, attached_warehouse(con, warehouse) as catalog:
                loads = write_tables(
                    con, catalog, staged, loaded_at, ZENDESK, also=[(contract, beside)], after=count_deleted
                )
    except duckdb.Error as exc:
        refused = write_failure(warehouse, exc)
        if refused is None:
            raise
        raise refused from None
    tables = tuple(left_out.get(load.table, load) for load in loads)
    return LoadReport(folder, warehouse, "UTC", loaded_at, tables, source=ZENDESK.source, beside=tuple(contract_loads))


def _stage(con: duckdb.DuckDBPyConnection, registry: Registry, name: str, file: SourceFile | None) -> StagedTable:
    if file is None:
        return StagedTable(name, None, Duplicates(None))
    table: Table = registry.tables[name]
    with step(f"reading {file.name}"):
        source = open_source(con, file, scratch_table=f"scanned_{registry.source}_{name}")
        for note in source.notes:
            say(f"note: {file.name}: {note}")
        mapping = map_columns(table, source)
        _note(file, "columns not in the contract, kept as text", [n for n, _ in mapping.extras])
        _note(file, "optional columns absent, loaded as empty", mapping.absent_optional)
        _note(file, "columns named like the loader's own, ignored", mapping.dropped_reserved)
        checked = check_file(con, table, source, mapping, f"staged_{registry.source}_{name}")
        con.execute(f'DROP TABLE IF EXISTS "scanned_{registry.source}_{name}"')
        duplicates = resolve_duplicates(con, checked)
    return StagedTable(name, checked, duplicates)


def _note(file: SourceFile, what: str, names: Sequence[str]) -> None:
    if names:
        say(f"note: {file.name}: {what}: {', '.join(names)}")
