"""Where things live. Every path can be overridden by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _path(env: str, default: str) -> Path:
    value = os.environ.get(env)
    path = Path(value) if value else PROJECT_ROOT / default
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def warehouse_path() -> Path:
    """The embedded DuckDB warehouse (dbt's default target)."""
    return _path("SUPPORT_KPIS_DUCKDB", "warehouse/support_kpis.duckdb")


def sample_data_dir() -> Path:
    return _path("SUPPORT_KPIS_DATA", "data/sample")


def dbt_target_dir() -> Path:
    return _path("SUPPORT_KPIS_DBT_TARGET", "target")


RAW_SCHEMA = "raw"
QUARANTINE_SCHEMA = "quarantine"
# Records which contract tables the loader found; kpi_catalog.is_available reads it.
TABLE_INVENTORY = "table_inventory"
