"""The ticket-lifecycle traps, on a hand-made dataset, through the real loader and `dbt build`.

Every expected number below is worked out by hand from tests/kpis/hand_cases.py
(the arithmetic is in the comments); the whole of kpi_values is also compared
with the independent reference implementation.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from reference import compute_kpi_values
from support_kpis.kpi_registry import load_registry
from tests.kpis.comparison import differences, reference_rows, warehouse_rows
from tests.kpis.hand_cases import write_hand_cases
from tests.warehouses import build_warehouse, query

BERLIN_AS_OF = "2026-03-31 22:30:00"


@pytest.fixture(scope="module")
def hand_data(session_dir: Path) -> Path:
    return write_hand_cases(session_dir / "hand-cases")


@pytest.fixture(scope="module")
def utc_warehouse(hand_data: Path, session_dir: Path) -> Path:
    return build_warehouse(hand_data, session_dir, name="hand-utc")


@pytest.fixture(scope="module")
def berlin_warehouse(hand_data: Path, session_dir: Path) -> Path:
    return build_warehouse(
        hand_data, session_dir, {"reporting_timezone": "Europe/Berlin", "as_of": BERLIN_AS_OF}, name="hand-berlin"
    )


def kpi(warehouse: Path, kpi_id: str, grain: str, period: str, product: str) -> tuple[float, ...] | None:
    """(value, numerator, denominator, sample_size) of one product segment, or None without a row."""
    rows = query(
        warehouse,
        "select value, numerator, denominator, sample_size from kpi_values where kpi_id = ? and grain = ? "
        "and period_start = ? and dimension = 'product' and dimension_value = ?",
        [kpi_id, grain, date.fromisoformat(period), product],
    )
    assert len(rows) <= 1
    return rows[0] if rows else None


def product_rows(warehouse: Path, kpi_id: str, product: str) -> list[tuple[object, ...]]:
    return query(
        warehouse,
        "select grain, period_start from kpi_values where kpi_id = ? and dimension = 'product' and dimension_value = ?",
        [kpi_id, product],
    )


def test_equal_timestamps_customer_message_comes_first(utc_warehouse: Path) -> None:
    # Customer 09:00, reply 09:10 (cycle of 10 min); at 09:20:00 a customer
    # message and a reply (written in the other order): a cycle of 0 min.
    assert kpi(utc_warehouse, "first_response_time_median_minutes", "day", "2026-03-02", "equal_ts")[0] == 10.0
    # (10 + 0) / 2 cycles = 5 min.
    assert kpi(utc_warehouse, "average_response_time_minutes", "day", "2026-03-02", "equal_ts") == (5.0, 10.0, 2.0, 2)
    # Two public replies: not a first-contact resolution, and "easy" (-1).
    assert kpi(utc_warehouse, "first_contact_resolution_pct", "day", "2026-03-02", "equal_ts") == (0.0, 0.0, 1.0, 1)
    assert kpi(utc_warehouse, "ces_interaction_net", "day", "2026-03-02", "equal_ts")[::3] == (-1.0, 1)
    # Solved at 09:20:00, 20 min after creation.
    resolution = kpi(utc_warehouse, "resolution_time_median_hours", "day", "2026-03-02", "equal_ts")
    assert resolution[0] == pytest.approx(1 / 3)
    # 60 + 120 handle seconds = 3 min.
    assert kpi(utc_warehouse, "average_handle_time_minutes", "day", "2026-03-02", "equal_ts") == (3.0, 3.0, 1.0, 1)


def test_events_out_of_order_in_the_file(utc_warehouse: Path) -> None:
    # Created 10:00, customer 10:00, reply 11:00, solved 12:00.
    assert kpi(utc_warehouse, "first_response_time_median_minutes", "day", "2026-03-03", "out_of_order")[0] == 60.0
    assert kpi(utc_warehouse, "resolution_time_median_hours", "day", "2026-03-03", "out_of_order")[0] == 2.0
    assert kpi(utc_warehouse, "first_contact_resolution_pct", "day", "2026-03-03", "out_of_order") == (
        100.0,
        1.0,
        1.0,
        1,
    )
    assert kpi(utc_warehouse, "average_handle_time_minutes", "day", "2026-03-03", "out_of_order")[0] == 5.0


def test_internal_notes_and_bot_messages_are_not_replies(utc_warehouse: Path) -> None:
    assert product_rows(utc_warehouse, "first_response_time_median_minutes", "notes_bots") == []
    assert product_rows(utc_warehouse, "average_response_time_minutes", "notes_bots") == []
    # No public agent reply: outside first-contact resolution, neutral (0) for interaction effort.
    assert product_rows(utc_warehouse, "first_contact_resolution_pct", "notes_bots") == []
    assert kpi(utc_warehouse, "ces_interaction_net", "day", "2026-03-03", "notes_bots")[::3] == (0.0, 1)
    assert kpi(utc_warehouse, "tickets_solved", "day", "2026-03-03", "notes_bots")[0] == 1.0
    # The internal note's 30 handle seconds still count: 0.5 min.
    assert kpi(utc_warehouse, "average_handle_time_minutes", "day", "2026-03-03", "notes_bots")[0] == 0.5


def test_agent_initiated_ticket_is_left_out_of_response_times(utc_warehouse: Path) -> None:
    for kpi_id in (
        "first_response_time_median_minutes",
        "first_response_time_avg_minutes",
        "first_response_time_p90_minutes",
        "average_response_time_minutes",
    ):
        assert product_rows(utc_warehouse, kpi_id, "agent_initiated") == [], kpi_id
    assert kpi(utc_warehouse, "tickets_created", "day", "2026-03-04", "agent_initiated")[0] == 1.0
    # 09:00 -> solved 11:00; two public agent replies.
    assert kpi(utc_warehouse, "resolution_time_median_hours", "day", "2026-03-04", "agent_initiated")[0] == 2.0
    assert kpi(utc_warehouse, "first_contact_resolution_pct", "day", "2026-03-04", "agent_initiated")[:3] == (
        0.0,
        0.0,
        1.0,
    )


def test_never_answered_ticket(utc_warehouse: Path) -> None:
    assert product_rows(utc_warehouse, "first_response_time_median_minutes", "never_answered") == []
    # Created 2026-03-04, unresolved 37 days later at the as-of time: decided, missed.
    assert kpi(utc_warehouse, "resolved_within_target_pct", "day", "2026-03-04", "never_answered") == (0.0, 0.0, 1.0, 1)
    assert kpi(utc_warehouse, "backlog_open_tickets", "month", "2026-03-01", "never_answered")[0] == 1.0
    assert kpi(utc_warehouse, "backlog_open_tickets", "day", "2026-04-10", "never_answered")[0] == 1.0


def test_solve_reopen_solve(utc_warehouse: Path) -> None:
    # First solve 03-05 10:00 (1 h after creation), last solve 03-06 12:00 (27 h).
    assert kpi(utc_warehouse, "resolution_time_median_hours", "day", "2026-03-05", "reopen")[0] == 1.0
    assert kpi(utc_warehouse, "full_resolution_time_median_hours", "day", "2026-03-06", "reopen")[0] == 27.0
    # Only the last solve's periods carry full resolution.
    assert sorted(product_rows(utc_warehouse, "full_resolution_time_median_hours", "reopen")) == [
        ("day", date(2026, 3, 6)),
        ("month", date(2026, 3, 1)),
        ("week", date(2026, 3, 2)),
    ]
    assert kpi(utc_warehouse, "reopen_rate_pct", "day", "2026-03-05", "reopen") == (100.0, 1.0, 1.0, 1)
    # Solved counts once, on the first solve's day.
    assert kpi(utc_warehouse, "tickets_solved", "day", "2026-03-05", "reopen")[0] == 1.0
    assert kpi(utc_warehouse, "tickets_solved", "day", "2026-03-06", "reopen") is None
    # Cycles: 09:00 -> 09:30 (30 min) and, after the reopen, 08:00 -> 09:00 (60 min).
    assert kpi(utc_warehouse, "average_response_time_minutes", "day", "2026-03-05", "reopen")[0] == 30.0
    assert kpi(utc_warehouse, "average_response_time_minutes", "day", "2026-03-06", "reopen")[0] == 60.0
    assert kpi(utc_warehouse, "first_contact_resolution_pct", "day", "2026-03-05", "reopen")[:3] == (0.0, 0.0, 1.0)


def test_solved_then_closed_is_one_solve(utc_warehouse: Path) -> None:
    assert kpi(utc_warehouse, "tickets_solved", "day", "2026-03-09", "solved_closed")[0] == 1.0
    assert kpi(utc_warehouse, "reopen_rate_pct", "day", "2026-03-09", "solved_closed") == (0.0, 0.0, 1.0, 1)
    assert kpi(utc_warehouse, "first_contact_resolution_pct", "day", "2026-03-09", "solved_closed") == (
        100.0,
        1.0,
        1.0,
        1,
    )
    # Closing on 03-12 is not a solve: the last solve stays 03-09 10:00, 1 h.
    assert kpi(utc_warehouse, "full_resolution_time_median_hours", "day", "2026-03-09", "solved_closed")[0] == 1.0
    assert kpi(utc_warehouse, "full_resolution_time_median_hours", "day", "2026-03-12", "solved_closed") is None


def test_duplicate_ticket_rows(utc_warehouse: Path) -> None:
    # TH: the row with the later updated_at wins although it comes first in the file.
    assert kpi(utc_warehouse, "tickets_created", "month", "2026-03-01", "dup_new")[0] == 1.0
    assert product_rows(utc_warehouse, "tickets_created", "dup_old") == []
    # TH2: equal updated_at, the last row read wins.
    assert kpi(utc_warehouse, "tickets_created", "month", "2026-03-01", "tie_last")[0] == 1.0
    assert product_rows(utc_warehouse, "tickets_created", "tie_first") == []


def test_backlog_across_day_week_and_month_ends(utc_warehouse: Path) -> None:
    # TI3 open from 03-20 on; TI1 open 03-31 23:00 -> 04-01 01:00; TI2 open 04-05 22:00 -> 04-06 00:30.
    expected = {
        ("day", "2026-03-31"): 2.0,  # TI3 + TI1
        ("day", "2026-04-01"): 1.0,  # TI1 solved at 01:00
        ("day", "2026-04-05"): 2.0,  # TI3 + TI2
        ("week", "2026-03-16"): 1.0,  # TI3, created Friday 03-20
        ("week", "2026-03-30"): 2.0,  # ends Monday 04-06 00:00: TI3 + TI2 (solved 00:30)
        ("month", "2026-03-01"): 2.0,  # ends 04-01 00:00: TI3 + TI1
        ("month", "2026-04-01"): 1.0,  # as-of 04-10 12:00: TI3
    }
    for (grain, period), count in expected.items():
        assert kpi(utc_warehouse, "backlog_open_tickets", grain, period, "backlog")[::3] == (count, count), (
            grain,
            period,
        )
    # TI3 was escalated: the only backlog ticket created on 03-20.
    assert kpi(utc_warehouse, "escalation_rate_pct", "day", "2026-03-20", "backlog") == (100.0, 1.0, 1.0, 1)


def test_ticket_created_just_before_as_of(utc_warehouse: Path) -> None:
    # TJ: created 04-10 11:00, as-of 04-10 12:00, unresolved: still running, left out.
    assert product_rows(utc_warehouse, "resolved_within_target_pct", "late") == []
    assert kpi(utc_warehouse, "tickets_created", "day", "2026-04-10", "late")[0] == 1.0


def test_reporting_time_zone_moves_days_and_weeks(utc_warehouse: Path, berlin_warehouse: Path) -> None:
    # TK: Sunday 2026-03-08 23:30 UTC is Monday 00:30 in Berlin: another day and another ISO week.
    assert kpi(utc_warehouse, "tickets_created", "day", "2026-03-08", "tz")[0] == 1.0
    assert kpi(utc_warehouse, "tickets_created", "week", "2026-03-02", "tz")[0] == 1.0
    assert kpi(berlin_warehouse, "tickets_created", "day", "2026-03-09", "tz")[0] == 1.0
    assert kpi(berlin_warehouse, "tickets_created", "week", "2026-03-09", "tz")[0] == 1.0
    assert kpi(berlin_warehouse, "tickets_created", "week", "2026-03-02", "tz") is None


def test_as_of_time_hides_later_facts(berlin_warehouse: Path) -> None:
    # as-of 2026-03-31 22:30 UTC = 2026-04-01 00:30 Berlin.
    # TL is solved at 23:00 UTC, after the as-of time: not solved, still in the backlog.
    assert product_rows(berlin_warehouse, "tickets_solved", "asof") == []
    assert kpi(berlin_warehouse, "backlog_open_tickets", "day", "2026-04-01", "asof")[0] == 1.0
    assert kpi(berlin_warehouse, "backlog_open_tickets", "month", "2026-04-01", "asof")[0] == 1.0
    # TM is solved exactly at the as-of instant: it counts (03-30 09:00 -> 03-31 22:30 = 37.5 h).
    assert kpi(berlin_warehouse, "tickets_solved", "day", "2026-04-01", "asof_instant")[0] == 1.0
    assert kpi(berlin_warehouse, "resolution_time_median_hours", "day", "2026-04-01", "asof_instant")[0] == 37.5
    # Open at the end of 03-31 Berlin (22:00 UTC), solved by the as-of instant.
    assert kpi(berlin_warehouse, "backlog_open_tickets", "day", "2026-03-31", "asof_instant")[0] == 1.0
    assert kpi(berlin_warehouse, "backlog_open_tickets", "day", "2026-04-01", "asof_instant") is None
    # Tickets created after the as-of time do not exist; no period starts after it.
    assert product_rows(berlin_warehouse, "tickets_created", "late") == []
    latest = query(berlin_warehouse, "select max(period_start) from kpi_values where grain = 'day'")[0][0]
    assert latest == date(2026, 4, 1)


@pytest.mark.parametrize("build", ["utc", "berlin"])
def test_hand_cases_match_reference(build: str, hand_data: Path, request: pytest.FixtureRequest) -> None:
    registry = load_registry()
    if build == "utc":
        warehouse = request.getfixturevalue("utc_warehouse")
        expected = compute_kpi_values(hand_data)
    else:
        warehouse = request.getfixturevalue("berlin_warehouse")
        expected = compute_kpi_values(
            hand_data, reporting_timezone="Europe/Berlin", as_of=datetime.fromisoformat(BERLIN_AS_OF)
        )
    ids = {row.kpi_id for row in expected} | set(registry.ids)
    problems = differences(
        warehouse_rows(warehouse, ids), reference_rows(expected, ids), {k.id: k.unit for k in registry.kpis}
    )
    assert not problems, "\n".join(problems)


def test_absent_optional_tables_mark_exactly_their_kpis_unavailable(utc_warehouse: Path) -> None:
    # The hand cases supply tickets, ticket_events and customers only.
    supplied = {"tickets", "ticket_events", "customers"}
    registry = load_registry()
    catalog = dict(query(utc_warehouse, "select kpi_id, is_available from kpi_catalog"))
    assert set(catalog) == set(registry.ids)
    for kpi_def in registry.kpis:
        assert catalog[kpi_def.id] == (set(kpi_def.required_tables) <= supplied), kpi_def.id
    # The reason names exactly the tables not supplied, in name order.
    reasons = dict(query(utc_warehouse, "select kpi_id, unavailable_reason from kpi_catalog"))
    for kpi_def in registry.kpis:
        missing = sorted(set(kpi_def.required_tables) - supplied)
        expected = f"Needs table(s) not supplied: {', '.join(missing)}." if missing else None
        assert reasons[kpi_def.id] == expected, kpi_def.id
    unavailable = sorted(k for k, available in catalog.items() if not available)
    assert "deflection_rate_pct" in unavailable and "csat_pct" in unavailable
    # No rows for them, even where another input has data (deflection's tickets).
    rows = query(
        utc_warehouse,
        f"select count(*) from kpi_values where kpi_id in ({', '.join('?' for _ in unavailable)})",
        unavailable,
    )
    assert rows[0][0] == 0


@pytest.mark.parametrize(
    "as_of", ["2026-03-31 22:30:00", "2026-03-31T22:30:00Z", "2026-04-01T00:30:00+02:00", "2026-03-31T17:30:00-0500"]
)
def test_as_of_var_with_or_without_offset(as_of: str, utc_warehouse: Path, tmp_path: Path) -> None:
    import shutil

    from support_kpis.dbt_runner import run_dbt

    # All four name the same instant, 2026-03-31 22:30 UTC.
    warehouse = tmp_path / "copy.duckdb"
    shutil.copy(utc_warehouse, warehouse)
    run_dbt(
        ["run", "--select", "int_reporting_bounds_computed"],
        warehouse=warehouse,
        dbt_vars={"as_of": as_of},
        target_dir=tmp_path / "target",
        quiet=True,
    )
    assert query(warehouse, "select as_of_at from intermediate.int_reporting_bounds_computed") == [
        (datetime(2026, 3, 31, 22, 30),)
    ]
