"""Builds are atomic for readers: during a build, and after a failed or killed one, readers see one complete build.

Everything here is the real CLI in child processes (generate, load, build, publish), the real dbt build on DuckDB,
and readers in processes of their own, as Superset and users are.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from support_kpis.dbt_runner import dbt_executable
from support_kpis.dbt_vars import CHECKS, check_vars, defaults
from support_kpis.settings import PROJECT_ROOT, published_path
from tests.reliability.reliability_cli import CLI, PYTHON, cli_env, error_line, plain_dbt, run_cli

NEW_YORK = json.dumps({"reporting_timezone": "America/New_York"})


@dataclass(frozen=True)
class Snapshot:
    """What a reader of the published file sees: which build, and a fingerprint of every KPI value."""

    build: str
    rows: int
    checksum: str


# Tells the builds a reader saw apart (exact: a reader reads the very file the snapshot was taken of).
SNAPSHOT_SQL = (
    "select (select build_id from kpi_build), count(*), "
    "cast(sum(hash(kpi_id, grain, period_start, dimension, dimension_value, value)) as varchar) from kpi_values"
)

# A reader in its own process (DuckDB locks are per process), opening the published file as Superset does.
READER = f"""
import duckdb, json, os, sys, time
path, stop = sys.argv[1], sys.argv[2]
while not os.path.exists(stop):
    try:
        with duckdb.connect(path, read_only=True) as con:
            row = con.execute({SNAPSHOT_SQL!r}).fetchone()
        print(json.dumps({{"ok": True, "snapshot": [row[0], row[1], row[2]]}}), flush=True)
    except Exception as exc:
        print(json.dumps({{"ok": False, "error": str(exc).splitlines()[0]}}), flush=True)
    time.sleep(0.05)
"""


def snapshot(published: Path) -> Snapshot:
    with duckdb.connect(str(published), read_only=True) as con:
        row = con.execute(SNAPSHOT_SQL).fetchone()
    assert row is not None
    return Snapshot(str(row[0]), int(row[1]), str(row[2]))


def kpi_values(published: Path) -> dict[tuple[object, ...], float | None]:
    with duckdb.connect(str(published), read_only=True) as con:
        rows = con.execute(
            "select kpi_id, grain, period_start, dimension, dimension_value, value from kpi_values"
        ).fetchall()
    return {row[:5]: row[5] for row in rows}


def assert_same_kpi_values(a: Path, b: Path) -> None:
    """Two builds of the same data and vars agree (to float noise: parallel sums may differ in the last bits)."""
    first, second = kpi_values(a), kpi_values(b)
    assert first.keys() == second.keys()
    differing = {
        key: (first[key], second[key])
        for key in first
        if (first[key] is None) != (second[key] is None)
        or (first[key] is not None and not math.isclose(first[key], second[key], rel_tol=1e-9, abs_tol=1e-9))  # type: ignore[arg-type]
    }
    assert differing == {}


def assert_a_complete_build_publishes_again(
    warehouse: Path, env: dict[str, str], before: Snapshot, original: Path
) -> None:
    """A complete build of the same data publishes a new build with the KPI values of the original one."""
    rebuilt = run_cli("build", "--warehouse", str(warehouse), env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    published = published_path(warehouse)
    assert snapshot(published).build != before.build
    assert_same_kpi_values(original, published)


def run_log(warehouse: Path) -> list[tuple[str, str, str | None]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select command, status, selection from ops.dbt_runs order by started_at").fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sample, loaded and built (and so published) once through the CLI; tests work on copies."""
    work = tmp_path_factory.mktemp("atomic-builds")
    data, warehouse = work / "data", work / "warehouse.duckdb"
    env = cli_env(work / "target")
    for args in (
        ("generate", "--tickets", "400", "--seed", "5", "--out", str(data)),
        ("load", str(data), "--warehouse", str(warehouse)),
        ("build", "--warehouse", str(warehouse)),
    ):
        result = run_cli(*args, env=env)
        assert result.returncode == 0, result.stderr[-3000:]
    return warehouse


@pytest.fixture
def warehouse(built: Path, tmp_path: Path) -> Path:
    """A copy of the built warehouse and its published file, for a test to change."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(built, copy)
    shutil.copy(published_path(built), published_path(copy))
    return copy


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path / "target")


@dataclass
class Reader:
    process: subprocess.Popen[str]
    stop_file: Path

    def finish(self) -> list[dict[str, object]]:
        self.stop_file.touch()
        output, _ = self.process.communicate(timeout=60)
        return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.fixture
def reader(warehouse: Path, tmp_path: Path) -> Iterator[Reader]:
    stop_file = tmp_path / "stop-reading"
    process = subprocess.Popen(
        [PYTHON, "-c", READER, str(published_path(warehouse)), str(stop_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    handle = Reader(process, stop_file)
    yield handle
    if process.poll() is None:
        stop_file.touch()
        process.kill()
        process.wait()


def test_a_reader_keeps_reading_the_last_good_build_throughout_a_build(
    warehouse: Path, env: dict[str, str], reader: Reader
) -> None:
    published = published_path(warehouse)
    before = snapshot(published)
    result = run_cli("build", "--warehouse", str(warehouse), "--vars", NEW_YORK, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    after = snapshot(published)
    time.sleep(0.5)  # a few reads of the new build too
    reads = reader.finish()

    failures = [r["error"] for r in reads if not r["ok"]]
    assert failures == []
    assert after.build != before.build and after.checksum != before.checksum  # New York days differ from UTC days
    seen = [Snapshot(*r["snapshot"]) for r in reads]  # type: ignore[misc]
    # Every read is one whole build, the old or the new: never a mix, never an error.
    assert set(seen) == {before, after}
    assert sum(s == before for s in seen) > 20  # the build took seconds and the reader never stopped


def _dbt_log_lines(target: Path, text: str) -> int:
    log = target / "logs" / "dbt.log"
    return log.read_text(encoding="utf-8", errors="replace").count(text) if log.exists() else 0


def _processes_using(target: Path) -> list[int]:
    """Live processes whose environment points dbt at `target` (the build's dbt, if it outlived its parent)."""
    found = []
    marker = f"DBT_TARGET_PATH={target}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("stop_signal", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "kill"])
def test_a_build_killed_midway_leaves_the_last_good_results_and_no_orphan(
    warehouse: Path, env: dict[str, str], tmp_path: Path, stop_signal: signal.Signals
) -> None:
    published = published_path(warehouse)
    before, inode = snapshot(published), published.stat().st_ino
    original = shutil.copy(published, tmp_path / "original.duckdb")
    target = tmp_path / "target"
    build = subprocess.Popen(
        [*CLI, "build", "--warehouse", str(warehouse), "--vars", NEW_YORK],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    # Midway: some models are rebuilt (with New York days), the rest are still the old build's.
    while _dbt_log_lines(target, " OK created ") < 20 and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.2)
    assert build.poll() is None, "the build finished before it could be killed"
    assert _processes_using(target), "dbt is not running"
    os.kill(build.pid, stop_signal)
    _, stderr = build.communicate(timeout=60)
    assert "Traceback" not in stderr
    if stop_signal == signal.SIGTERM:
        assert build.returncode == 130 and "interrupted" in stderr

    # dbt went with its parent, so the warehouse is free again.
    deadline = time.monotonic() + 30
    while _processes_using(target) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_using(target) == []
    duckdb.connect(str(warehouse)).close()

    assert published.stat().st_ino == inode and snapshot(published) == before
    assert run_log(warehouse)[-1][:2] == ("build", "running")  # its end was never recorded
    refused = run_cli("publish", "--warehouse", str(warehouse), env=env)
    assert "did not finish" in error_line(refused)
    assert snapshot(published) == before

    assert_a_complete_build_publishes_again(warehouse, env, before, Path(original))


def test_a_failed_build_publishes_nothing_until_a_complete_build_succeeds(
    warehouse: Path, env: dict[str, str], tmp_path: Path
) -> None:
    published = published_path(warehouse)
    before = snapshot(published)
    original = shutil.copy(published, tmp_path / "original.duckdb")
    # A value the CLI would refuse, given straight to dbt: it fails after dozens of models are rebuilt.
    failed = plain_dbt(warehouse, tmp_path / "dbt", "build", "--vars", json.dumps({"reporting_timezone": "Mars/Base"}))
    assert failed.returncode != 0 and " OK created " in failed.stdout
    assert run_log(warehouse)[-1][:2] == ("build", "error")
    assert "failed" in error_line(run_cli("publish", "--warehouse", str(warehouse), env=env))

    # A partial build cannot repair what the failed one left: it succeeds, but nothing is published.
    partial = run_cli("build", "--warehouse", str(warehouse), "--select", "kpi_catalog", env=env)
    assert "run a complete `support-kpis build`" in error_line(partial)
    assert snapshot(published) == before

    assert_a_complete_build_publishes_again(warehouse, env, before, Path(original))


def test_plain_dbt_build_then_publish(warehouse: Path, env: dict[str, str], tmp_path: Path) -> None:
    published = published_path(warehouse)
    before = snapshot(published)
    built = plain_dbt(warehouse, tmp_path / "dbt", "build", "--vars", NEW_YORK)
    assert built.returncode == 0, built.stdout[-3000:]
    assert snapshot(published) == before  # dbt alone changes the warehouse, not what readers see
    result = run_cli("publish", "--warehouse", str(warehouse), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    after = snapshot(published)
    assert after.build != before.build and after.checksum != before.checksum
    with duckdb.connect(str(published), read_only=True) as con:
        (timezone, as_of_at, vars_text) = con.execute(
            "select reporting_timezone, as_of_at, vars from kpi_build"
        ).fetchone() or (None, None, None)
        tables = {name for (name,) in con.execute("select table_name from information_schema.tables").fetchall()}
    assert timezone == "America/New_York" and as_of_at is not None
    assert json.loads(str(vars_text))["reporting_timezone"] == "America/New_York"
    # What readers get: the marts and the build record; the loader's and dbt's working tables stay behind.
    assert {"kpi_values", "kpi_catalog", "kpi_scorecard", "fct_tickets", "agent_leaderboard", "kpi_build"} <= tables
    assert not tables & {"stg_tickets", "int_reporting_bounds_computed", "dbt_runs", "tickets"}


def test_a_partial_build_after_a_complete_one_is_published(warehouse: Path, env: dict[str, str]) -> None:
    before = snapshot(published_path(warehouse))
    result = run_cli("build", "--warehouse", str(warehouse), "--select", "kpi_catalog", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    with duckdb.connect(str(published_path(warehouse)), read_only=True) as con:
        assert con.execute("select selection from kpi_build").fetchall() == [("--select kpi_catalog",)]
    assert snapshot(published_path(warehouse)).build != before.build


def test_bad_vars_are_refused_before_dbt_starts(warehouse: Path, env: dict[str, str]) -> None:
    runs = run_log(warehouse)
    cases = {
        '{"reporting_timezone": "Mars/Base"}': "reporting_timezone",
        '{"as_of": "2026-10-01T10:00:00+25:00"}': "as_of",
        '{"gross_margin_pct": "high"}': "gross_margin_pct",
        '{"leaderboard_weights": {"csat": 1}}': "leaderboard_weights",
        '{"reporting_time_zone": "UTC"}': "unknown var",
        "[1, 2]": "JSON object",
    }
    for given, named in cases.items():
        line = error_line(run_cli("build", "--warehouse", str(warehouse), "--vars", given, env=env))
        assert named in line, line
    assert run_log(warehouse) == runs  # dbt never started


def test_every_project_var_has_a_check_and_its_default_passes() -> None:
    assert set(CHECKS) == set(defaults())
    assert check_vars(defaults()) == defaults()


def test_a_selection_matching_nothing_fails(warehouse: Path, env: dict[str, str]) -> None:
    before = snapshot(published_path(warehouse))
    line = error_line(run_cli("build", "--warehouse", str(warehouse), "--select", "no_such_model", env=env))
    assert "matches no model" in line and "unchanged" in line
    assert snapshot(published_path(warehouse)) == before


@contextmanager
def held_by_another_process(hold: str) -> Iterator[int]:
    """Run Python `hold` (which takes a lock) in a child process until the block ends; yields the child's pid."""
    holder = subprocess.Popen(
        [PYTHON, "-c", f"import time\n{hold}\nprint('held', flush=True)\ntime.sleep(120)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()


def test_a_locked_warehouse_is_one_line_for_every_command(built: Path, warehouse: Path, env: dict[str, str]) -> None:
    with held_by_another_process(f"import duckdb; con = duckdb.connect({str(warehouse)!r})") as pid:
        for args in (("build",), ("publish",), ("validate",), ("load", str(built.parent / "data"))):
            line = error_line(run_cli(*args, "--warehouse", str(warehouse), env=env))
            assert "open in another process" in line and f"PID {pid}" in line, line


def _fresh_clone(destination: Path) -> Path:
    """The files a fresh clone of this commit has: tracked ones, and new ones not ignored (still to commit)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def test_dbt_build_first_on_a_fresh_clone_says_what_to_run_first(tmp_path: Path) -> None:
    clone = _fresh_clone(tmp_path / "clone")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPPORT_KPIS_", "DBT_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [dbt_executable(), "build"], cwd=clone, env=env, capture_output=True, text=True, timeout=600
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    (line,) = [line for line in output.splitlines() if "no raw data in" in line]
    assert "warehouse/support_kpis.duckdb" in line and "./run demo" in line and "./run load DIR" in line
    assert " OK created " not in output  # stopped before any model


def test_one_publish_at_a_time(warehouse: Path, env: dict[str, str]) -> None:
    published = published_path(warehouse)
    lock = published.with_name(f".{published.name}.lock")
    before = snapshot(published)
    with held_by_another_process(f"import fcntl; f = open({str(lock)!r}, 'a'); fcntl.flock(f, fcntl.LOCK_EX)"):
        line = error_line(run_cli("publish", "--warehouse", str(warehouse), env=env))
        assert "being published by another process" in line
        assert snapshot(published) == before
    assert run_cli("publish", "--warehouse", str(warehouse), env=env).returncode == 0
