"""`support-kpis bench` end to end on a small size: its table, dbt's slowest nodes, and alternating A/B builds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support_kpis.commands.bench import slowest_nodes
from tests.reliability.reliability_cli import cli_env, run_cli

pytestmark = pytest.mark.slow

TICKETS = 300
ROW = re.compile(
    r"^\| 300 \| (?P<phase>[a-z AB]+) \| (?P<wall>[0-9.]+) \| [0-9,]+ \| (?P<rss>[0-9,]+) \| (?P<load>[0-9.]+) \|$"
)


def _rows(output: str) -> list[dict[str, str]]:
    return [match.groupdict() for line in output.splitlines() if (match := ROW.match(line))]


def test_bench_records_phases_slowest_nodes_and_paired_builds(tmp_path: Path) -> None:
    work, record = tmp_path / "work", tmp_path / "BENCH.md"
    env = cli_env(tmp_path / "target")
    args = ["--tickets", str(TICKETS), "--work-dir", str(work), "--record", str(record)]
    first = run_cli("bench", *args, env=env, timeout=900)
    assert first.returncode == 0, first.stderr[-3000:]
    phases = _rows(first.stdout)
    assert [p["phase"] for p in phases] == ["generate", "load", "dbt build", "publish"]
    assert all(float(p["wall"]) > 0 and int(p["rss"].replace(",", "")) > 0 for p in phases)
    # The slowest nodes are dbt's own figures for this build, in descending order.
    nodes = slowest_nodes(work / f"t{TICKETS}" / "target" / "run_results.json")
    assert len(nodes) == 5 and [s for s, _ in nodes] == sorted((s for s, _ in nodes), reverse=True)
    line = next(line for line in first.stdout.splitlines() if line.startswith("Slowest dbt nodes, dbt build"))
    assert f"{nodes[0][1]} {nodes[0][0]:.1f} s" in line
    recorded = record.read_text(encoding="utf-8")
    assert f"`./run bench --tickets {TICKETS}`" in recorded and line in recorded
    latest = json.loads((work / "latest.json").read_text(encoding="utf-8"))
    assert [p["phase"] for p in latest] == ["generate", "load", "dbt build", "publish"]

    business_time_off = '{"using_business_time": false}'
    paired = run_cli(
        "bench", *args, "--build-only", "--compare-vars", business_time_off, "--pairs", "1", env=env, timeout=900
    )
    assert paired.returncode == 0, paired.stderr[-3000:]
    runs = _rows(paired.stdout)
    assert [r["phase"] for r in runs] == ["dbt build A", "dbt build B"]
    summary = next(line for line in paired.stdout.splitlines() if "alternating pair" in line)
    walls = [float(r["wall"]) for r in runs]
    ratio = float(re.search(r"A/B wall ratio ([0-9.]+)", summary).group(1))  # type: ignore[union-attr]
    assert ratio == pytest.approx(walls[0] / walls[1], abs=0.01)
    assert "load average at the start of each run" in summary
    assert "--compare-vars '" + business_time_off + "' --pairs 1" in record.read_text(encoding="utf-8")


def test_paired_builds_need_a_loaded_warehouse(tmp_path: Path) -> None:
    result = run_cli("bench", "--tickets", "10", "--work-dir", str(tmp_path), "--compare-vars", "{}",
                     env=cli_env(tmp_path / "target"))  # fmt: skip
    assert result.returncode != 0
    assert "--compare-vars runs paired builds on a warehouse already loaded: add --build-only" in result.stderr
    assert "Traceback" not in result.stderr
