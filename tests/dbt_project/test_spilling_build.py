"""A build that outgrows DuckDB's memory limit spills to the temp directory and gives the same KPIs.

profiles.yml sets the limit low enough (SUPPORT_KPIS_DUCKDB_MEMORY_LIMIT) for 10M tickets to spill on a small
machine; here a tiny limit makes the session sample spill, which at that size nothing else in the suite does.
(dbt-duckdb re-applies profile `settings` on every cursor, and DuckDB refuses a new temp directory once it has
spilled: the build failed this way at 3M tickets until temp_directory moved to `config_options`.)
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from support_kpis.dbt_runner import run_dbt
from support_kpis.loading import load_folder

pytestmark = pytest.mark.slow

# The session sample (2,500 tickets) needs more than this for several models, and fails outright below ~200MB.
SPILLING_LIMIT = "250MB"


def _kpi_values(warehouse: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select kpi_id, grain, period_start, dimension, dimension_value, value, numerator, denominator, "
            "sample_size from main.kpi_values order by all"
        ).fetchall()


def test_a_build_that_spills_succeeds_with_the_same_kpis(
    sample_data: Path, sample_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORT_KPIS_DUCKDB_MEMORY_LIMIT", SPILLING_LIMIT)
    monkeypatch.setenv("SUPPORT_KPIS_DUCKDB_TEMP_DIRECTORY", str(tmp_path / "spill"))
    warehouse = tmp_path / "spilling.duckdb"
    load_folder(sample_data, warehouse)
    run_dbt(["build"], warehouse=warehouse, target_dir=tmp_path / "target", quiet=True)
    spilled, normal = _kpi_values(warehouse), _kpi_values(sample_warehouse)
    assert len(spilled) == len(normal) > 0
    for a, b in zip(spilled, normal, strict=True):
        assert a[:5] == b[:5] and a[8] == b[8]
        for x, y in zip(a[5:8], b[5:8], strict=True):
            assert (x is None and y is None) or x == pytest.approx(y, rel=1e-9)
