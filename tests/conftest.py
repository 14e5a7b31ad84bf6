"""Shared fixtures: build real warehouses (loader + dbt build on DuckDB) from data folders."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

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


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("support-kpis")


SAMPLE_TICKETS = 2_500
SAMPLE_SEED = 11


@pytest.fixture(scope="session")
def sample_data(session_dir: Path) -> Path:
    """A generated sample (every contract table), small enough for the reference to check in seconds."""
    from support_kpis.cli import main

    folder = session_dir / "sample-data"
    exit_code = main(["generate", "--tickets", str(SAMPLE_TICKETS), "--seed", str(SAMPLE_SEED), "--out", str(folder)])
    assert exit_code == 0
    return folder


@pytest.fixture(scope="session")
def sample_warehouse(sample_data: Path, session_dir: Path) -> Path:
    """The sample, loaded and built with the default vars: the demo warehouse of the test session."""
    return build_warehouse(sample_data, session_dir, name="sample")
