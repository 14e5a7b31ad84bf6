"""kpi_scorecard against targets (seed and user file) and agent_leaderboard's consistency with kpi_values."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from tests.kpis.hand_cases_catalog import write_catalog_cases
from tests.warehouses import build_warehouse, query, write_csv


@pytest.fixture(scope="module")
def seeded_targets_warehouse(session_dir: Path) -> Path:
    # The catalog cases ship no kpi_targets file: the seed's example targets apply.
    data = write_catalog_cases(session_dir / "scorecard-seeded")
    return build_warehouse(data, session_dir, name="scorecard-seeded")


@pytest.fixture(scope="module")
def user_targets_warehouse(session_dir: Path) -> Path:
    data = write_catalog_cases(session_dir / "scorecard-user")
    write_csv(data, "kpi_targets", ["kpi_id", "target"], [["nps", -10], ["tickets_created", 5]])
    return build_warehouse(data, session_dir, name="scorecard-user")


def scorecard(warehouse: Path, kpi_id: str, grain: str = "month") -> tuple[object, ...]:
    rows = query(
        warehouse,
        "select period_start, value, previous_value, target, status from kpi_scorecard where kpi_id = ? and grain = ?",
        [kpi_id, grain],
    )
    assert len(rows) == 1
    return rows[0]


def test_scorecard_uses_latest_complete_period_and_seed_targets(seeded_targets_warehouse: Path) -> None:
    # As-of 2026-05-20: the latest complete month is April, the week before 05-18's, the day 05-19.
    assert scorecard(seeded_targets_warehouse, "nps")[0] == date(2026, 4, 1)
    assert scorecard(seeded_targets_warehouse, "tickets_created", "week")[0] == date(2026, 5, 11)
    assert scorecard(seeded_targets_warehouse, "tickets_created", "day")[0] == date(2026, 5, 19)
    # NPS April 0 (passives only), March 33.3; seed target 30, higher is better: off target.
    _, value, previous, target, status = scorecard(seeded_targets_warehouse, "nps")
    assert (value, target, status) == (0.0, 30.0, "off_target")
    assert previous == pytest.approx(100 / 3)
    # Churn April 0 % against the seed's 2 %, lower is better: on target.
    assert scorecard(seeded_targets_warehouse, "customer_churn_rate_pct")[1:] == (
        0.0,
        pytest.approx(100 / 3),
        2.0,
        "on_target",
    )
    # A count without a row is 0: no ticket was open at April's end. The seed ships no backlog target (a good
    # backlog depends on the team's size), so no verdict.
    assert scorecard(seeded_targets_warehouse, "backlog_open_tickets")[1] == 0.0
    assert scorecard(seeded_targets_warehouse, "backlog_open_tickets")[3:] == (None, "no_target")
    # No CSAT response in April: no value, no verdict.
    assert scorecard(seeded_targets_warehouse, "csat_pct")[1] is None
    assert scorecard(seeded_targets_warehouse, "csat_pct")[4] == "no_target"


def test_user_targets_replace_the_seed(user_targets_warehouse: Path) -> None:
    _, value, _, target, status = scorecard(user_targets_warehouse, "nps")
    assert (value, target, status) == (0.0, -10.0, "on_target")
    # Seed targets are gone once the user supplies a file.
    assert scorecard(user_targets_warehouse, "customer_churn_rate_pct")[3] is None
    # A neutral KPI gets no verdict even with a target.
    assert scorecard(user_targets_warehouse, "tickets_created")[3:] == (5.0, "no_target")


def _agent_kpis(warehouse: Path, kpi_id: str) -> dict[tuple[object, str], float]:
    rows = query(
        warehouse,
        "select period_start, dimension_value, value from kpi_values "
        "where kpi_id = ? and grain = 'month' and dimension = 'agent' and dimension_value <> 'unknown'",
        [kpi_id],
    )
    return {(period, agent): value for period, agent, value in rows}


def test_leaderboard_measures_equal_kpi_values_by_agent(sample_warehouse: Path) -> None:
    board = query(
        sample_warehouse,
        "select leaderboard_month, agent_id, tickets_solved, csat_pct, first_contact_resolution_pct, "
        "first_response_median_minutes from agent_leaderboard",
    )
    assert len(board) > 20
    solved = _agent_kpis(sample_warehouse, "tickets_solved")
    csat = _agent_kpis(sample_warehouse, "csat_pct")
    fcr = _agent_kpis(sample_warehouse, "first_contact_resolution_pct")
    frt = _agent_kpis(sample_warehouse, "first_response_time_median_minutes")
    for month, agent, tickets_solved, csat_pct, fcr_pct, frt_median in board:
        key = (month, agent)
        assert tickets_solved == solved.get(key, 0.0)
        for got, expected in ((csat_pct, csat.get(key)), (fcr_pct, fcr.get(key)), (frt_median, frt.get(key))):
            assert (got is None and expected is None) or math.isclose(got, expected, rel_tol=1e-9), (key, got, expected)


def test_leaderboard_ranks_by_score(sample_warehouse: Path) -> None:
    rows = query(
        sample_warehouse,
        "select leaderboard_month, leaderboard_rank, leaderboard_score, is_ranked, tickets_solved "
        "from agent_leaderboard order by leaderboard_month, leaderboard_rank",
    )
    by_month: dict[object, list[tuple[int, float]]] = {}
    for month, rank, score, is_ranked, tickets_solved in rows:
        assert is_ranked == (tickets_solved >= 5)
        assert (rank is None) == (not is_ranked)
        if is_ranked:
            assert 0.0 <= score <= 1.0
            by_month.setdefault(month, []).append((rank, score))
    assert by_month
    for ranked in by_month.values():
        scores = [score for _, score in sorted(ranked)]
        assert scores == sorted(scores, reverse=True)
        assert sorted(ranked)[0][0] == 1
