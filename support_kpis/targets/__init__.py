"""The warehouses dbt can build in: the embedded DuckDB (default), Postgres and Spark (profiles.yml's targets)."""

from __future__ import annotations

import argparse
import os

DUCKDB, POSTGRES, SPARK = "duckdb", "postgres", "spark"
TARGETS = (DUCKDB, POSTGRES, SPARK)
# profiles.yml picks its target from this variable; the CLI's --target sets it for dbt.
TARGET_ENV = "SUPPORT_KPIS_DBT_TARGET_NAME"


def default_target() -> str:
    value = os.environ.get(TARGET_ENV, DUCKDB)
    return value if value in TARGETS else DUCKDB


def add_target_argument(parser: argparse.ArgumentParser, *, choices: tuple[str, ...] = TARGETS) -> None:
    parser.add_argument(
        "--target",
        choices=choices,
        default=default_target(),
        help=f"warehouse engine, a profiles.yml target (default: ${TARGET_ENV} or duckdb); postgres reads "
        "PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE, spark runs in this process with its tables under "
        "$SUPPORT_KPIS_SPARK_DIR (default warehouse/spark)",
    )
