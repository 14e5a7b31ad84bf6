"""Comparing one table's rows from two engines: same row count, equal values, numbers to 1e-9 relative.

Rows are sorted here, in Python, not by the engines: engines order nulls differently (DuckDB and Postgres put them
last ascending, Spark first), so only a sort of our own puts both sides in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

REL_TOL = 1e-9
# Values that should be 0 come out as e.g. 1e-13 on one engine (sums of doubles in another order).
ABS_TOL = 1e-12

Row = tuple[Any, ...]


def _sort_value(value: Any) -> tuple[int, Any]:
    """Nulls first; numbers of any type (int, float, Decimal) order together; everything else by its text."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float | Decimal):
        return (2, float(value))
    if isinstance(value, datetime | date):
        return (3, value.isoformat())
    return (4, str(value))


def sorted_rows(rows: Iterable[Sequence[Any]]) -> list[Row]:
    return sorted((tuple(row) for row in rows), key=lambda row: tuple(_sort_value(v) for v in row))


def values_equal(left: Any, right: Any, rel_tol: float = REL_TOL) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right or (isinstance(left, bool) and isinstance(right, bool) and left == right)
    numeric = (int, float, Decimal)
    if isinstance(left, numeric) and isinstance(right, numeric):
        if isinstance(left, int) and isinstance(right, int):
            return left == right
        a, b = float(left), float(right)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=rel_tol, abs_tol=ABS_TOL)
    if type(left) is not type(right):
        return False
    return bool(left == right)


def compare_rows(
    columns: Sequence[str],
    left: Iterable[Sequence[Any]],
    right: Iterable[Sequence[Any]],
    *,
    names: tuple[str, str] = ("left", "right"),
    rel_tol: float = REL_TOL,
    limit: int = 5,
) -> list[str]:
    """The differences between two tables' rows (both sorted by `sorted_rows`), at most `limit` described; an
    empty list when they are equal. A differing row count is reported first, then differing values by row."""
    a, b = sorted_rows(left), sorted_rows(right)
    differences: list[str] = []
    if len(a) != len(b):
        differences.append(f"{names[0]} has {len(a)} rows, {names[1]} {len(b)}")
    mismatched = 0
    for index, (row_a, row_b) in enumerate(zip(a, b, strict=False)):
        if len(row_a) != len(columns) or len(row_b) != len(columns):
            differences.append(f"row {index}: {len(row_a)} and {len(row_b)} values for {len(columns)} columns")
            break
        for column, value_a, value_b in zip(columns, row_a, row_b, strict=True):
            if not values_equal(value_a, value_b, rel_tol):
                mismatched += 1
                if mismatched <= limit:
                    differences.append(
                        f"row {index} column {column}: {names[0]} {value_a!r}, {names[1]} {value_b!r} "
                        f"(row starts {row_a[:4]!r})"
                    )
    if mismatched > limit:
        differences.append(f"... {mismatched} differing values in all")
    return differences
