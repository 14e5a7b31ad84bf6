"""Running the real `support-kpis` CLI (and plain dbt) in a child process, as a user would, and reading its answer.

Tests run as root in CI, and root ignores permission bits. Rather than switching to another user (who could not
read the interpreter under /root), `as_ordinary_user` drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH in the child
before it starts: the kernel then applies permission bits to it as to anyone, with no mock and no mount.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from support_kpis.dbt_runner import dbt_executable
from support_kpis.settings import PROJECT_ROOT

PYTHON = str(PROJECT_ROOT / ".venv" / "bin" / "python") if (PROJECT_ROOT / ".venv").exists() else sys.executable
CLI = [PYTHON, "-m", "support_kpis.cli"]

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


def cli_env(target_dir: Path | None = None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a CLI run: this checkout's code, and dbt's target folder of its own when given."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    if target_dir is not None:
        env["SUPPORT_KPIS_DBT_TARGET"] = str(target_dir)
    env.update(extra or {})
    return env


def run_cli(
    *args: str,
    env: Mapping[str, str] | None = None,
    preexec: Callable[[], None] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=dict(env or cli_env()),
        preexec_fn=preexec,
        check=False,
        timeout=timeout,
    )


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines that report an error; fails on a stack trace anywhere in the output."""
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr[-3000:]
    return [line for line in result.stderr.splitlines() if "error" in line.lower()]


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one error line of a failed run; fails on a traceback, a zero exit, or more than one error line."""
    lines = [line for line in error_lines(result) if ": error:" in line]
    assert len(lines) == 1, result.stderr[-3000:]
    assert result.returncode != 0
    return lines[0]


def load(data: Path, warehouse: Path, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("load", str(data), "--warehouse", str(warehouse), preexec=preexec)


def plain_dbt(warehouse: Path, target: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """dbt run directly, as an analytics engineer would, without the CLI's checks."""
    env = {**os.environ, "SUPPORT_KPIS_DUCKDB": str(warehouse), "DBT_TARGET_PATH": str(target)}
    env["DBT_LOG_PATH"] = str(target / "logs")
    command = [dbt_executable(), *arguments, "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600)


def as_ordinary_user() -> None:
    """preexec_fn: permission bits apply to the child even when the tests run as root."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def with_file_size_limit(limit_bytes: int) -> Callable[[], None]:
    """preexec_fn: no file may grow past `limit_bytes`; a write beyond fails with EFBIG ("File too large")."""

    def limit() -> None:
        # Ignored, SIGXFSZ no longer kills the process: the write returns EFBIG, like a full disk returns ENOSPC.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, hard))

    return limit
