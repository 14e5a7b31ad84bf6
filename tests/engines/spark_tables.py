"""Reading tables of the Spark warehouse under a spark_dir into Python rows, for comparisons in tests.

Spark runs in a child process: only one process may open the Derby metastore at a time (a dbt build holds it while
it runs, and a JVM in the test process would hold it until pytest exits). The child's Spark session is configured
from profiles.yml's `spark` target (its server_side_parameters, rendered with SUPPORT_KPIS_SPARK_DIR), so the
tables are read exactly as dbt wrote them. TZ=UTC: PySpark turns TIMESTAMP values into naive datetimes in the
process's local zone, and the warehouse's timestamps are UTC.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
import yaml

from support_kpis.settings import PROJECT_ROOT

Table = tuple[list[str], list[tuple[Any, ...]]]

_CHILD = r"""
import json, pickle, sys
from pyspark.sql import SparkSession

config, tables, out = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
builder = SparkSession.builder.enableHiveSupport()
for key, value in config.items():
    builder = builder.config(key, value)
spark = builder.getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
result = {}
for name in tables:
    frame = spark.table(name)
    result[name] = (frame.columns, [tuple(row) for row in frame.collect()])
spark.stop()
with open(out, "wb") as stream:
    pickle.dump(result, stream)
"""


def profile_spark_config(spark_dir: Path) -> dict[str, str]:
    """profiles.yml's `spark` server_side_parameters as dbt renders them with SUPPORT_KPIS_SPARK_DIR=spark_dir."""
    document = yaml.safe_load((PROJECT_ROOT / "profiles.yml").read_text(encoding="utf-8"))
    parameters = document["support_kpis"]["outputs"]["spark"]["server_side_parameters"]
    environment = {**os.environ, "SUPPORT_KPIS_SPARK_DIR": str(spark_dir.resolve())}

    def env_var(name: str, default: str | None = None) -> str:
        value = environment.get(name, default)
        if value is None:
            raise KeyError(f"profiles.yml needs env var {name}")
        return value

    renderer = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return {str(k): renderer.from_string(str(v)).render(env_var=env_var) for k, v in parameters.items()}


def read_spark_tables(spark_dir: Path, tables: Sequence[str]) -> dict[str, Table]:
    """Each of `tables` ("schema.name") as (column names, rows), read in one Spark session."""
    with tempfile.TemporaryDirectory(prefix="spark-tables-") as scratch:
        out = Path(scratch) / "rows.pickle"
        config = profile_spark_config(spark_dir)
        env = {**os.environ, "TZ": "UTC", "PYSPARK_PYTHON": sys.executable}
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(config), json.dumps(list(tables)), str(out)],
            cwd=spark_dir,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"reading {list(tables)} from Spark under {spark_dir} failed:\n{result.stderr[-4000:]}")
        with out.open("rb") as stream:
            loaded: dict[str, Table] = pickle.load(stream)
    return loaded
