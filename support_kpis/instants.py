"""ISO 8601 instants as the data contract writes them, shared by the loader's SQL rule and the command line.

An offset is `Z` or `±HH[[:]MM]` within ±14:00, the widest offset in use anywhere (Kiribati, UTC+14), with minutes
00-59. Without this bound `+25:00` or `+05:99` would quietly shift an instant by a day or an hour: both DuckDB and
Python accept such offsets.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

MAX_OFFSET = "14:00"
OFFSET_PATTERN = r"(Z|[+-]((0\d|1[0-3])(:?[0-5]\d)?|14(:?00)?))"
# The same text in both engines: DuckDB's RE2 and Python's re (both matched case-insensitively).
TIMESTAMP_PATTERN = rf"\d{{4}}-\d{{2}}-\d{{2}}([T ]\d{{2}}:\d{{2}}(:\d{{2}}(\.\d+)?)?)?{OFFSET_PATTERN}?"
TIMESTAMP_FORMAT = f"an ISO 8601 timestamp (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+HH:MM], offsets within ±{MAX_OFFSET})"

_TIMESTAMP = re.compile(TIMESTAMP_PATTERN, re.IGNORECASE)


def parse_instant(text: str) -> datetime:
    """A date or timestamp as naive UTC; an offset is converted, a value without one is taken as UTC.

    Raises ValueError for anything else, including an offset beyond ±14:00 or minutes over 59.
    """
    value = text.strip()
    if not _TIMESTAMP.fullmatch(value):
        raise ValueError(f"not {TIMESTAMP_FORMAT}: {text!r}")
    parsed = datetime.fromisoformat(value.upper())  # Python reads 'T' and 'Z' only in upper case
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
