"""Run dbt on the project, pointed at a warehouse, as a child process.

A child process keeps dbt's logging and global state out of ours, and lets the
benchmark measure dbt's own peak memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from support_kpis.errors import UserError
from support_kpis.settings import PROJECT_ROOT


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_environment(warehouse: Path, target_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["SUPPORT_KPIS_DUCKDB"] = str(warehouse.resolve())
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    if target_dir is not None:
        env["DBT_TARGET_PATH"] = str(target_dir)
        env["DBT_LOG_PATH"] = str(target_dir / "logs")
    return env


def dbt_command(arguments: Sequence[str], *, dbt_vars: Mapping[str, Any] | None = None) -> list[str]:
    command = [dbt_executable(), *arguments, "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    if dbt_vars:
        command += ["--vars", json.dumps(dict(dbt_vars))]
    return command


def run_dbt(
    arguments: Sequence[str],
    *,
    warehouse: Path,
    dbt_vars: Mapping[str, Any] | None = None,
    target_dir: Path | None = None,
    quiet: bool = False,
) -> None:
    """Run one dbt command; a failure becomes a one-line UserError (dbt has printed the details)."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    command = dbt_command(arguments, dbt_vars=dbt_vars)
    if quiet:
        command.insert(1, "--quiet")
    completed = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=dbt_environment(warehouse, target_dir),
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        if quiet and completed.stdout:
            print(completed.stdout, file=sys.stderr)
        raise UserError(
            f"dbt {arguments[0]} failed (exit {completed.returncode}); its output above names the model or test"
        )
