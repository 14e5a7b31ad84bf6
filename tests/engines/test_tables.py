"""The engines' comparison itself: equal tables pass, and each kind of difference is named with its row and column.
Counts compare exactly and by type, other numbers to 1e-9 relative; null is neither 0 nor '', a date no timestamp."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from tests.engines.tables import _keyed, differences

COLUMNS = ["kpi_id", "grain", "period_start", "dimension", "dimension_value", "value", "sample_size"]
ROWS = [
    ("a", "month", date(2026, 1, 1), "all", "all", 1.0 / 3.0, 3),
    ("a", "month", date(2026, 2, 1), "all", "all", None, 0),
    ("b", "month", date(2026, 1, 1), "channel", "chat", 100.0, 7),
]


def _rows(rows: list[tuple]) -> dict:
    return _keyed("kpi_values", COLUMNS, rows)


def test_equal_rows_in_another_order_are_equal() -> None:
    assert differences("kpi_values", _rows(ROWS), _rows(list(reversed(ROWS)))) == []


def test_a_relative_difference_beyond_1e9_is_reported_and_one_within_is_not() -> None:
    beyond = [*ROWS[:2], (*ROWS[2][:5], 100.0 * (1 + 2e-9), 7)]
    problems = differences("kpi_values", _rows(ROWS), _rows(beyond))
    assert problems == [f"kpi_values {ROWS[2][:5]} value: 100.0 != {100.0 * (1 + 2e-9)!r}"]
    within = [*ROWS[:2], (*ROWS[2][:5], 100.0 * (1 + 1e-10), 7)]
    assert differences("kpi_values", _rows(ROWS), _rows(within)) == []


def test_null_is_not_zero_a_count_is_not_a_float_and_a_decimal_is_not_a_double() -> None:
    changed = [
        (*ROWS[0][:5], Decimal("0.3333333333333333"), 3),
        (*ROWS[1][:5], 0.0, 0),
        (*ROWS[2][:5], 100.0, 7.0),
    ]
    problems = differences("kpi_values", _rows(ROWS), _rows(changed))
    assert len(problems) == 3
    assert any("value: 0.333" in p and "Decimal" in p for p in problems)
    assert any("value: None != 0.0" in p for p in problems)
    assert any("sample_size: 7 != 7.0" in p for p in problems)


def test_a_date_is_not_a_timestamp() -> None:
    catalog = _keyed("kpi_catalog", ["kpi_id", "since"], [("a", date(2026, 1, 5))])
    other = _keyed("kpi_catalog", ["kpi_id", "since"], [("a", datetime(2026, 1, 5))])
    assert differences("kpi_catalog", catalog, other) == [
        "kpi_catalog ('a',) since: datetime.date(2026, 1, 5) != datetime.datetime(2026, 1, 5, 0, 0)"
    ]


def test_missing_and_unexpected_rows_are_named() -> None:
    problems = differences("kpi_values", _rows(ROWS), _rows([*ROWS[:2], (*ROWS[2][:4], "email", 100.0, 7)]))
    assert problems == [
        "kpi_values ('b', 'month', datetime.date(2026, 1, 1), 'channel', 'chat'): missing",
        "kpi_values ('b', 'month', datetime.date(2026, 1, 1), 'channel', 'email'): unexpected",
    ]
