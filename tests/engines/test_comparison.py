"""The engine comparison: equal tables pass whatever order the engines return, and every kind of difference is
named with its row and column."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from tests.engines.comparison import compare_rows

COLUMNS = ["kpi_id", "period_start", "value", "sample_size"]
LEFT = [
    ("a", date(2026, 1, 5), 1.0 / 3.0, 3),
    ("a", None, None, 0),
    ("b", date(2026, 1, 5), 100.0, 7),
]


def test_equal_rows_in_another_order_and_numeric_type_are_equal() -> None:
    right = [LEFT[2], ("a", date(2026, 1, 5), Decimal("0.3333333333333333"), 3), LEFT[1]]
    assert compare_rows(COLUMNS, LEFT, right) == []


def test_a_relative_difference_beyond_1e9_is_reported() -> None:
    right = [LEFT[0], LEFT[1], ("b", date(2026, 1, 5), 100.0 * (1 + 2e-9), 7)]
    assert compare_rows(COLUMNS, LEFT, right, names=("duckdb", "spark")) == [
        f"row 2 column value: duckdb 100.0, spark {100.0 * (1 + 2e-9)!r} (row starts {LEFT[2]!r})"
    ]
    near = ("b", date(2026, 1, 5), 100.0 * (1 + 1e-10), 7)
    assert compare_rows(COLUMNS, LEFT, [LEFT[0], LEFT[1], near]) == []


def test_null_is_not_zero_nor_empty_and_dates_are_not_timestamps() -> None:
    right = [LEFT[0], ("a", None, 0.0, 0), ("b", datetime(2026, 1, 5), 100.0, 7)]
    differences = compare_rows(COLUMNS, LEFT, right)
    assert len(differences) == 2
    assert differences[0].startswith("row 0 column value: left None, right 0.0")
    assert differences[1].startswith("row 2 column period_start: left datetime.date(2026, 1, 5)")
    assert compare_rows(["name"], [("",)], [(None,)]) != []


def test_a_missing_row_is_counted_and_many_differences_are_summed_up() -> None:
    assert compare_rows(COLUMNS, LEFT, LEFT[:2])[0] == "left has 3 rows, right 2"
    left = [(i, float(i)) for i in range(10)]
    right = [(i, float(i) + 1) for i in range(10)]
    differences = compare_rows(["id", "x"], left, right, limit=3)
    assert len(differences) == 4 and differences[-1] == "... 10 differing values in all"
