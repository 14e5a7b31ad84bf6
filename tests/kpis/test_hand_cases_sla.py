"""Business time and SLAs on a hand-made dataset, through the real loader and `dbt build`.

Every expected number is worked out by hand from tests/kpis/hand_cases_sla.py (schedules, holidays and
policies are listed in its docstring; the arithmetic is in the comments, times in UTC unless said).
As-of: Tuesday 2026-11-03 12:00 UTC. "Breach at" is the first instant from which the elapsed time
exceeds the target. The whole of kpi_values, and the SLA columns of fct_tickets, are also compared
with the independent reference implementation.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from reference import compute_kpi_values
from reference.sla import ticket_sla_measures
from support_kpis.kpi_registry import load_registry
from tests.kpis.comparison import differences, reference_rows, warehouse_rows
from tests.kpis.hand_cases_sla import AS_OF, write_sla_hand_cases
from tests.warehouses import build_warehouse, query

FIRST_RESPONSE_BUSINESS = "first_response_time_business_median_minutes"
RESOLUTION_BUSINESS = "resolution_time_business_median_hours"
FIRST_RESPONSE_SLA = "sla_first_response_attainment_pct"
RESOLUTION_SLA = "sla_resolution_attainment_pct"
SLA_COLUMNS = (
    "first_response_sla_status", "resolution_sla_status", "first_response_sla_breach_at", "resolution_sla_breach_at",
    "business_first_response_minutes", "business_first_resolution_hours", "sla_policy_priority",
    "sla_policy_channel", "is_sla_business_hours", "first_response_minutes",
)  # fmt: skip
MET = (100.0, 1.0, 1.0, 1)
BREACHED = (0.0, 0.0, 1.0, 1)


@pytest.fixture(scope="module")
def sla_data(session_dir: Path) -> Path:
    return write_sla_hand_cases(session_dir / "sla-hand-cases")


@pytest.fixture(scope="module")
def warehouse(sla_data: Path, session_dir: Path) -> Path:
    return build_warehouse(sla_data, session_dir, {"as_of": AS_OF}, name="sla-hand")


def ticket(warehouse: Path, ticket_id: str) -> dict[str, Any]:
    rows = query(warehouse, f"select {', '.join(SLA_COLUMNS)} from fct_tickets where ticket_id = ?", [ticket_id])
    assert len(rows) == 1, ticket_id
    return dict(zip(SLA_COLUMNS, rows[0], strict=True))


def kpi(warehouse: Path, kpi_id: str, period: str, product: str, grain: str = "day") -> tuple[float, ...] | None:
    """(value, numerator, denominator, sample_size) of one product segment, or None without a row."""
    rows = query(
        warehouse,
        "select value, numerator, denominator, sample_size from kpi_values where kpi_id = ? and grain = ? "
        "and period_start = ? and dimension = 'product' and dimension_value = ?",
        [kpi_id, grain, date.fromisoformat(period), product],
    )
    assert len(rows) <= 1
    return rows[0] if rows else None


def product_kpis(warehouse: Path, product: str) -> set[str]:
    rows = query(
        warehouse,
        "select distinct kpi_id from kpi_values where dimension = 'product' and dimension_value = ? and kpi_id in "
        "(?, ?, ?, ?)",
        [product, FIRST_RESPONSE_BUSINESS, RESOLUTION_BUSINESS, FIRST_RESPONSE_SLA, RESOLUTION_SLA],
    )
    return {r[0] for r in rows}


def median(warehouse: Path, kpi_id: str, period: str, product: str) -> float:
    row = kpi(warehouse, kpi_id, period, product)
    assert row is not None and row[1:] == (None, None, 1), (kpi_id, product, row)
    return row[0]


def test_met(warehouse: Path) -> None:
    # Mon 03-02 10:00 (default, UTC 09-17), normal/* 60 / 480 business. Reply 10:45: 45 <= 60.
    # Solved 15:00: 300 min = 5 h <= 480. Breach at 10:00 + 60 = 11:00; resolution: Mon 10-17 = 420,
    # then Tue 09:00 + 60 -> Tue 10:00.
    row = ticket(warehouse, "MET")
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("met", "met")
    assert row["first_response_sla_breach_at"] == datetime(2026, 3, 2, 11, 0)
    assert row["resolution_sla_breach_at"] == datetime(2026, 3, 3, 10, 0)
    assert median(warehouse, FIRST_RESPONSE_BUSINESS, "2026-03-02", "met") == pytest.approx(45.0)
    assert median(warehouse, RESOLUTION_BUSINESS, "2026-03-02", "met") == pytest.approx(5.0)
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-03-02", "met") == MET
    assert kpi(warehouse, RESOLUTION_SLA, "2026-03-02", "met") == MET


def test_breached_late(warehouse: Path) -> None:
    # Tue 03-03 09:00. Reply 10:30: 90 > 60. Solved Wed 12:00: Tue 480 + Wed 180 = 660 min = 11 h > 480.
    # Breach at 10:00; the resolution's 480 min run out at Tuesday's 17:00 closing -> Wed 09:00.
    row = ticket(warehouse, "LATE")
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("breached", "breached")
    assert row["first_response_sla_breach_at"] == datetime(2026, 3, 3, 10, 0)
    assert row["resolution_sla_breach_at"] == datetime(2026, 3, 4, 9, 0)
    assert median(warehouse, FIRST_RESPONSE_BUSINESS, "2026-03-03", "late") == pytest.approx(90.0)
    # Attributed to the first solve (Wed 03-04).
    assert median(warehouse, RESOLUTION_BUSINESS, "2026-03-04", "late") == pytest.approx(11.0)
    # Both SLA KPIs are attributed to created_at (Tue 03-03).
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-03-03", "late") == BREACHED
    assert kpi(warehouse, RESOLUTION_SLA, "2026-03-03", "late") == BREACHED


def test_breached_without_reply_and_still_running_at_the_as_of_time(warehouse: Path) -> None:
    # NOREPLY: high/* 60 / 240 calendar, created 11-03 10:30, nothing by the as-of 12:00: 90 > 60 breached;
    # 90 <= 240 running. Breach at 11:30 and 14:30 (after the as-of, still the instant it will breach).
    row = ticket(warehouse, "NOREPLY")
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("breached", "running")
    assert row["first_response_sla_breach_at"] == datetime(2026, 11, 3, 11, 30)
    assert row["resolution_sla_breach_at"] == datetime(2026, 11, 3, 14, 30)
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-11-03", "no_reply") == BREACHED
    assert product_kpis(warehouse, "no_reply") == {FIRST_RESPONSE_SLA}  # running: left out
    # RUN: normal/* business, created 11-03 11:30; its 13:00 reply is after the as-of: 30 business min so far,
    # both running. Breach at 12:30; resolution 11:30-17:00 = 330, Wed 09:00 + 150 -> Wed 11:30.
    row = ticket(warehouse, "RUN")
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("running", "running")
    assert row["first_response_sla_breach_at"] == datetime(2026, 11, 3, 12, 30)
    assert row["resolution_sla_breach_at"] == datetime(2026, 11, 4, 11, 30)
    assert row["business_first_response_minutes"] is None
    assert product_kpis(warehouse, "running") == set()


def test_policy_matching_by_priority_and_channel(warehouse: Path) -> None:
    # Mon 03-09 10:00, reply 10:20 (20 min), solved 10:50 (50 min = 5/6 h), default schedule.
    # CHAT normal/chat: 15 / 120 (business_hours empty = business): 20 > 15 breached; 50 <= 120 met.
    # WEB normal/web: no exact policy -> normal/*: 20 <= 60 met; 50 <= 480 met.
    # NULLPRIO: null priority = normal, chat -> normal/chat like CHAT.
    expected = {
        "CHAT": ("chat", "breached", datetime(2026, 3, 9, 10, 15), datetime(2026, 3, 9, 12, 0)),
        "WEB": ("*", "met", datetime(2026, 3, 9, 11, 0), datetime(2026, 3, 10, 10, 0)),  # 420 Mon + 60 Tue
        "NULLPRIO": ("chat", "breached", datetime(2026, 3, 9, 10, 15), datetime(2026, 3, 9, 12, 0)),
    }
    for ticket_id, (channel, first_response, response_breach, resolution_breach) in expected.items():
        row = ticket(warehouse, ticket_id)
        assert (row["sla_policy_priority"], row["sla_policy_channel"], row["is_sla_business_hours"]) == (
            "normal", channel, True), ticket_id  # fmt: skip
        assert (row["first_response_sla_status"], row["resolution_sla_status"]) == (first_response, "met"), ticket_id
        assert (row["first_response_sla_breach_at"], row["resolution_sla_breach_at"]) == (
            response_breach, resolution_breach), ticket_id  # fmt: skip
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-03-09", "chat_exact") == BREACHED
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-03-09", "star_fallback") == MET
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-03-09", "null_priority") == BREACHED
    assert kpi(warehouse, RESOLUTION_SLA, "2026-03-09", "null_priority") == MET
    assert median(warehouse, RESOLUTION_BUSINESS, "2026-03-09", "chat_exact") == pytest.approx(50 / 60)


def test_a_priority_without_policy_is_outside_the_sla_kpis(warehouse: Path) -> None:
    # LOW: no policy for low. Business time still counts: Tue 03-10 10:00 -> 10:30 = 30 min.
    row = ticket(warehouse, "LOW")
    assert (row["sla_policy_priority"], row["first_response_sla_status"], row["resolution_sla_status"]) == (
        None, None, None)  # fmt: skip
    assert (row["first_response_sla_breach_at"], row["resolution_sla_breach_at"]) == (None, None)
    assert product_kpis(warehouse, "no_policy") == {FIRST_RESPONSE_BUSINESS}
    assert median(warehouse, FIRST_RESPONSE_BUSINESS, "2026-03-10", "no_policy") == pytest.approx(30.0)


def test_business_versus_calendar_target(warehouse: Path) -> None:
    # Created Friday 03-06 16:00, reply 17:30, on 09:00-17:00 UTC. Business: 16:00-17:00 = exactly 60 min.
    # BIZ normal/* 60 business: met. The business target runs out at Friday's 17:00 closing, so elapsed
    # business time exceeds it only once Monday 03-09 09:00 opens: the breach instant.
    # Resolution (none): 480 = Fri 60 + Mon 09:00-16:00 420 -> breach at Mon 16:00; long past at the as-of.
    biz = ticket(warehouse, "BIZ")
    assert (biz["first_response_sla_status"], biz["resolution_sla_status"]) == ("met", "breached")
    assert biz["first_response_sla_breach_at"] == datetime(2026, 3, 9, 9, 0)
    assert biz["resolution_sla_breach_at"] == datetime(2026, 3, 9, 16, 0)
    # CAL high/* 60 calendar: 90 > 60 breached at 17:00; resolution 240 calendar -> 20:00.
    cal = ticket(warehouse, "CAL")
    assert (cal["first_response_sla_status"], cal["resolution_sla_status"]) == ("breached", "breached")
    assert (cal["first_response_sla_breach_at"], cal["resolution_sla_breach_at"]) == (
        datetime(2026, 3, 6, 17, 0), datetime(2026, 3, 6, 20, 0))  # fmt: skip
    assert cal["is_sla_business_hours"] is False
    for row in (biz, cal):
        assert row["business_first_response_minutes"] == pytest.approx(60.0)
        assert row["first_response_minutes"] == pytest.approx(90.0)
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-03-06", "business_target") == MET
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-03-06", "calendar_target") == BREACHED


def test_across_the_spring_forward_weekend(warehouse: Path) -> None:
    # new_york 09:00-17:00 local. Created Fri 03-06 16:00 EST (21:00 UTC), reply Mon 03-09 10:00 EDT (14:00 UTC),
    # solved Mon 16:00 EDT (20:00 UTC). Calendar: 21:00 Fri -> 14:00 Mon UTC = 65 h = 3900 min (66 h on the
    # wall clock). Business: Fri 16-17 = 60 + Mon 9-10 = 60 -> 120 min > 60 breached; resolution
    # 60 + 420 = 480 min = 8 h <= 480 met, exactly at its breach instant.
    row = ticket(warehouse, "SPRING")
    assert row["first_response_minutes"] == pytest.approx(3900.0)
    assert row["business_first_response_minutes"] == pytest.approx(120.0)
    assert row["business_first_resolution_hours"] == pytest.approx(8.0)
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("breached", "met")
    # 60 min run out at Friday's 17:00 EST closing; Monday opens at 09:00 EDT = 13:00 UTC (not 14:00).
    assert row["first_response_sla_breach_at"] == datetime(2026, 3, 9, 13, 0)
    # 480 = Fri 60 + Mon 420 -> Mon 16:00 EDT = 20:00 UTC.
    assert row["resolution_sla_breach_at"] == datetime(2026, 3, 9, 20, 0)
    assert median(warehouse, FIRST_RESPONSE_BUSINESS, "2026-03-06", "spring_forward") == pytest.approx(120.0)
    assert median(warehouse, RESOLUTION_BUSINESS, "2026-03-09", "spring_forward") == pytest.approx(8.0)
    assert kpi(warehouse, RESOLUTION_SLA, "2026-03-06", "spring_forward") == MET


def test_across_the_fall_back_weekend(warehouse: Path) -> None:
    # london 09:00-17:00 local. Created Fri 10-23 16:30 BST (15:30 UTC), reply Mon 10-26 09:45 GMT (= UTC),
    # solved Mon 15:00 GMT. Calendar 15:30 Fri -> 09:45 Mon = 66 h 15 = 3975 min. Business: Fri 30 +
    # Mon 45 = 75 min > 60 breached (Monday's opening is 09:00 UTC now, not 08:00); resolution
    # 30 + 360 = 390 min = 6.5 h met. Breach: 30 + 30 -> Mon 09:30; 30 + 450 -> Mon 16:30.
    row = ticket(warehouse, "FALL")
    assert row["first_response_minutes"] == pytest.approx(3975.0)
    assert row["business_first_response_minutes"] == pytest.approx(75.0)
    assert row["business_first_resolution_hours"] == pytest.approx(6.5)
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("breached", "met")
    assert (row["first_response_sla_breach_at"], row["resolution_sla_breach_at"]) == (
        datetime(2026, 10, 26, 9, 30), datetime(2026, 10, 26, 16, 30))  # fmt: skip
    assert median(warehouse, FIRST_RESPONSE_BUSINESS, "2026-10-23", "fall_back") == pytest.approx(75.0)
    assert median(warehouse, RESOLUTION_BUSINESS, "2026-10-26", "fall_back") == pytest.approx(6.5)


def test_round_the_clock_schedule_equals_calendar_time(warehouse: Path) -> None:
    # round_clock: London, every day 00:00-24:00. Created Sat 10-24 12:00 UTC (13:00 BST), reply Sun 10-25
    # 12:00 UTC (12:00 GMT): 23 h on the wall clock, but the 25-hour Sunday is open all through, so
    # business = calendar = 24 h = 1440 min > 60 breached. Solved Sun 20:00 UTC: 32 h = 1920 > 480 breached.
    # Breach instants are calendar ones: 13:00 and 20:00 on Saturday.
    row = ticket(warehouse, "ROUND")
    assert row["business_first_response_minutes"] == pytest.approx(1440.0)
    assert row["first_response_minutes"] == pytest.approx(1440.0)
    assert row["business_first_resolution_hours"] == pytest.approx(32.0)
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("breached", "breached")
    assert (row["first_response_sla_breach_at"], row["resolution_sla_breach_at"]) == (
        datetime(2026, 10, 24, 13, 0), datetime(2026, 10, 24, 20, 0))  # fmt: skip
    assert median(warehouse, RESOLUTION_BUSINESS, "2026-10-25", "round_clock") == pytest.approx(32.0)


def test_across_a_holiday(warehouse: Path) -> None:
    # london, holiday Wed 05-06. Created Tue 05-05 16:00 BST (15:00 UTC), reply Thu 09:30 BST, solved Thu
    # 12:00 BST. Business: Tue 60 + Wed 0 + Thu 30 = 90 > 60 breached; resolution Tue 60 + Thu 180 =
    # 240 min = 4 h met. The 60 min run out at Tuesday's 17:00 closing; Wednesday is off, so the breach
    # instant is Thu 09:00 BST = 08:00 UTC. Resolution: 60 + 420 -> Thu 16:00 BST = 15:00 UTC.
    row = ticket(warehouse, "HOLIDAY")
    assert row["business_first_response_minutes"] == pytest.approx(90.0)
    assert row["business_first_resolution_hours"] == pytest.approx(4.0)
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("breached", "met")
    assert (row["first_response_sla_breach_at"], row["resolution_sla_breach_at"]) == (
        datetime(2026, 5, 7, 8, 0), datetime(2026, 5, 7, 15, 0))  # fmt: skip
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-05-05", "holiday") == BREACHED
    assert kpi(warehouse, RESOLUTION_SLA, "2026-05-05", "holiday") == MET


def test_created_and_solved_outside_hours(warehouse: Path) -> None:
    # Created Sat 03-14 10:00; the clock starts Mon 03-16 09:00. Reply 09:40: 40 min met (breach at 10:00).
    # Solved Mon 18:30, after closing: 480 min = 8 h <= 480 met, exactly; the 480 run out at 17:00 closing,
    # so the breach instant is Tue 09:00.
    row = ticket(warehouse, "OUTSIDE")
    assert row["business_first_response_minutes"] == pytest.approx(40.0)
    assert row["business_first_resolution_hours"] == pytest.approx(8.0)
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("met", "met")
    assert (row["first_response_sla_breach_at"], row["resolution_sla_breach_at"]) == (
        datetime(2026, 3, 16, 10, 0), datetime(2026, 3, 17, 9, 0))  # fmt: skip
    assert median(warehouse, FIRST_RESPONSE_BUSINESS, "2026-03-14", "outside_hours") == pytest.approx(40.0)
    assert median(warehouse, RESOLUTION_BUSINESS, "2026-03-16", "outside_hours") == pytest.approx(8.0)


def test_zero_length(warehouse: Path) -> None:
    # Reply and solve at the creation instant Wed 03-11 11:00: 0 min, met. Breach: 12:00; resolution
    # Wed 11-17 = 360 + Thu 120 -> Thu 11:00.
    row = ticket(warehouse, "ZERO")
    assert (row["business_first_response_minutes"], row["business_first_resolution_hours"]) == (0.0, 0.0)
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("met", "met")
    assert (row["first_response_sla_breach_at"], row["resolution_sla_breach_at"]) == (
        datetime(2026, 3, 11, 12, 0), datetime(2026, 3, 12, 11, 0))  # fmt: skip
    assert median(warehouse, FIRST_RESPONSE_BUSINESS, "2026-03-11", "zero_length") == 0.0
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-03-11", "zero_length") == MET


def test_unknown_schedule(warehouse: Path) -> None:
    # Schedule `mars` is defined nowhere: no business minutes; MARS1's business policy has no status,
    # MARS2's calendar one (high 60 / 240) still judges: reply after 30 min met; unsolved, 240 min long
    # past at the as-of: breached (breach at 10:00 and 13:00).
    mars1, mars2 = ticket(warehouse, "MARS1"), ticket(warehouse, "MARS2")
    assert (mars1["business_first_response_minutes"], mars1["first_response_sla_status"]) == (None, None)
    assert (mars1["first_response_sla_breach_at"], mars1["resolution_sla_status"]) == (None, None)
    assert (mars2["first_response_sla_status"], mars2["resolution_sla_status"]) == ("met", "breached")
    assert (mars2["first_response_sla_breach_at"], mars2["resolution_sla_breach_at"]) == (
        datetime(2026, 3, 12, 10, 0), datetime(2026, 3, 12, 13, 0))  # fmt: skip
    assert product_kpis(warehouse, "unknown_schedule") == {FIRST_RESPONSE_SLA, RESOLUTION_SLA}
    assert kpi(warehouse, FIRST_RESPONSE_SLA, "2026-03-12", "unknown_schedule") == MET
    assert kpi(warehouse, RESOLUTION_SLA, "2026-03-12", "unknown_schedule") == BREACHED


def test_a_policy_without_resolution_target(warehouse: Path) -> None:
    # urgent/* 30 calendar, no resolution target: reply after 20 min met (breach at 10:30); no resolution SLA.
    row = ticket(warehouse, "URGENT")
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == ("met", None)
    assert (row["first_response_sla_breach_at"], row["resolution_sla_breach_at"]) == (
        datetime(2026, 3, 12, 10, 30), None)  # fmt: skip
    assert product_kpis(warehouse, "no_resolution_target") == {
        FIRST_RESPONSE_SLA, FIRST_RESPONSE_BUSINESS, RESOLUTION_BUSINESS}  # fmt: skip


def test_breach_instant_with_less_than_a_second_left(warehouse: Path) -> None:
    # Created Fri 03-06 15:59:59.5 on 09:00-17:00 UTC, 60 business minutes: the target runs out at
    # 16:59:59.5, with half a second of open time left, so the breach instant is then, not Monday.
    row = ticket(warehouse, "SUBSEC")
    assert row["first_response_sla_breach_at"] == datetime(2026, 3, 6, 16, 59, 59, 500000)
    assert row["first_response_sla_status"] == "breached"


def test_agent_initiated_ticket_is_outside_the_slas(warehouse: Path) -> None:
    # Outbound Mon 03-02 09:00; solved 11:00. No SLA status or breach instant, no first-response median;
    # its resolution still counts in business hours: 2 h.
    row = ticket(warehouse, "OUTBOUND")
    assert (row["first_response_sla_status"], row["resolution_sla_status"]) == (None, None)
    assert (row["first_response_sla_breach_at"], row["resolution_sla_breach_at"]) == (None, None)
    assert product_kpis(warehouse, "agent_initiated") == {RESOLUTION_BUSINESS}
    assert median(warehouse, RESOLUTION_BUSINESS, "2026-03-02", "agent_initiated") == pytest.approx(2.0)


def test_all_cases_together(warehouse: Path) -> None:
    # Created in March 2026 with a status: met MET, WEB, OUTSIDE, ZERO, BIZ, MARS2, URGENT (7); breached LATE,
    # CHAT, NULLPRIO, CAL, SPRING, SUBSEC (6; SUBSEC: 3,600.5 business seconds > 3,600) -> 7 / 13.
    row = query(
        warehouse,
        "select value, numerator, denominator, sample_size from kpi_values where kpi_id = ? and grain = 'month' "
        "and period_start = ? and dimension = 'all'",
        [FIRST_RESPONSE_SLA, date(2026, 3, 1)],
    )
    assert row == [(pytest.approx(700 / 13), 7.0, 13.0, 13)]


def test_fct_tickets_match_the_reference(sla_data: Path, warehouse: Path) -> None:
    measures = ticket_sla_measures(sla_data, as_of=datetime.fromisoformat(AS_OF))
    assert len(measures) == 21
    for ticket_id, expected in measures.items():
        row = ticket(warehouse, ticket_id)
        sla, policy = expected.sla, expected.sla.policy
        assert row["first_response_sla_status"] == sla.first_response_status, ticket_id
        assert row["resolution_sla_status"] == sla.resolution_status, ticket_id
        assert row["first_response_sla_breach_at"] == expected.first_response_breach_at, ticket_id
        assert row["resolution_sla_breach_at"] == expected.resolution_breach_at, ticket_id
        assert row["business_first_response_minutes"] == pytest.approx(sla.business_first_response_minutes), ticket_id
        assert row["business_first_resolution_hours"] == pytest.approx(sla.business_first_resolution_hours), ticket_id
        assert (row["sla_policy_priority"], row["sla_policy_channel"], row["is_sla_business_hours"]) == (
            (policy.priority, policy.channel, policy.business_hours) if policy else (None, None, None)
        ), ticket_id


def test_hand_cases_match_reference(sla_data: Path, warehouse: Path) -> None:
    registry = load_registry()
    expected = compute_kpi_values(sla_data, as_of=datetime.fromisoformat(AS_OF))
    ids = {row.kpi_id for row in expected} | set(registry.ids)
    problems = differences(
        warehouse_rows(warehouse, ids), reference_rows(expected, ids), {k.id: k.unit for k in registry.kpis}
    )
    assert not problems, "\n".join(problems)
