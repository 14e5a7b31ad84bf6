"""Running the real `support-kpis` CLI in a child process, as a user would, and reading its answer."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from support_kpis.settings import PROJECT_ROOT

PYTHON = str(PROJECT_ROOT / ".venv" / "bin" / "python") if (PROJECT_ROOT / ".venv").exists() else sys.executable
CLI = [PYTHON, "-m", "support_kpis.cli"]


def cli_env(target_dir: Path | None = None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a CLI run: dbt's target folder of its own, so parallel runs never share one."""
    env = dict(os.environ)
    if target_dir is not None:
        env["SUPPORT_KPIS_DBT_TARGET"] = str(target_dir)
    env.update(extra or {})
    return env


def run_cli(*args: str, env: Mapping[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, cwd=PROJECT_ROOT, env=dict(env or os.environ), timeout=timeout
    )


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one error line of a failed run; fails the test on a traceback or on more than one error line."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    lines = [line for line in result.stderr.splitlines() if ": error:" in line]
    assert len(lines) == 1, result.stderr[-3000:]
    assert result.returncode != 0
    return lines[0]
