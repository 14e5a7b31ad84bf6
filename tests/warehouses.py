"""Real warehouses for tests: write contract tables, load and `dbt build` them as the CLI does, query the result."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from support_kpis.dbt_runner import run_dbt
from support_kpis.loading import load_folder
from support_kpis.publishing import publish_duckdb
from support_kpis.settings import published_path


def write_csv(folder: Path, table: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write one contract table; None becomes an empty field (the contract's null)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
    return path


def build_warehouse(
    data_dir: Path, work_dir: Path, dbt_vars: Mapping[str, Any] | None = None, name: str = "warehouse"
) -> Path:
    """Load a data folder, run the real `dbt build` into a fresh DuckDB file and publish it (as the CLI does)."""
    warehouse = work_dir / f"{name}.duckdb"
    if warehouse.exists():
        warehouse.unlink()
    load_folder(data_dir, warehouse)
    run_dbt(["build"], warehouse=warehouse, dbt_vars=dbt_vars, target_dir=work_dir / f"{name}-target", quiet=True)
    publish_duckdb(warehouse, published_path(warehouse))
    return warehouse


def query(warehouse: Path, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(parameters)).fetchall()
