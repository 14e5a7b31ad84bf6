"""Loading into Postgres or Spark: the loader checks and types the files into a staging DuckDB file, exactly as for
the embedded warehouse (same type rules, quarantine and reconciliation), then every staged table is shipped to the
target and its row count reconciled there. The staging file is deleted afterwards, shipped or not.

`load --append --target postgres` first pulls Postgres's raw and quarantine schemas into the staging file as they
are (targets/postgres_pull.py), appends the batch there as on the embedded warehouse, then ships the same way: one
transaction, so a failed append or shipment leaves Postgres as it was.

On Spark the Great Expectations gate runs on the staging file before shipping (Spark's Parquet tables cannot have
rows moved out of them in place, so `validate --target spark` has nothing to do after the load).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from support_kpis.errors import UserError
from support_kpis.loading.load_source import loaded_source
from support_kpis.loading.sql import literal
from support_kpis.progress import say, step
from support_kpis.settings import spark_dir, warehouse_path
from support_kpis.targets import POSTGRES, SPARK

# DuckDB's own schemas in the staging file: nothing the loader wrote.
_NOT_SHIPPED = ("main", "information_schema", "pg_catalog")


@contextmanager
def staging_warehouse(target: str) -> Iterator[Path]:
    """A fresh DuckDB file beside the default warehouse (big loads spill there), removed at the end."""
    parent = warehouse_path().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f".staging-{target}-", dir=parent))
    except OSError as exc:
        raise UserError(f"cannot stage the load in {parent}: {exc.strerror}") from None
    try:
        yield folder / "staging.duckdb"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def staged_schemas(staged: Path) -> list[str]:
    with duckdb.connect(str(staged), read_only=True) as con:
        rows = con.execute(
            "SELECT DISTINCT table_schema FROM information_schema.tables "
            f"WHERE table_schema NOT IN ({', '.join(literal(s) for s in _NOT_SHIPPED)}) ORDER BY 1"
        ).fetchall()
    return [str(row[0]) for row in rows]


def gate_before_shipping(staged: Path) -> None:
    """The validation gate on the staged tables; a failed gate ships nothing."""
    from support_kpis.validation.gate import ValidationFailed, validate_warehouse
    from support_kpis.validation.options import ValidationOptions, default_report_dir

    report = validate_warehouse(staged, ValidationOptions(report_dir=default_report_dir().resolve()))
    print(report.summary())
    if not report.success:
        raise ValidationFailed(f"{report.failure_line()}; nothing was shipped to Spark")


# Local Spark's record of the last load's source, beside its tables: what raw.table_inventory's loaded_at tells on
# DuckDB and Postgres, without starting a Spark session to read it.
SPARK_SOURCE_FILE = "last_load_source"


def record_spark_source(source: str) -> None:
    (spark_dir() / SPARK_SOURCE_FILE).write_text(source + "\n", encoding="utf-8")


def spark_loaded_source() -> str:
    """The source of the last `load --target spark` into this Spark folder; `contract` when none is recorded."""
    path = spark_dir() / SPARK_SOURCE_FILE
    return path.read_text(encoding="utf-8").strip() if path.exists() else "contract"


def pull_for_append(target: str, staged: Path) -> None:
    """Fill the staging file with what the target holds, for the batch to be appended to it (Postgres only)."""
    if target != POSTGRES:
        raise ValueError(target)
    from support_kpis.targets.postgres import Connection
    from support_kpis.targets.postgres_pull import PULLED_SCHEMAS, pull

    where = Connection.from_environment().describe()
    with step(f"pulling {', '.join(PULLED_SCHEMAS)} from Postgres at {where} (COPY, one snapshot)"):
        pulled = pull(staged)
    rows = sum(table.rows for table in pulled)
    say(f"Pulled {len(pulled)} tables ({rows:,} rows, counts reconciled) from {target} at {where}.")


def ship_staged(target: str, staged: Path) -> None:
    schemas = staged_schemas(staged)
    if target == POSTGRES:
        from support_kpis.targets.postgres import Connection, ship

        where = Connection.from_environment().describe()
        with step(f"shipping {', '.join(schemas)} to Postgres at {where} (COPY, one transaction)"):
            shipped = ship(staged, schemas)
    elif target == SPARK:
        from support_kpis.targets.spark import ship as ship_to_spark

        gate_before_shipping(staged)
        where = str(spark_dir())
        with step(f"shipping {', '.join(schemas)} to Spark tables under {where} (Parquet)"):
            shipped = ship_to_spark(staged, schemas, spark_dir())
        record_spark_source(loaded_source(staged))
    else:
        raise ValueError(target)
    rows = sum(table.rows for table in shipped)
    say(f"Shipped {len(shipped)} tables ({rows:,} rows, counts reconciled) to {target} at {where}.")
