"""The reported period and its change, as kpi_scorecard and the demo's headline table give them.

Every scorecard row is recomputed here from kpi_values and the catalog: which period is reported (the latest
complete one, or the latest with data when that one is empty), its label, and the change (points for pct and score
KPIs, relative for every other unit).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from support_kpis.headlines import headline_table
from support_kpis.settings import published_path
from tests.kpis.hand_cases_catalog import write_catalog_cases
from tests.reference_sanity.builders import agent_reply, customer_message, status_change, ticket, write_folder
from tests.warehouses import build_warehouse, query

POINT_UNITS = {"pct", "score"}


def _one_decimal(number: float) -> str:
    rounded = Decimal(repr(number)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    rounded = rounded + 0  # -0.0 -> 0.0
    return ("+" if rounded > 0 else "") + f"{rounded:.1f}"


def expected_change(unit: str, value: float | None, previous: float | None) -> tuple[str, float | None, str]:
    """(change_kind, change_pct, change_label) by the scorecard's rule."""
    kind = "points" if unit in POINT_UNITS else "relative"
    relative = None
    if kind == "relative" and value is not None and previous not in (None, 0):
        relative = 100 * (value - previous) / abs(previous)
    if value is None:
        return kind, relative, "no value"
    if previous is None:
        return kind, relative, "no previous value"
    if kind == "points":
        return kind, relative, f"{_one_decimal(value - previous)} points"
    if previous != 0:
        assert relative is not None
        return kind, relative, f"{_one_decimal(relative)}%"
    return kind, relative, "no change" if value == 0 else "up from 0"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _shift(grain: str, start: date, steps: int) -> date:
    if grain == "day":
        return start + timedelta(days=steps)
    if grain == "week":
        return start + timedelta(weeks=steps)
    month = start.year * 12 + start.month - 1 + steps
    return date(month // 12, month % 12 + 1, 1)


def _running_start(grain: str, as_of: date) -> date:
    if grain == "day":
        return as_of
    if grain == "week":
        return as_of - timedelta(days=as_of.weekday())
    return _month_start(as_of)


def expected_period(warehouse: Path, grain: str) -> tuple[date, bool]:
    """(reported period_start, is complete): the latest complete period, or the latest with data if it is empty."""
    as_of = query(warehouse, "select as_of_date from intermediate.int_reporting_bounds_computed")[0][0]
    running = _running_start(grain, as_of)
    complete = _shift(grain, running, -1)
    with_data = {
        row[0]
        for row in query(
            warehouse,
            "select distinct period_start from kpi_values where dimension = 'all' and grain = ? and period_start <= ?",
            [grain, running],
        )
    }
    reported = complete if complete in with_data or not with_data else max(with_data)
    return reported, reported < running


def expected_label(grain: str, start: date, complete: bool) -> str:
    base = {"month": f"{start:%B %Y}", "week": f"week of {start.isoformat()}", "day": start.isoformat()}[grain]
    return base if complete else f"{base}, {grain} to date"


def check_scorecard(warehouse: Path) -> int:
    """Recompute every scorecard row from kpi_values and the catalog; return how many rows were checked."""
    rows = query(
        warehouse,
        "select grain, kpi_id, unit, period_start, period_end, is_complete_period, period_label, "
        "previous_period_start, value, previous_value, change_from_previous, change_kind, change_pct, change_label "
        "from kpi_scorecard",
    )
    overall = {
        (kpi_id, grain, start): value
        for kpi_id, grain, start, value in query(
            warehouse, "select kpi_id, grain, period_start, value from kpi_values where dimension = 'all'"
        )
    }
    periods = {grain: expected_period(warehouse, grain) for grain in ("day", "week", "month")}
    for (
        grain,
        kpi_id,
        unit,
        start,
        end,
        complete,
        label,
        previous_start,
        value,
        previous,
        change,
        kind,
        pct,
        text,
    ) in rows:
        reported, is_complete = periods[grain]
        assert (start, end, previous_start) == (reported, _shift(grain, reported, 1), _shift(grain, reported, -1))
        assert complete is is_complete
        assert label == expected_label(grain, reported, is_complete)
        absent = 0.0 if unit == "count" else None
        want_value = overall.get((kpi_id, grain, reported), absent)
        assert (value is None and want_value is None) or value == pytest.approx(want_value, rel=1e-9)
        want_previous = overall.get((kpi_id, grain, previous_start), absent)
        assert (previous is None and want_previous is None) or previous == pytest.approx(want_previous, rel=1e-9)
        want_kind, want_pct, want_text = expected_change(unit, value, previous)
        assert (kind, text) == (want_kind, want_text), (grain, kpi_id, value, previous)
        assert (pct is None and want_pct is None) or math.isclose(pct, want_pct, rel_tol=1e-9)
        if value is not None and previous is not None:
            assert change == pytest.approx(value - previous, rel=1e-9, abs=1e-12)
    return len(rows)


def test_every_scorecard_row_recomputed_on_the_catalog_cases(session_dir: Path) -> None:
    data = write_catalog_cases(session_dir / "reported-catalog")
    warehouse = build_warehouse(data, session_dir, name="reported-catalog")
    assert check_scorecard(warehouse) > 100
    # As-of 2026-05-20: April is complete and holds data.
    month = query(
        warehouse, "select distinct period_label, is_complete_period from kpi_scorecard where grain = 'month'"
    )
    assert month == [("April 2026", True)]
    kinds = dict(query(warehouse, "select kpi_id, change_label from kpi_scorecard where grain = 'month'"))
    # NPS April 0 against March 33.3: a score changes in points, never "-100%".
    assert kinds["nps"] == "-33.3 points"


def test_a_first_export_of_the_running_month_reports_that_month_to_date(session_dir: Path) -> None:
    # Everything happens in March 2026, as-of Tuesday 03-10: February holds nothing, so the month reported is
    # March, to date; the week of 03-02 is complete and holds data, so it is reported as complete. The day is
    # checked by check_scorecard (03-09 is empty).
    tickets = [ticket(f"T{i}", f"2026-03-0{i}T09:00:00", status="solved") for i in range(2, 8)]
    events = []
    for i in range(2, 8):
        events += [
            customer_message(f"T{i}", f"2026-03-0{i}T09:00:00"),
            agent_reply(f"T{i}", f"2026-03-0{i}T10:00:00"),
            status_change(f"T{i}", f"2026-03-0{i}T11:00:00", "solved"),
        ]
    events.append(customer_message("T7", "2026-03-10T08:00:00"))
    (session_dir / "first-export").mkdir()
    folder = write_folder(session_dir / "first-export", tickets, events)
    warehouse = build_warehouse(folder, session_dir, name="first-export")
    check_scorecard(warehouse)
    labels = dict(query(warehouse, "select distinct grain, period_label from kpi_scorecard where grain <> 'day'"))
    assert labels == {"month": "March 2026, month to date", "week": "week of 2026-03-02"}
    table = headline_table(published_path(warehouse))
    assert table.splitlines()[0].startswith("Headline KPIs for March 2026, month to date")
    # Six tickets created in March, none in February: a count is never "n/a".
    created = next(line for line in table.splitlines() if line.strip().startswith("Tickets created"))
    assert " 6 " in f"{created} " and "n/a" not in created
