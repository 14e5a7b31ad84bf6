"""A flat export's load is recorded in the warehouse: build and validate take `source: flat` from it, until another
load replaces it."""

from __future__ import annotations

import csv
from pathlib import Path

from support_kpis.contract import TABLES
from support_kpis.flat_exports import load_flat_export, read_mapping
from support_kpis.loading import load_folder
from support_kpis.loading.load_source import loaded_source
from support_kpis.settings import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "flat" / "freshdesk"


def test_the_last_load_decides_the_source(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    assert loaded_source(warehouse) == "contract"
    load_flat_export(EXAMPLE / "tickets.csv", read_mapping(EXAMPLE / "mapping.yml"), warehouse)
    assert loaded_source(warehouse) == "flat"
    contract = tmp_path / "contract"
    contract.mkdir()
    for name in ("tickets", "ticket_events"):
        with (contract / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerow(TABLES[name].column_names)
    load_folder(contract, warehouse)
    assert loaded_source(warehouse) == "contract"
    load_flat_export(EXAMPLE / "tickets.csv", read_mapping(EXAMPLE / "mapping.yml"), warehouse)
    assert loaded_source(warehouse) == "flat"
