"""Run dbt on the project, pointed at a warehouse, as a child process.

A child process keeps dbt's logging and global state out of ours, and lets the
benchmark measure dbt's own peak memory. The child never outlives us: it holds
the warehouse's write lock, and an orphaned dbt would lock every later command out.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support_kpis.dbt_vars import check_vars
from support_kpis.errors import UserError
from support_kpis.extras import PLANNING, is_installed
from support_kpis.settings import PROJECT_ROOT, dbt_target_dir, spark_dir
from support_kpis.targets import DUCKDB, TARGET_ENV

# How long dbt gets to cancel its queries after we are interrupted, before it is killed.
CANCEL_GRACE_SECONDS = 15.0
_PR_SET_PDEATHSIG = 1


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_environment(warehouse: Path, target_dir: Path | None = None, engine: str = DUCKDB) -> dict[str, str]:
    env = dict(os.environ)
    env["SUPPORT_KPIS_DUCKDB"] = str(warehouse.resolve())
    env[TARGET_ENV] = engine
    # profiles.yml's fallback is 2 threads, for a bare `dbt build`; through the CLI DuckDB uses every core.
    env.setdefault("SUPPORT_KPIS_DUCKDB_THREADS", str(os.cpu_count() or 2))
    # profiles.yml would resolve a relative folder from dbt's working directory, not the user's.
    env["SUPPORT_KPIS_SPARK_DIR"] = str(spark_dir())
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    if target_dir is not None:
        env["DBT_TARGET_PATH"] = str(target_dir)
        env["DBT_LOG_PATH"] = str(target_dir / "logs")
    return env


def dbt_command(arguments: Sequence[str], *, dbt_vars: Mapping[str, Any] | None = None) -> list[str]:
    command = [dbt_executable(), *arguments, "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    dbt_vars = with_planning_switch(dbt_vars)
    if dbt_vars:
        command += ["--vars", json.dumps(check_vars(dbt_vars))]
    return command


def with_planning_switch(dbt_vars: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """Without the planning extra, its dbt Python models would fail the build on their imports: turn them off
    (unless the caller decided). The demo's forecast summary then says they were not built."""
    if is_installed(PLANNING) or (dbt_vars and "planning" in dbt_vars):
        return dbt_vars
    return {**(dbt_vars or {}), "planning": False}


@dataclass(frozen=True)
class DbtRun:
    """What one dbt invocation did, from its run_results.json."""

    invocation_id: str | None
    statuses: dict[str, str]  # unique_id -> status (success, pass, warn, error, fail, skipped, ...)

    @property
    def selected_nothing(self) -> bool:
        return not self.statuses


def _die_with_parent(parent: int) -> None:
    """In the child, before exec: ask Linux for SIGTERM when the parent dies, however it dies (kill -9 included)."""
    # A CLI started in the background of a script inherits SIGINT ignored, and so would dbt, which would then run
    # on after `_stop` asks it to cancel; dbt must always hear our Ctrl-C.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _stop(process: subprocess.Popen[str]) -> None:
    """Interrupt dbt the way Ctrl-C does (it cancels its queries and lets go of the warehouse), then kill it."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=CANCEL_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _read_run(target: Path) -> DbtRun:
    path = target / "run_results.json"
    if not path.exists():
        return DbtRun(None, {})
    document = json.loads(path.read_text(encoding="utf-8"))
    statuses = {str(r["unique_id"]): str(r["status"]) for r in document.get("results", [])}
    return DbtRun(document.get("metadata", {}).get("invocation_id"), statuses)


def run_dbt(
    arguments: Sequence[str],
    *,
    warehouse: Path,
    dbt_vars: Mapping[str, Any] | None = None,
    target_dir: Path | None = None,
    quiet: bool = False,
    engine: str = DUCKDB,
) -> DbtRun:
    """Run one dbt command; a failure becomes a one-line UserError (dbt has printed the details)."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    command = dbt_command(arguments, dbt_vars=dbt_vars)
    if quiet:
        command.insert(1, "--quiet")
    target = target_dir or dbt_target_dir()
    # A stale file from an earlier command must not be read as this one's results.
    (target / "run_results.json").unlink(missing_ok=True)
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=dbt_environment(warehouse, target, engine),
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
        text=True,
        preexec_fn=functools.partial(_die_with_parent, os.getpid()),
    )
    try:
        output, _ = process.communicate()
    except BaseException:
        _stop(process)
        raise
    if process.returncode != 0:
        if quiet and output:
            print(output, file=sys.stderr)
        raise UserError(
            f"dbt {arguments[0]} failed (exit {process.returncode}); its output above names the model or test"
        )
    return _read_run(target)
