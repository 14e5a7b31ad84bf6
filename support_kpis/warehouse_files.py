"""Opening DuckDB files: why one cannot be opened, in one line a user can act on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import duckdb

from support_kpis.errors import UserError
from support_kpis.loading.os_failures import os_failure

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


def open_error(path: Path, exc: BaseException, action: Literal["read", "write"]) -> str:
    """One line for a DuckDB error raised while opening (or attaching) `path`."""
    text = str(exc).strip()
    first = re.sub(r"^[A-Za-z ]*Error: ", "", text.splitlines()[0] if text else type(exc).__name__)
    lowered = text.lower()
    failure = os_failure(exc)
    if "lock" in lowered:
        holder = _LOCK_HOLDER.search(text)
        who = f" ({holder.group(1).rsplit('/', 1)[-1]}, PID {holder.group(2)})" if holder else ""
        reason = f"it is open in another process{who}; wait for it to finish or stop it, then retry"
    elif failure is not None:
        reason = failure.reason  # the operating system's words: disk full, read-only, permission denied
    elif "no such file or directory" in lowered:
        reason = "its folder does not exist"
    else:
        reason = first
    return f"cannot {action} the warehouse {path}: {reason}"


def check_writable(path: Path) -> None:
    """Fail in one line before a long step when `path` (an existing DuckDB file) cannot be opened for writing."""
    try:
        duckdb.connect(str(path)).close()
    except duckdb.Error as exc:
        raise UserError(open_error(path, exc, "write")) from None
