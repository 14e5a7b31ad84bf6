"""The warehouses dbt can build in: the embedded DuckDB (default), Postgres and Spark (profiles.yml's targets)."""

from __future__ import annotations

import argparse
import os
import shutil

from support_kpis.errors import UserError

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


JAVA_HINT = "install a Java 17 runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; or set JAVA_HOME)"


def require_engine(target: str) -> None:
    """One line naming what to install when the target's adapter, driver or runtime is missing."""
    from support_kpis import extras

    if target == POSTGRES:
        extras.require(extras.POSTGRES, "--target postgres")
    elif target == SPARK:
        extras.require(extras.SPARK, "--target spark")
        java_home = os.environ.get("JAVA_HOME")
        if shutil.which("java") is None and not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))):
            raise UserError(
                f"--target spark runs PySpark, which needs Java, and `java` is not on the PATH: {JAVA_HINT}"
            )
