"""Spark gives the KPIs DuckDB gives: the session's sample loaded with `support-kpis load --target spark` (the
validation gate, then Parquet tables) and built with `support-kpis build --target spark` in New York time with an
as-of inside a month, compared table by table with the DuckDB build of the same data and vars (counts exact, other
numbers 1e-9 relative). One Spark build: in local mode it costs minutes, nearly all of it per-query overhead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engines.cli_runs import run_cli
from tests.engines.tables import KEYS, Rows, differences, duckdb_rows, spark_rows
from tests.kpis.test_match_reference import SHIFTED


@pytest.fixture(scope="module")
def spark_new_york(sample_data: Path, session_dir: Path) -> dict[str, Rows]:
    work = session_dir / "spark-ny"
    work.mkdir()
    env = {"SUPPORT_KPIS_SPARK_DIR": str(work / "spark")}
    loaded = run_cli(["load", str(sample_data), "--target", "spark"], env, work)
    assert "counts reconciled" in loaded.stdout + loaded.stderr
    run_cli(["build", "--target", "spark", "--vars", json.dumps(SHIFTED)], env, work)
    return spark_rows(work / "spark", sorted(KEYS))


@pytest.mark.parametrize("table", sorted(KEYS))
def test_spark_equals_duckdb_in_new_york_time(
    table: str, spark_new_york: dict[str, Rows], duckdb_new_york: Path
) -> None:
    expected = duckdb_rows(duckdb_new_york, table)
    assert expected
    problems = differences(table, expected, spark_new_york[table])
    assert not problems, "\n".join(problems)
