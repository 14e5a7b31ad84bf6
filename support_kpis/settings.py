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


def published_path(warehouse: Path) -> Path:
    """The published results of `warehouse`: what Superset, the demo and users read.

    A separate file, replaced in one step after each successful build, so readers never wait for the build's
    lock and never see a half-built result.
    """
    return warehouse.with_name(f"{warehouse.stem}{PUBLISHED_SUFFIX}")


def spark_dir() -> Path:
    """The local Spark target's Hive metastore and tables (profiles.yml's `spark` target)."""
    return _path("SUPPORT_KPIS_SPARK_DIR", "warehouse/spark")


def sample_data_dir() -> Path:
    return _path("SUPPORT_KPIS_DATA", "data/sample")


def dbt_target_dir() -> Path:
    return _path("SUPPORT_KPIS_DBT_TARGET", "target")


PUBLISHED_SUFFIX = "_published.duckdb"
RAW_SCHEMA = "raw"
# dbt's run log (ops.dbt_runs, written by the project's on-run-start/-end hooks): which builds finished.
RUN_LOG_SCHEMA = "ops"
QUARANTINE_SCHEMA = "quarantine"
# Records which contract tables the loader found; kpi_catalog.is_available reads it.
TABLE_INVENTORY = "table_inventory"
