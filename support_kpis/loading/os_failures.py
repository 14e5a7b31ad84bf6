"""The operating system's reason inside a DuckDB I/O error: a full disk, a file size limit, a read-only place.

DuckDB reports these as text (`Could not write file "x.duckdb.wal": No space left on device`); the reason is the
C library's message for the error number, so it is found by those messages rather than by DuckDB's wording.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path

_ERRNOS = (
    errno.ENOSPC,
    errno.EFBIG,
    errno.EDQUOT,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EIO,
    errno.ENOTDIR,
    errno.EISDIR,
)
REASONS = tuple(os.strerror(code) for code in _ERRNOS)
_PATH = re.compile(r'(?:file|directory) "([^"]+)"')


@dataclass(frozen=True)
class OsFailure:
    reason: str  # e.g. "No space left on device"
    path: str | None  # the file DuckDB was using, when it says

    def is_about(self, path: Path) -> bool:
        return self.path is not None and Path(self.path).resolve() == path.resolve()


def os_failure(exc: BaseException) -> OsFailure | None:
    text = str(exc)
    reason = next((r for r in REASONS if r in text), None)
    if reason is None:
        return None
    match = _PATH.search(text)
    return OsFailure(reason, match.group(1) if match else None)
