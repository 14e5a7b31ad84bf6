"""kpi_values on generated data equals the independent Python reference, for every KPI, grain and dimension."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from reference import compute_kpi_values
from support_kpis.kpi_registry import load_registry
from tests.kpis.comparison import differences, reference_rows, warehouse_rows
from tests.warehouses import build_warehouse

# A reporting zone with daylight saving and an as-of time inside a month, so
# that period ends, local dates and "state at the as-of instant" all matter.
SHIFTED: dict[str, Any] = {
    "reporting_timezone": "America/New_York",
    "as_of": "2026-08-17 15:45:00",
    "gross_margin_pct": 70,
}


@pytest.fixture(scope="module")
def shifted_warehouse(sample_data: Path, session_dir: Path) -> Path:
    return build_warehouse(sample_data, session_dir, SHIFTED, name="sample-new-york")


def _compare(warehouse: Path, expected: list) -> None:
    registry = load_registry()
    ids = set(registry.ids) | {row.kpi_id for row in expected}
    actual = warehouse_rows(warehouse, ids)
    wanted = reference_rows(expected, ids)
    # Guard against comparing two empty sets: the sample exercises every KPI.
    assert {key[0] for key in wanted} == set(registry.ids)
    problems = differences(actual, wanted, {k.id: k.unit for k in registry.kpis})
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems)


def test_default_settings_match_reference(sample_data: Path, sample_warehouse: Path) -> None:
    _compare(sample_warehouse, compute_kpi_values(sample_data))


def test_new_york_time_and_earlier_as_of_match_reference(sample_data: Path, shifted_warehouse: Path) -> None:
    expected = compute_kpi_values(
        sample_data,
        reporting_timezone=SHIFTED["reporting_timezone"],
        as_of=datetime.fromisoformat(SHIFTED["as_of"]),
        gross_margin_pct=SHIFTED["gross_margin_pct"],
    )
    _compare(shifted_warehouse, expected)
