"""Contract version 2 on a hand-made dataset, through the real loader and `dbt build`.

Every expected number is worked out by hand from tests/kpis/hand_cases_contract_v2.py (schedule, policies and
targets are listed there); times in UTC on the `default` schedule, Monday-Friday 09:00-17:00. As-of: Friday
2026-03-06 12:00. The whole of kpi_values is also compared with the independent reference implementation.
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
from tests.kpis.hand_cases_contract_v2 import AS_OF, write_contract_v2_hand_cases
from tests.warehouses import build_warehouse, query

NEXT_REPLY_SLA = "sla_next_response_attainment_pct"
FIRST_RESPONSE_SLA = "sla_first_response_attainment_pct"
TICKET_COLUMNS = (
    "first_response_target_minutes", "first_response_target_source", "is_first_response_business_hours",
    "first_response_sla_status", "first_response_sla_breach_at",
)  # fmt: skip
CYCLE_COLUMNS = (
    "started_at", "replied_at", "wait_minutes", "business_wait_minutes", "next_response_target_minutes",
    "next_response_target_source", "is_next_response_business_hours", "next_response_sla_status",
    "next_response_sla_breach_at",
)  # fmt: skip


@pytest.fixture(scope="module")
def v2_data(session_dir: Path) -> Path:
    return write_contract_v2_hand_cases(session_dir / "contract-v2-hand-cases")


@pytest.fixture(scope="module")
def warehouse(v2_data: Path, session_dir: Path) -> Path:
    return build_warehouse(v2_data, session_dir, {"as_of": AS_OF}, name="contract-v2-hand")


def ticket(warehouse: Path, ticket_id: str) -> dict[str, Any]:
    rows = query(warehouse, f"select {', '.join(TICKET_COLUMNS)} from fct_tickets where ticket_id = ?", [ticket_id])
    assert len(rows) == 1, ticket_id
    return dict(zip(TICKET_COLUMNS, rows[0], strict=True))


def cycles(warehouse: Path, ticket_id: str) -> list[dict[str, Any]]:
    rows = query(
        warehouse,
        f"select {', '.join(CYCLE_COLUMNS)} from fct_next_replies where ticket_id = ? order by started_at",
        [ticket_id],
    )
    return [dict(zip(CYCLE_COLUMNS, row, strict=True)) for row in rows]


def kpi_all(warehouse: Path, kpi_id: str, grain: str, period: str) -> list[tuple[Any, ...]]:
    return query(
        warehouse,
        "select value, numerator, denominator, sample_size from kpi_values where kpi_id = ? and grain = ? "
        "and period_start = ? and dimension = 'all'",
        [kpi_id, grain, date.fromisoformat(period)],
    )


def test_a_target_changed_before_the_first_reply_decides_it(warehouse: Path) -> None:
    # Created Mon 10:00, reply 10:30 (30 business minutes). Targets: 60 applied 10:00, 20 applied 10:10: the
    # latest applied by the reply is 20 -> 30 > 20 breached; breach at created + 20 business minutes = 10:20.
    assert ticket(warehouse, "CHG_BEFORE") == {
        "first_response_target_minutes": 20.0,
        "first_response_target_source": "ticket",
        "is_first_response_business_hours": True,
        "first_response_sla_status": "breached",
        "first_response_sla_breach_at": datetime(2026, 3, 2, 10, 20),
    }


def test_a_target_changed_after_the_first_reply_does_not(warehouse: Path) -> None:
    # Same times; the 20-minute target is applied at 10:45, after the reply: 60 decides -> 30 <= 60 met;
    # breach instant created + 60 = 11:00.
    assert ticket(warehouse, "CHG_AFTER") == {
        "first_response_target_minutes": 60.0,
        "first_response_target_source": "ticket",
        "is_first_response_business_hours": True,
        "first_response_sla_status": "met",
        "first_response_sla_breach_at": datetime(2026, 3, 2, 11, 0),
    }


def test_tickets_without_targets_keep_the_policy(warehouse: Path) -> None:
    # NIGHT has only a next-reply target: its first response falls back to normal/* (60 business).
    # Created Mon 15:00, reply 15:10: met, breach instant 16:00. NO_TARGET (low) has no policy at all.
    assert ticket(warehouse, "NIGHT") == {
        "first_response_target_minutes": 60.0,
        "first_response_target_source": "policy",
        "is_first_response_business_hours": True,
        "first_response_sla_status": "met",
        "first_response_sla_breach_at": datetime(2026, 3, 2, 16, 0),
    }
    assert ticket(warehouse, "NO_TARGET")["first_response_target_source"] is None
    assert ticket(warehouse, "NO_TARGET")["first_response_sla_status"] is None


def test_business_hours_next_reply_across_a_night(warehouse: Path) -> None:
    # The first cycle (15:00 -> 15:10) is the first response, not a next reply. Target 60 business minutes.
    # Cycle 16:30 Mon -> 09:45 Tue: business 16:30-17:00 = 30 + 09:00-09:45 = 45 -> 75 > 60 breached;
    # calendar wait 17 h 15 = 1,035 min; 30 left at Monday's closing -> breach at Tue 09:30.
    # Cycle 10:00 -> 10:50 Tue: 50 <= 60 met; breach instant 11:00.
    assert cycles(warehouse, "NIGHT") == [
        {
            "started_at": datetime(2026, 3, 2, 16, 30),
            "replied_at": datetime(2026, 3, 3, 9, 45),
            "wait_minutes": pytest.approx(1035.0),
            "business_wait_minutes": pytest.approx(75.0),
            "next_response_target_minutes": 60.0,
            "next_response_target_source": "ticket",
            "is_next_response_business_hours": True,
            "next_response_sla_status": "breached",
            "next_response_sla_breach_at": datetime(2026, 3, 3, 9, 30),
        },
        {
            "started_at": datetime(2026, 3, 3, 10, 0),
            "replied_at": datetime(2026, 3, 3, 10, 50),
            "wait_minutes": pytest.approx(50.0),
            "business_wait_minutes": pytest.approx(50.0),
            "next_response_target_minutes": 60.0,
            "next_response_target_source": "ticket",
            "is_next_response_business_hours": True,
            "next_response_sla_status": "met",
            "next_response_sla_breach_at": datetime(2026, 3, 3, 11, 0),
        },
    ]


def test_a_next_reply_target_applied_after_a_reply_decides_only_later_cycles(warehouse: Path) -> None:
    # Cycle 11:00 -> 13:30 Tue: the ticket's 240 is applied at 14:00, after this reply, so the policy's 120
    # business minutes decide: 150 > 120 breached at 13:00. Cycle 14:30 -> 16:30: 240 applies (14:00 <=
    # 16:30): 120 <= 240 met; 240 business minutes from 14:30 = 150 on Tue (to 17:00) + 90 Wed -> 10:30 Wed.
    rows = cycles(warehouse, "TARGET_LATE")
    assert [(r["next_response_target_minutes"], r["next_response_target_source"]) for r in rows] == [
        (120.0, "policy"), (240.0, "ticket"),
    ]  # fmt: skip
    assert [r["next_response_sla_status"] for r in rows] == ["breached", "met"]
    assert [r["next_response_sla_breach_at"] for r in rows] == [
        datetime(2026, 3, 3, 13, 0),
        datetime(2026, 3, 4, 10, 30),
    ]


def test_a_cycle_still_waiting_past_its_target_is_breached(warehouse: Path) -> None:
    # high/* policy: next reply 60 calendar minutes. Customer wrote Thu 10:00, no reply by Fri 12:00 (26 h):
    # breached, breach at Thu 11:00. RUNNING (normal, 120 business) waits since Fri 11:30: 30 minutes at the
    # as-of time, still running (left out of the KPI); its breach instant is 13:30.
    (waiting,) = cycles(warehouse, "WAITING")
    assert (waiting["replied_at"], waiting["wait_minutes"], waiting["next_response_target_source"]) == (
        None, None, "policy")  # fmt: skip
    assert (waiting["next_response_sla_status"], waiting["next_response_sla_breach_at"]) == (
        "breached", datetime(2026, 3, 5, 11, 0))  # fmt: skip
    (running,) = cycles(warehouse, "RUNNING")
    assert (running["next_response_sla_status"], running["next_response_sla_breach_at"]) == (
        "running", datetime(2026, 3, 6, 13, 30))  # fmt: skip


def test_a_cycle_without_a_target_is_left_out(warehouse: Path) -> None:
    # NO_TARGET is low priority (no policy) with no targets of its own: its next reply (11:00 -> 12:00) has no
    # target and no status.
    (row,) = cycles(warehouse, "NO_TARGET")
    assert (row["next_response_target_minutes"], row["next_response_sla_status"]) == (None, None)
    assert row["wait_minutes"] == pytest.approx(60.0)


def test_next_reply_attainment_by_the_cycle_start(warehouse: Path) -> None:
    # Mon 03-02: NIGHT's first next reply, breached (NO_TARGET's has no target) -> 0 / 1.
    # Tue 03-03: NIGHT met, TARGET_LATE breached and met -> 2 / 3.
    # Thu 03-05: WAITING breached -> 0 / 1. Fri 03-06: RUNNING still running -> no observation.
    # March: 2 met / 5 -> 40 %.
    assert kpi_all(warehouse, NEXT_REPLY_SLA, "day", "2026-03-02") == [(0.0, 0.0, 1.0, 1)]
    assert kpi_all(warehouse, NEXT_REPLY_SLA, "day", "2026-03-03") == [(pytest.approx(200 / 3), 2.0, 3.0, 3)]
    assert kpi_all(warehouse, NEXT_REPLY_SLA, "day", "2026-03-05") == [(0.0, 0.0, 1.0, 1)]
    assert kpi_all(warehouse, NEXT_REPLY_SLA, "day", "2026-03-06") == []
    assert kpi_all(warehouse, NEXT_REPLY_SLA, "month", "2026-03-01") == [(40.0, 2.0, 5.0, 5)]
    # First response, March: met CHG_AFTER, NIGHT, TARGET_LATE (5 of 60), WAITING (5 of 30 calendar),
    # RUNNING (5 of 60); breached CHG_BEFORE; NO_TARGET has no policy -> 5 / 6.
    assert kpi_all(warehouse, FIRST_RESPONSE_SLA, "month", "2026-03-01") == [(pytest.approx(500 / 6), 5.0, 6.0, 6)]


def test_binary_csat(warehouse: Path) -> None:
    # Three csat responses on scale 0-1 on Mon 03-02: 1, 0, 1. Normalized = the score; satisfied = 1
    # (>= 0.75) -> csat_pct 2 / 3; csat_avg_normalized = mean(1, 0, 1) x 100 = 66.67.
    assert kpi_all(warehouse, "csat_pct", "day", "2026-03-02") == [(pytest.approx(200 / 3), 2.0, 3.0, 3)]
    ((value, *_),) = kpi_all(warehouse, "csat_avg_normalized", "day", "2026-03-02")
    assert value == pytest.approx(200 / 3)
    scores = query(warehouse, "select response_id, normalized_score, is_satisfied from fct_survey_responses order by 1")
    assert scores == [("S1", 1.0, True), ("S2", 0.0, False), ("S3", 1.0, True)]


def test_the_reference_agrees_ticket_by_ticket(v2_data: Path, warehouse: Path) -> None:
    measures = ticket_sla_measures(v2_data, as_of=datetime.fromisoformat(AS_OF))
    assert len(measures) == 7
    for ticket_id, expected in measures.items():
        row = ticket(warehouse, ticket_id)
        target = expected.sla.first_response_target
        assert row["first_response_sla_status"] == expected.sla.first_response_status, ticket_id
        assert row["first_response_target_source"] == (target.source if target else None), ticket_id
        got = [
            (r["started_at"], r["next_response_sla_status"], r["next_response_sla_breach_at"])
            for r in cycles(warehouse, ticket_id)
        ]
        want = [(r.started_at, r.status, r.breach_at) for r in expected.next_replies]
        assert got == want, ticket_id


def test_kpi_values_match_the_reference(v2_data: Path, warehouse: Path) -> None:
    registry = load_registry()
    expected = compute_kpi_values(v2_data, as_of=datetime.fromisoformat(AS_OF))
    ids = {row.kpi_id for row in expected} | set(registry.ids)
    problems = differences(
        warehouse_rows(warehouse, ids), reference_rows(expected, ids), {k.id: k.unit for k in registry.kpis}
    )
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def targets_only_warehouse(v2_data: Path, session_dir: Path) -> Path:
    """The same data without sla_policies.csv: per-ticket targets only, as a Zendesk account has them."""
    folder = session_dir / "contract-v2-targets-only"
    folder.mkdir(exist_ok=True)
    for path in v2_data.iterdir():
        if path.name != "sla_policies.csv":
            (folder / path.name).write_bytes(path.read_bytes())
    return build_warehouse(folder, session_dir, {"as_of": AS_OF}, name="contract-v2-targets-only")


def test_the_shipped_policies_stay_off_when_tickets_carry_their_own_targets(targets_only_warehouse: Path) -> None:
    # No sla_policies file, but ticket_sla_targets has rows: the seed does not apply. WAITING (high) would get
    # the seed's high/* targets; it has none of its own, so it has no SLA at all. CHG_BEFORE keeps its own 20.
    waiting = ticket(targets_only_warehouse, "WAITING")
    assert (waiting["first_response_target_source"], waiting["first_response_sla_status"]) == (None, None)
    assert cycles(targets_only_warehouse, "WAITING")[0]["next_response_sla_status"] is None
    before = ticket(targets_only_warehouse, "CHG_BEFORE")
    assert (before["first_response_target_minutes"], before["first_response_sla_status"]) == (20.0, "breached")
    # Next replies with a target: only NIGHT's (breached Mon, met Tue) -> March 1 / 2. TARGET_LATE's first next
    # reply (before its target was applied) has no policy to fall back on now; its second is met -> 2 / 3.
    assert kpi_all(targets_only_warehouse, NEXT_REPLY_SLA, "month", "2026-03-01") == [
        (pytest.approx(200 / 3), 2.0, 3.0, 3)
    ]
    assert (
        query(targets_only_warehouse, "select distinct config_source from intermediate.int_sla_policies_selected") == []
    )
