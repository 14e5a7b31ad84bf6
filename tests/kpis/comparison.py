"""Compare the warehouse's kpi_values with rows of the independent Python reference."""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tests.warehouses import query

Key = tuple[str, str, Any, str, str]

RELATIVE_TOLERANCE = 1e-6
# Values that should be zero come out of floating sums as 1e-13 and the like.
ABSOLUTE_TOLERANCE = 1e-9


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)


def warehouse_rows(warehouse: Path, kpi_ids: Iterable[str]) -> dict[Key, tuple[float | None, ...]]:
    ids = sorted(set(kpi_ids))
    placeholders = ", ".join("?" for _ in ids)
    rows = query(
        warehouse,
        "select kpi_id, grain, period_start, dimension, dimension_value, value, numerator, denominator, sample_size "
        f"from kpi_values where kpi_id in ({placeholders})",
        ids,
    )
    return {tuple(r[:5]): tuple(r[5:]) for r in rows}  # type: ignore[misc]


def reference_rows(rows: Iterable[Any], kpi_ids: Iterable[str]) -> dict[Key, tuple[float | None, ...]]:
    ids = set(kpi_ids)
    return {
        (r.kpi_id, r.grain, r.period_start, r.dimension, r.dimension_value): (
            r.value,
            r.numerator,
            r.denominator,
            r.sample_size,
        )
        for r in rows
        if r.kpi_id in ids
    }


def differences(
    actual: dict[Key, tuple[float | None, ...]], expected: dict[Key, tuple[float | None, ...]], unit_of: dict[str, str]
) -> list[str]:
    """Every disagreement, as readable lines (empty when they agree)."""
    problems: list[str] = []
    for key in sorted(expected.keys() - actual.keys(), key=str)[:20]:
        problems.append(f"missing in kpi_values: {key} expected {expected[key]}")
    for key in sorted(actual.keys() - expected.keys(), key=str)[:20]:
        problems.append(f"unexpected in kpi_values: {key} = {actual[key]}")
    for key in sorted(actual.keys() & expected.keys(), key=str):
        got, want = actual[key], expected[key]
        exact = unit_of[key[0]] == "count"
        value_ok = got[0] == want[0] if exact else _close(got[0], want[0])
        if not (value_ok and _close(got[1], want[1]) and _close(got[2], want[2]) and got[3] == want[3]):
            problems.append(f"{key}: kpi_values {got} != reference {want}")
        if len(problems) > 60:
            break
    return problems
