"""`dbt source freshness` runs on every raw table: fresh data passes, an optional table the user did not supply is
never late, and on the (old) sample it reports rather than breaks.

Freshness is not part of `dbt build` (the demo's sample ends on a fixed date, so its daily feeds are stale by
design); it is the command a scheduler runs after each load.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from support_kpis.cli import main
from support_kpis.contract import TABLES
from support_kpis.contract_dbt import INVENTORY_TABLE
from support_kpis.dbt_runner import run_dbt
from support_kpis.errors import UserError
from support_kpis.loading import load_folder

pytestmark = pytest.mark.slow

EVERY_SOURCE = {*TABLES, INVENTORY_TABLE}


def _freshness(target: Path) -> dict[str, str]:
    results = json.loads((target / "sources.json").read_text(encoding="utf-8"))["results"]
    return {result["unique_id"].split(".")[-1]: result["status"] for result in results}


def test_data_loaded_today_is_fresh_and_absent_optional_tables_are_not_late(tmp_path: Path) -> None:
    today = dt.datetime.now(dt.UTC).date()
    data = tmp_path / "data"
    # A month of 300 tickets: every daily feed has rows in its last two days.
    start = (today - dt.timedelta(days=30)).isoformat()
    assert main(["generate", "--tickets", "300", "--start", start, "--end", today.isoformat(), "--out", str(data)]) == 0
    for absent in ("reviews", "engagement_surveys", "kb_articles"):
        (data / f"{absent}.csv").unlink()
    warehouse = tmp_path / "warehouse.duckdb"
    load_folder(data, warehouse)
    target = tmp_path / "target"

    run_dbt(["source", "freshness"], warehouse=warehouse, target_dir=target, quiet=True)

    assert _freshness(target) == dict.fromkeys(EVERY_SOURCE, "pass")


def test_freshness_reports_on_a_built_warehouse_without_a_runtime_error(sample_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy2(sample_warehouse, warehouse)
    target = tmp_path / "target"

    # The sample's daily feeds end on a fixed date: stale (exit 1) once that is a week past.
    with contextlib.suppress(UserError):
        run_dbt(["source", "freshness"], warehouse=warehouse, target_dir=target, quiet=True)

    statuses = _freshness(target)
    assert set(statuses) == EVERY_SOURCE
    assert set(statuses.values()) <= {"pass", "warn", "error"}
    # Loaded during this test session: everything judged by its load time is fresh.
    assert statuses[INVENTORY_TABLE] == statuses["agents"] == statuses["sla_policies"] == "pass"
