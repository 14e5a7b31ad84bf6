"""Showing values from the data in reports and messages: as plain text, short, on one line.

Values are never interpreted: a field reading `=HYPERLINK(...)` is shown as exactly that text, in quotes.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd

SHOWN_CHARS = 60
# Whole floats below this are shown as integers (86400, not 86400.0); every such float is exact.
_EXACT_WHOLE_FLOATS_BELOW = 2**53


def plain(value: Any) -> Any:
    """A JSON-friendly copy of a value read from a dataframe (None for any kind of null)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, int | str) else str(value)


def shown(value: Any) -> str:
    """One value as a message shows it: text quoted and cut, numbers and times as written, null as 'empty'."""
    if isinstance(value, pd.Timestamp | datetime | date) and value is not pd.NaT:
        if not isinstance(value, datetime):
            return value.isoformat()
        # Dates reach pandas as midnight timestamps; show them as the dates they are.
        return value.date().isoformat() if value == datetime.combine(value.date(), time()) else value.isoformat(sep=" ")
    value = plain(value)
    if value is None:
        return "empty"
    if isinstance(value, str):
        flat = value.replace("\r", " ").replace("\n", " ")
        cut = flat[:SHOWN_CHARS] + ("..." if len(flat) > SHOWN_CHARS else "")
        return f"'{cut}'"
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_WHOLE_FLOATS_BELOW:
        return str(int(value))
    # Beyond that, Python's own shortest form (1.7e+308), not a 309-digit integer.
    return str(value)


def shown_values(values: dict[str, Any]) -> str:
    return ", ".join(f"{column} {shown(value)}" for column, value in values.items())


def rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"
