"""Spark as a target: shipping the loader's checked tables into a Spark warehouse as Parquet-backed tables.

The loader checks and types every file in DuckDB exactly as for the embedded warehouse. Shipping writes each staged
table as Parquet with DuckDB's COPY (streamed to disk, never through Python objects), then registers the files as
Spark tables through `dbt run-operation ship_parquet_tables` on the `spark` target: the Spark session is then
exactly the one profiles.yml declares (metastore and tables under SUPPORT_KPIS_SPARK_DIR, session time zone UTC), a
single declaration for loading and building. Spark counts each table's rows, which must equal the staged count.

Timestamps: the loader's TIMESTAMP is naive UTC. They are written as Parquet instants (TIMESTAMPTZ with DuckDB's
zone set to UTC, so the cast adds no offset), which Spark reads as its TIMESTAMP; with the session zone UTC it shows
the same wall time. A naive Parquet timestamp would come in as TIMESTAMP_NTZ, a different type from the one every
model's arithmetic and every timestamp literal has.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path

import duckdb

from support_kpis.dbt_runner import dbt_command
from support_kpis.errors import UserError
from support_kpis.loading.sql import ident, literal
from support_kpis.settings import PROJECT_ROOT
from support_kpis.targets.shipping import ShippedTable, staged_tables

# The folder of the metastore, the tables and the loaded files (settings.spark_dir(); profiles.yml reads it too).
SPARK_DIR_ENV = "SUPPORT_KPIS_SPARK_DIR"
# The Parquet files the Spark tables read: loaded/<schema>/<table>/<shipment>/, the earlier shipments' folders of a
# table removed once the new one is registered.
LOADED_FOLDER = "loaded"
# DuckDB column types the loader writes → what Spark reads back from Parquet with the same values.
SPARK_TYPES = {
    "VARCHAR": "string",
    "TIMESTAMP": "timestamp",
    "BIGINT": "bigint",
    "INTEGER": "int",
    "DATE": "date",
    "DOUBLE": "double",
    "BOOLEAN": "boolean",
}
_SHIPPED_LINE = re.compile(r"support-kpis-shipped (\[.*\])")
_ERROR_LINE = re.compile(r"support-kpis-ship-error: (.*)")
JAVA_MISSING = (
    "Spark needs Java, which is missing: install a Java 17 runtime, e.g. `apt-get install openjdk-17-jre-headless`"
)


def require_java() -> None:
    """PySpark starts a JVM; without one it fails with a long gateway trace, so say it first, in one line."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return
    if shutil.which("java") is None:
        raise UserError(JAVA_MISSING)


def ship(staged_file: Path, schemas: Sequence[str], spark_dir: Path) -> list[ShippedTable]:
    """Replace every table of `schemas` in the Spark warehouse under `spark_dir` with the staged DuckDB file's."""
    require_java()
    spark_dir = spark_dir.resolve()
    shipment = uuid.uuid4().hex
    with duckdb.connect(str(staged_file), read_only=True) as staged:
        staged.execute("SET TimeZone = 'UTC'")
        entries = [
            _write_parquet(staged, schema, table, spark_dir / LOADED_FOLDER / schema / table / shipment)
            for schema, table in staged_tables(staged, schemas)
        ]
    if not entries:
        return []
    # A failure leaves every file in place: tables registered before it read the new files, the others the old.
    shipped = _register(entries, spark_dir)
    for entry in entries:
        # The table's earlier files: the table now reads only this shipment's.
        for earlier in Path(str(entry["location"])).parent.iterdir():
            if earlier.name != shipment:
                shutil.rmtree(earlier, ignore_errors=True)
    return shipped


def _write_parquet(staged: duckdb.DuckDBPyConnection, schema: str, table: str, folder: Path) -> dict[str, object]:
    columns = staged.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        f"WHERE table_schema = {literal(schema)} AND table_name = {literal(table)} ORDER BY ordinal_position"
    ).fetchall()
    selected = []
    for name, kind in columns:
        if str(kind) not in SPARK_TYPES:
            raise UserError(f"{schema}.{table}.{name}: column type {kind} has no Spark counterpart")
        column = ident(str(name))
        selected.append(f"CAST({column} AS TIMESTAMPTZ) AS {column}" if kind == "TIMESTAMP" else column)
    folder.mkdir(parents=True)
    source = f"{ident(schema)}.{ident(table)}"
    staged.execute(
        f"COPY (SELECT {', '.join(selected)} FROM {source}) "
        f"TO {literal(str(folder / 'part-0.parquet'))} (FORMAT parquet)"
    )
    counted = staged.execute(f"SELECT count(*) FROM {source}").fetchone()
    return {"schema": schema, "table": table, "location": str(folder), "rows": int(counted[0]) if counted else 0}


def _register(entries: list[dict[str, object]], spark_dir: Path) -> list[ShippedTable]:
    env = dict(os.environ)
    env[SPARK_DIR_ENV] = str(spark_dir)
    env["SUPPORT_KPIS_DBT_TARGET_NAME"] = "spark"
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # dbt's manifest and logs for this operation stay beside the warehouse, not in the build's target folder.
    env["DBT_TARGET_PATH"] = str(spark_dir / "dbt_target")
    env["DBT_LOG_PATH"] = str(spark_dir / "dbt_target" / "logs")
    arguments = ["run-operation", "ship_parquet_tables", "--args", json.dumps({"tables": entries})]
    result = subprocess.run(dbt_command(arguments), cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise UserError(f"shipping to Spark under {spark_dir} failed: {_reason(output, result.returncode)}")
    match = _SHIPPED_LINE.search(output)
    if match is None:
        raise UserError(f"shipping to Spark under {spark_dir}: dbt reported no shipped tables")
    return [ShippedTable(str(t["schema"]), str(t["table"]), int(t["rows"])) for t in json.loads(match.group(1))]


def _reason(output: str, returncode: int) -> str:
    """The macro's own message when it raised one, else the last line dbt printed about the error."""
    match = _ERROR_LINE.search(output)
    if match:
        return match.group(1).strip()
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or [f"dbt exit {returncode}"])[-1]
