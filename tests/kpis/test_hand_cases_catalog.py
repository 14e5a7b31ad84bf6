"""The optional tables' KPIs on a hand-made dataset (tests/kpis/hand_cases_catalog.py), through the real
loader and `dbt build`. Expected numbers are worked out by hand in the comments; the whole of
kpi_values is also compared with the independent reference."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reference import compute_kpi_values
from support_kpis.kpi_registry import load_registry
from tests.kpis.comparison import differences, reference_rows, warehouse_rows
from tests.kpis.hand_cases_catalog import write_catalog_cases
from tests.warehouses import build_warehouse, query


@pytest.fixture(scope="module")
def catalog_data(session_dir: Path) -> Path:
    return write_catalog_cases(session_dir / "catalog-cases")


@pytest.fixture(scope="module")
def warehouse(catalog_data: Path, session_dir: Path) -> Path:
    return build_warehouse(catalog_data, session_dir, name="catalog-cases")


def kpi(
    warehouse: Path, kpi_id: str, period: str, grain: str = "month", dimension: str = "all", value: str = "all"
) -> tuple[float | None, ...] | None:
    rows = query(
        warehouse,
        "select value, numerator, denominator, sample_size from kpi_values where kpi_id = ? and grain = ? "
        "and period_start = ? and dimension = ? and dimension_value = ?",
        [kpi_id, grain, date.fromisoformat(period), dimension, value],
    )
    return rows[0] if rows else None


def test_csat_mixes_scales(warehouse: Path) -> None:
    # S1 4/5 -> 0.75 (satisfied), S2 8/1-10 -> 7/9 (satisfied), S3 7/1-10 -> 6/9, S4 3/5 -> 0.5.
    assert kpi(warehouse, "csat_pct", "2026-03-01") == (50.0, 2.0, 4.0, 4)
    # (0.75 + 7/9 + 6/9 + 0.5) / 4 x 100 = 67.3611...
    assert kpi(warehouse, "csat_avg_normalized", "2026-03-01")[0] == pytest.approx((0.75 + 13 / 9 + 0.5) / 4 * 100)
    # Ticket dimensions only for linked responses: S1 via T1 (email), S2 via T2 (chat).
    assert kpi(warehouse, "csat_pct", "2026-03-01", dimension="channel", value="email") == (100.0, 1.0, 1.0, 1)
    assert kpi(warehouse, "csat_pct", "2026-03-01", dimension="channel", value="chat") == (100.0, 1.0, 1.0, 1)
    assert kpi(warehouse, "csat_pct", "2026-03-01", dimension="channel", value="unknown") is None
    # Segment via the response's customer, else its ticket's: S1 (T1 -> C1) and S3 (C1) are enterprise.
    assert kpi(warehouse, "csat_pct", "2026-03-01", dimension="segment", value="enterprise") == (50.0, 1.0, 2.0, 2)
    assert kpi(warehouse, "csat_pct", "2026-03-01", dimension="segment", value="unknown") == (0.0, 0.0, 1.0, 1)


def test_nps_and_ces(warehouse: Path) -> None:
    # March: 10 and 9 promote, 3 detracts: (2 - 1) / 3 x 100.
    assert kpi(warehouse, "nps", "2026-03-01") == (pytest.approx(100 / 3), 100.0, 3.0, 3)
    # April: only passives (7, 8): 0, not missing.
    assert kpi(warehouse, "nps", "2026-04-01") == (0.0, 0.0, 2.0, 2)
    # CES 7 on 1-7 -> 7; 2 on 1-5 -> 1 + 6 x 0.25 = 2.5; mean 4.75.
    assert kpi(warehouse, "ces_avg", "2026-03-01") == (4.75, 9.5, 2.0, 2)


def test_reviews(warehouse: Path) -> None:
    # March: R1 (5), R2 (4), R3 (5).
    assert kpi(warehouse, "positive_reviews", "2026-03-01")[0] == 2.0
    assert kpi(warehouse, "positive_review_share_pct", "2026-03-01")[:3] == (pytest.approx(200 / 3), 2.0, 3.0)
    # R1 03-01 -> R3 03-21: 20 days (March); R3 -> R4 04-10: 20 days (April).
    assert kpi(warehouse, "avg_days_between_positive_reviews", "2026-03-01") == (20.0, 20.0, 1.0, 1)
    assert kpi(warehouse, "avg_days_between_positive_reviews", "2026-04-01") == (20.0, 20.0, 1.0, 1)
    # Within the enterprise segment (C1): R1 -> R4 = 40 days, in April.
    assert kpi(
        warehouse, "avg_days_between_positive_reviews", "2026-04-01", dimension="segment", value="enterprise"
    ) == (40.0, 40.0, 1.0, 1)


def test_agents(warehouse: Path) -> None:
    # A1's reply on T1, 03-02.
    assert kpi(warehouse, "agent_replies", "2026-03-02", "day", "agent", "A1")[0] == 1.0
    assert kpi(warehouse, "active_agents", "2026-03-01")[0] == 1.0
    # 03-02: A1 handled 600 s of 3,600 logged in; A2 0 of 7,200. A1's 03-03 has no logged-in time: left out.
    assert kpi(warehouse, "agent_utilization_pct", "2026-03-02", "day", "agent", "A1") == (
        pytest.approx(100 / 6),
        600.0,
        3600.0,
        1,
    )
    assert kpi(warehouse, "agent_utilization_pct", "2026-03-01", dimension="team", value="billing") == (
        pytest.approx(600 / 10800 * 100),
        600.0,
        10800.0,
        2,
    )
    # Engagement 9, 6, 7: mean 7.33; eNPS (1 - 1) / 3 = 0.
    assert kpi(warehouse, "employee_engagement_avg", "2026-03-01")[0] == pytest.approx(22 / 3)
    assert kpi(warehouse, "employee_nps", "2026-03-01") == (0.0, 0.0, 3.0, 3)


def test_knowledge_base(warehouse: Path) -> None:
    # K1 live 03-01 .. archived exactly at 04-01 00:00: still live at March's end. K2 from 03-15.
    assert kpi(warehouse, "kb_articles_live", "2026-03-01")[0] == 2.0
    assert kpi(warehouse, "kb_articles_live", "2026-04-01")[0] == 1.0
    assert kpi(warehouse, "kb_articles_published", "2026-03-01")[0] == 2.0


def test_self_service(warehouse: Path) -> None:
    # March: SS1 deflected (resolved, no ticket), SS2 resolved but opened T1, SS3 not, SS4 null = not.
    assert kpi(warehouse, "self_service_sessions", "2026-03-01")[0] == 4.0
    assert kpi(warehouse, "self_service_resolution_pct", "2026-03-01") == (25.0, 1.0, 4.0, 4)
    # Votes: SS1 helpful, SS3 not; SS2 and SS4 did not vote.
    assert kpi(warehouse, "kb_helpfulness_pct", "2026-03-01") == (50.0, 1.0, 2.0, 2)
    # April's only session did not vote: no helpfulness row.
    assert kpi(warehouse, "kb_helpfulness_pct", "2026-04-01") is None
    # 1 deflected session / (1 + 2 tickets created in March).
    assert kpi(warehouse, "deflection_rate_pct", "2026-03-01") == (pytest.approx(100 / 3), 1.0, 3.0, 3)
    # T2: a bot message and no agent reply; T1 had an agent reply.
    assert kpi(warehouse, "bot_resolution_pct", "2026-03-01") == (50.0, 1.0, 2.0, 2)


def test_churn_and_a_customer_coming_back(warehouse: Path) -> None:
    # Active: Jan C1 C2; Feb C1 C2 C3; Mar C1 C3 (C2 churns); Apr C1 C2 C3 (C2 back); May all.
    assert kpi(warehouse, "customer_churn_rate_pct", "2026-01-01") is None  # nobody active before
    assert kpi(warehouse, "customer_churn_rate_pct", "2026-03-01") == (pytest.approx(100 / 3), 1.0, 3.0, 3)
    assert kpi(warehouse, "customer_retention_rate_pct", "2026-03-01") == (pytest.approx(200 / 3), 2.0, 3.0, 3)
    # April: S = {C1, C3}, E = 3, N = 1 (C2 back): (3 - 1) / 2.
    assert kpi(warehouse, "customer_retention_rate_pct", "2026-04-01") == (100.0, 2.0, 2.0, 2)
    assert kpi(warehouse, "customer_churn_rate_pct", "2026-04-01") == (0.0, 0.0, 2.0, 2)
    assert kpi(warehouse, "customer_churn_rate_pct", "2026-03-01", dimension="segment", value="smb") == (
        50.0,
        1.0,
        2.0,
        2,
    )
    # MRR: Feb 180, Mar 130, Apr 190; growth Mar (130 - 180) / 180.
    assert kpi(warehouse, "mrr", "2026-03-01")[::3] == (130.0, 2)
    assert kpi(warehouse, "mrr_growth_rate_pct", "2026-03-01") == (pytest.approx(-50 / 180 * 100), -50.0, 180.0, 3)
    assert kpi(warehouse, "arpa", "2026-03-01") == (65.0, 130.0, 2.0, 2)
    # New customers by created_at month, every month up to the as-of month: C1 (Dec 2025, before the first
    # revenue month: it counts all the same), C2 (Jan), C3 (Feb).
    assert kpi(warehouse, "new_customers", "2026-01-01")[0] == 1.0
    assert kpi(warehouse, "new_customers", "2026-02-01")[0] == 1.0
    assert kpi(warehouse, "new_customers", "2025-12-01") == (1.0, None, None, 1)


def test_lifetime_value_is_null_when_nobody_churns(warehouse: Path) -> None:
    # March: ARPA 65 x 100% / (1/3) = 195.
    assert kpi(warehouse, "customer_lifetime_value", "2026-03-01") == (pytest.approx(195.0), None, None, 3)
    # February: nobody churned: the row exists with a null value.
    assert kpi(warehouse, "customer_lifetime_value", "2026-02-01") == (None, None, None, 2)


def test_costs(warehouse: Path) -> None:
    assert kpi(warehouse, "support_cost", "2026-03-01") == (1200.0, None, None, 2)
    # T1 and T2 were solved in March: 1200 / 2.
    assert kpi(warehouse, "cost_per_ticket", "2026-03-01") == (600.0, 1200.0, 2.0, 2)
    # May has costs but no solved ticket: support cost only.
    assert kpi(warehouse, "support_cost", "2026-05-01")[0] == 900.0
    assert kpi(warehouse, "cost_per_ticket", "2026-05-01") is None
    assert kpi(warehouse, "support_cost_to_revenue_pct", "2026-03-01")[:3] == (
        pytest.approx(1200 / 130 * 100),
        1200.0,
        130.0,
    )
    # February: 300 spent, 1 new customer (C3); March: 500 spent, nobody new.
    assert kpi(warehouse, "customer_acquisition_cost", "2026-02-01") == (300.0, 300.0, 1.0, 1)
    assert kpi(warehouse, "customer_acquisition_cost", "2026-03-01") is None


def test_catalog_cases_match_reference(catalog_data: Path, warehouse: Path) -> None:
    registry = load_registry()
    expected = compute_kpi_values(catalog_data)
    ids = set(registry.ids)
    problems = differences(
        warehouse_rows(warehouse, ids), reference_rows(expected, ids), {k.id: k.unit for k in registry.kpis}
    )
    assert not problems, "\n".join(problems)
