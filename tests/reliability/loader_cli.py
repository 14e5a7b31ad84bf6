"""Running the real `support-kpis` CLI in a subprocess, optionally under the limits an ordinary user meets.

Tests run as root in CI, and root ignores permission bits. Rather than switching to another user (who could not
read the interpreter under /root), the child drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH before it starts:
the kernel then applies permission bits to it as to anyone, with no mock and no mount.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from support_kpis.settings import PROJECT_ROOT

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


def run_cli(*args: str, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    python = PROJECT_ROOT / ".venv" / "bin" / "python"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run(
        [str(python if python.exists() else sys.executable), "-m", "support_kpis.cli", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        preexec_fn=preexec,
        check=False,
        timeout=600,
    )


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines that report an error; fails on a stack trace anywhere in the output."""
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    return [line for line in result.stderr.splitlines() if "error" in line.lower()]


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


def load(data: Path, warehouse: Path, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("load", str(data), "--warehouse", str(warehouse), preexec=preexec)
