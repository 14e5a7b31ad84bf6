"""Loading the Fivetran Zendesk connector's tables for tests of the dbt adapter: the real loader, rows per table.

Kept for its callers (tests/dbt_project/test_zendesk_adapter.py): `load_zendesk_tables` is now
`load_zendesk_folder` (support_kpis/loading/folder.py) with the loaded row counts as its result. Each table file
found in the folder (`<table>.csv` or `<table>.parquet`, named as the connector names the table) is typed by the
declaration in support_kpis/sample/zendesk/columns.py and written to schema `zendesk`, where the adapter's dbt
source reads it by default (var zendesk_schema); the contract's raw schema gets its empty tables.
"""

from __future__ import annotations

from pathlib import Path

from support_kpis.loading.folder import load_zendesk_folder
from support_kpis.loading.registry import ZENDESK_SCHEMA

__all__ = ["ZENDESK_SCHEMA", "load_zendesk_tables"]


def load_zendesk_tables(folder: Path, warehouse: Path) -> dict[str, int]:
    """Write every connector table found in `folder` to `<warehouse>`'s schema `zendesk`; rows loaded per table."""
    report = load_zendesk_folder(Path(folder), Path(warehouse))
    return {load.table: load.rows_loaded for load in report.tables if load.is_present}
