"""Dashboards keep answering while the warehouse is rebuilt: a real Superset reads the published file while the
real CLI builds and publishes again."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from support_kpis.settings import PROJECT_ROOT
from tests.reliability.reliability_cli import CLI, cli_env
from tests.superset.server import RunningSuperset

pytestmark = pytest.mark.slow


def _build_id(published: Path) -> str:
    with duckdb.connect(str(published), read_only=True) as con:
        row = con.execute("select build_id from kpi_build").fetchone()
    assert row is not None
    return str(row[0])


def test_charts_answer_throughout_a_build_and_then_show_the_new_build(
    superset_server: RunningSuperset,
    tmp_path: Path,
) -> None:
    client = superset_server.client()
    charts = [row["id"] for row in client.list_all("chart", ["id"])][:4]
    before = _build_id(superset_server.warehouse)

    # The same data and vars again: the numbers stay, the build changes (other tests keep their sample).
    build = subprocess.Popen(
        [*CLI, "build", "--warehouse", str(superset_server.workspace)],
        cwd=PROJECT_ROOT,
        env=cli_env(tmp_path / "target"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    answers: list[dict[str, Any]] = []
    while build.poll() is None:
        for chart in charts:
            (result,) = client.get_json(f"/api/v1/chart/{chart}/data/")["result"]
            answers.append(result)
        time.sleep(0.1)
    _, stderr = build.communicate()
    assert build.returncode == 0, stderr[-3000:]

    errors = [a.get("error") for a in answers if a.get("error") or not a.get("rowcount")]
    assert errors == []
    assert len(answers) >= 4 * 5  # queried all along a build that takes many seconds
    assert _build_id(superset_server.warehouse) != before
    for chart in charts:  # and after the swap, from the new file
        (result,) = client.get_json(f"/api/v1/chart/{chart}/data/")["result"]
        assert not result.get("error") and result["rowcount"]
