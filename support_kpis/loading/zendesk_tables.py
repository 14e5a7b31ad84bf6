"""A minimal loader of the Fivetran Zendesk connector's tables into DuckDB, for tests of the dbt adapter.

Not `support-kpis load --source zendesk`: no validation, no quarantine, no deduplication, no inventory. Each
table file found in the folder (`<table>.csv` or `<table>.parquet`, named as the connector names the table) is
read with the column types declared in support_kpis/sample/zendesk/columns.py and written as it is to schema
`zendesk`, where the adapter's dbt source reads it by default (var zendesk_schema). The contract's raw schema is
created by the contract loader from header-only `tickets`/`ticket_events` files, so the staging models of the
tables the adapter does not produce find their (empty) raw tables, as after a load of a folder without them.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

from support_kpis.contract import TABLES as CONTRACT_TABLES
from support_kpis.loading import load_folder
from support_kpis.sample.zendesk import columns

ZENDESK_SCHEMA = "zendesk"

_DUCKDB_TYPES = {
    pa.int64(): "BIGINT",
    pa.string(): "VARCHAR",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.timestamp("s"): "TIMESTAMP",
}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read(path: Path, table: str) -> str:
    declared = columns.schema(table)
    if path.suffix == ".parquet":
        casts = ", ".join(f"cast({_quoted(f.name)} as {_DUCKDB_TYPES[f.type]}) as {_quoted(f.name)}" for f in declared)
        return f"select {casts} from read_parquet({_literal(str(path))})"
    types = ", ".join(f"{_literal(f.name)}: {_literal(_DUCKDB_TYPES[f.type])}" for f in declared)
    return f"select * from read_csv({_literal(str(path))}, header = true, columns = {{{types}}})"


def _empty_contract_raw(warehouse: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("tickets", "ticket_events"):
            with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerow(CONTRACT_TABLES[name].column_names)
        load_folder(folder, warehouse)


def load_zendesk_tables(folder: Path, warehouse: Path) -> dict[str, int]:
    """Write every connector table found in `folder` to `<warehouse>`'s schema `zendesk`; rows per table."""
    folder, warehouse = Path(folder), Path(warehouse)
    _empty_contract_raw(warehouse)
    loaded: dict[str, int] = {}
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"create schema if not exists {ZENDESK_SCHEMA}")
        for table in columns.TABLES:
            found = [path for path in (folder / f"{table}.csv", folder / f"{table}.parquet") if path.exists()]
            if not found:
                continue
            con.execute(f"create or replace table {ZENDESK_SCHEMA}.{_quoted(table)} as {_read(found[0], table)}")
            (count,) = con.execute(f"select count(*) from {ZENDESK_SCHEMA}.{_quoted(table)}").fetchone()
            loaded[table] = count
    return loaded
