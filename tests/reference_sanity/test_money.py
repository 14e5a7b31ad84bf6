"""The reference's customer and money KPIs: churn, retention, MRR, lifetime value, costs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from reference import compute_kpi_values
from tests.reference_sanity.builders import find, parts, series, status_change, ticket, write_folder, write_table


def money_folder(folder: Path) -> Path:
    write_folder(
        folder,
        [ticket("T1", "2026-01-05T00:00:00")],
        [],
        [{"customer_id": "C1", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "segment": "smb", "region": "emea"},
         {"customer_id": "C3", "segment": "enterprise", "region": "emea"}],
    )  # fmt: skip
    revenue = [
        # C1 churns in March (a row of 0) and comes back in April; C2 leaves in April (no row);
        # C3 starts in February. No row at all in May; June is after the as-of.
        ("C1", "2026-01-01", "100"), ("C1", "2026-02-01", "100"), ("C1", "2026-03-01", "0"),
        ("C1", "2026-04-01", "120"), ("C1", "2026-06-01", "999"),
        ("C2", "2026-01-01", "50"), ("C2", "2026-02-01", "60"), ("C2", "2026-03-01", "60"),
        ("C3", "2026-02-01", "40"), ("C3", "2026-03-01", "40"), ("C3", "2026-04-01", "40"),
    ]  # fmt: skip
    write_table(folder, "customer_revenue", [{"customer_id": c, "month": m, "mrr": v} for c, m, v in revenue])
    return folder


def test_a_customer_churning_and_coming_back(tmp_path: Path) -> None:
    rows = compute_kpi_values(money_folder(tmp_path), as_of=datetime(2026, 5, 10))
    # Active: Jan {C1, C2} 150 | Feb {C1, C2, C3} 200 | Mar {C2, C3} 100 | Apr {C1, C3} 160 | May {} 0.
    assert series(rows, "mrr", "month") == {"2026-01-01": 150.0, "2026-02-01": 200.0, "2026-03-01": 100.0,
                                            "2026-04-01": 160.0}  # fmt: skip
    assert parts(find(rows, "mrr", "month", "2026-04-01")) == (160.0, None, None, 2)
    assert parts(find(rows, "arpa", "month", "2026-02-01")) == (pytest.approx(200 / 3), 200.0, 3.0, 3)
    # January has no previous active customer: no churn, retention or growth row.
    assert find(rows, "customer_churn_rate_pct", "month", "2026-01-01") is None
    assert find(rows, "mrr_growth_rate_pct", "month", "2026-01-01") is None
    # March: S = 3, C1 lost -> churn 1/3, retention (E 2 - N 0) / 3.
    assert parts(find(rows, "customer_churn_rate_pct", "month", "2026-03-01")) == (pytest.approx(100 / 3), 1.0, 3.0, 3)
    assert parts(find(rows, "customer_retention_rate_pct", "month", "2026-03-01")) == (
        pytest.approx(200 / 3), 2.0, 3.0, 3
    )  # fmt: skip
    # April: S = {C2, C3}, C2 lost -> churn 1/2; C1 is back (N = 1): retention (2 - 1) / 2 = 50 %.
    assert parts(find(rows, "customer_churn_rate_pct", "month", "2026-04-01")) == (50.0, 1.0, 2.0, 2)
    assert parts(find(rows, "customer_retention_rate_pct", "month", "2026-04-01")) == (50.0, 1.0, 2.0, 2)
    # Growth: Feb (200 - 150) / 150; Mar (100 - 200) / 200; Apr (160 - 100) / 100; sample = last month's actives.
    assert parts(find(rows, "mrr_growth_rate_pct", "month", "2026-02-01")) == (pytest.approx(100 / 3), 50.0, 150.0, 2)
    assert parts(find(rows, "mrr_growth_rate_pct", "month", "2026-03-01")) == (-50.0, -100.0, 200.0, 3)
    assert parts(find(rows, "mrr_growth_rate_pct", "month", "2026-04-01")) == (60.0, 60.0, 100.0, 2)
    # Lifetime value = ARPA x 100 % / churn: Mar 50 / (1/3) = 150; Apr 80 / (1/2) = 160.
    assert parts(find(rows, "customer_lifetime_value", "month", "2026-03-01")) == (pytest.approx(150.0), None, None, 3)
    assert find(rows, "customer_lifetime_value", "month", "2026-04-01").value == pytest.approx(160.0)
    # May has no revenue row: everyone inactive -> churn 2/2, retention 0, growth -100 %; no MRR or ARPA row
    # (no active customer), lifetime value null (no ARPA). June is after the as-of: no row.
    assert parts(find(rows, "customer_churn_rate_pct", "month", "2026-05-01")) == (100.0, 2.0, 2.0, 2)
    assert parts(find(rows, "customer_retention_rate_pct", "month", "2026-05-01")) == (0.0, 0.0, 2.0, 2)
    assert parts(find(rows, "mrr_growth_rate_pct", "month", "2026-05-01")) == (-100.0, -160.0, 160.0, 2)
    assert find(rows, "mrr", "month", "2026-05-01") is None
    assert parts(find(rows, "customer_lifetime_value", "month", "2026-05-01")) == (None, None, None, 2)
    assert max(r.period_start for r in rows if r.kpi_id == "mrr") == date(2026, 4, 1)
    # Segment smb (C1, C2): April S = {C2}, E = {C1} returning -> churn 100 %, retention (1 - 1) / 1 = 0.
    assert parts(find(rows, "customer_churn_rate_pct", "month", "2026-04-01", "segment", "smb")) == (
        100.0, 1.0, 1.0, 1
    )  # fmt: skip
    assert parts(find(rows, "customer_retention_rate_pct", "month", "2026-04-01", "segment", "smb")) == (
        0.0, 0.0, 1.0, 1
    )  # fmt: skip
    # Month grain only.
    assert {r.grain for r in rows if r.kpi_id in ("mrr", "customer_churn_rate_pct")} == {"month"}


def test_a_month_without_churn_has_a_null_lifetime_value(tmp_path: Path) -> None:
    rows = compute_kpi_values(money_folder(tmp_path), as_of=datetime(2026, 5, 10))
    # February: S = {C1, C2} both still active -> churn 0 % (a row), lifetime value row with a null value.
    assert parts(find(rows, "customer_churn_rate_pct", "month", "2026-02-01")) == (0.0, 0.0, 2.0, 2)
    assert parts(find(rows, "customer_lifetime_value", "month", "2026-02-01")) == (None, None, None, 2)
    # Enterprise (C3) in March: no churn either -> null; its growth (40 - 40) / 40 = 0.
    assert parts(find(rows, "customer_lifetime_value", "month", "2026-03-01", "segment", "enterprise")) == (
        None, None, None, 1
    )  # fmt: skip
    assert find(rows, "mrr_growth_rate_pct", "month", "2026-03-01", "segment", "enterprise").value == 0.0


def test_lifetime_value_takes_the_gross_margin(tmp_path: Path) -> None:
    # March: ARPA 50 x 40 % / (1/3) = 60.
    rows = compute_kpi_values(money_folder(tmp_path), as_of=datetime(2026, 5, 10), gross_margin_pct=40.0)
    assert find(rows, "customer_lifetime_value", "month", "2026-03-01").value == pytest.approx(60.0)


def test_costs_with_no_solved_tickets(tmp_path: Path) -> None:
    # T1 created in March, never solved; T2, T3 created and first resolved in April (as-of = 04-04 10:00).
    write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T08:00:00"), ticket("T2", "2026-04-01T08:00:00", "solved"),
         ticket("T3", "2026-04-03T08:00:00", "solved")],
        [status_change("T2", "2026-04-02T09:00:00", "solved"), status_change("T3", "2026-04-04T10:00:00", "solved")],
        [{"customer_id": "C1", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "segment": "enterprise", "region": "emea"}],
    )  # fmt: skip
    write_table(
        tmp_path,
        "customers",
        [{"customer_id": "C1", "created_at": "2026-03-05T10:00:00", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "created_at": "2026-03-20T10:00:00", "segment": "enterprise", "region": "emea"},
         {"customer_id": "C3", "created_at": "2026-02-10T10:00:00", "segment": "smb", "region": "emea"},
         {"customer_id": "C4", "created_at": "2026-04-20T10:00:00", "segment": "smb", "region": "emea"}],
    )  # fmt: skip
    write_table(tmp_path, "customer_revenue", [{"customer_id": "C1", "month": "2026-03-01", "mrr": "2000"},
                                              {"customer_id": "C1", "month": "2026-04-01", "mrr": "1600"}])  # fmt: skip
    write_table(
        tmp_path,
        "support_costs",
        [{"month": "2026-03-01", "category": "salaries", "amount": "1000"},
         {"month": "2026-03-01", "category": " Tooling", "amount": "500"},
         {"month": "2026-04-01", "category": "salaries", "amount": "800"},
         {"month": "2026-05-01", "category": "salaries", "amount": "700"}],
    )  # fmt: skip
    write_table(tmp_path, "marketing_spend", [{"month": "2026-03-01", "amount": "300"},
                                             {"month": "2026-04-01", "amount": "500"}])  # fmt: skip
    rows = compute_kpi_values(tmp_path)
    # March: cost 1000 + 500 over 2 cost rows; no ticket solved -> no cost_per_ticket row;
    # cost to revenue 1500 / 2000 = 75 % (1 active customer).
    assert parts(find(rows, "support_cost", "month", "2026-03-01")) == (1500.0, None, None, 2)
    assert find(rows, "cost_per_ticket", "month", "2026-03-01") is None
    assert parts(find(rows, "support_cost_to_revenue_pct", "month", "2026-03-01")) == (75.0, 1500.0, 2000.0, 1)
    # April: 800 / 2 tickets first resolved = 400; 800 / 1600 = 50 %. May is after the as-of month.
    assert parts(find(rows, "cost_per_ticket", "month", "2026-04-01")) == (400.0, 800.0, 2.0, 2)
    assert find(rows, "support_cost_to_revenue_pct", "month", "2026-04-01").value == 50.0
    assert series(rows, "support_cost", "month") == {"2026-03-01": 1500.0, "2026-04-01": 800.0}
    # New customers by created_at month, every month up to the as-of month: C3 in February (before the first
    # revenue month, March, it counts all the same), C1 and C2 in March; C4 is after the as-of.
    # CAC: March 300 / 2 = 150; April's spend has no new customer -> no row; February has no spend -> no row.
    assert series(rows, "new_customers", "month") == {"2026-02-01": 1.0, "2026-03-01": 2.0}
    assert find(rows, "new_customers", "month", "2026-03-01", "segment", "enterprise").value == 1.0
    assert parts(find(rows, "customer_acquisition_cost", "month", "2026-03-01")) == (150.0, 300.0, 2.0, 2)
    assert find(rows, "customer_acquisition_cost", "month", "2026-04-01") is None
    # Cost and spend KPIs have no dimension but all.
    cost_kpis = ("support_cost", "cost_per_ticket", "support_cost_to_revenue_pct", "customer_acquisition_cost")
    assert {r.dimension for r in rows if r.kpi_id in cost_kpis} == {"all"}


def new_customers_folder(folder: Path) -> Path:
    """Customers created around the revenue rows; the as-of is T2's creation, 2026-05-10 12:00 UTC.

    Revenue rows: C1 in February (the first money month) and April only, so March and May have none.
    """
    folder.mkdir(parents=True, exist_ok=True)
    write_folder(folder, [ticket("T1", "2026-02-03T09:00:00"), ticket("T2", "2026-05-10T12:00:00")], [])
    write_table(
        folder,
        "customers",
        [{"customer_id": "C0", "created_at": "2026-01-20T10:00:00", "segment": "smb", "region": "emea"},
         {"customer_id": "C1", "created_at": "2026-02-05T10:00:00", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "created_at": "2026-03-15T10:00:00", "segment": "enterprise", "region": "americas"},
         {"customer_id": "C3", "created_at": "2026-05-10T11:59:59", "segment": "smb", "region": "emea"},
         {"customer_id": "C4", "created_at": "2026-05-10T12:00:01", "segment": "enterprise", "region": "emea"},
         {"customer_id": "C5", "created_at": "2026-06-02T10:00:00", "segment": "smb", "region": "emea"},
         {"customer_id": "C6", "created_at": "", "segment": "smb", "region": "emea"}],
    )  # fmt: skip
    write_table(folder, "customer_revenue", [{"customer_id": "C1", "month": "2026-02-01", "mrr": "100"},
                                             {"customer_id": "C1", "month": "2026-04-01", "mrr": "100"}])  # fmt: skip
    write_table(
        folder,
        "marketing_spend",
        [{"month": "2026-01-01", "amount": "400"}, {"month": "2026-03-01", "amount": "300"},
         {"month": "2026-04-01", "amount": "200"}, {"month": "2026-05-01", "amount": "500"},
         {"month": "2026-06-01", "amount": "900"}],
    )  # fmt: skip
    return folder


# Worked out by hand from new_customers_folder: (month, dimension, dimension_value) -> count.
# January: C0, before the first revenue month. February: C1. March: C2, a month without any revenue row.
# April: nobody. May (the as-of month): C3 one second before the as-of; C4 one second after it does not count.
# June is after the as-of month (C5); C6 has no created_at.
NEW_CUSTOMERS_BY_HAND = {
    ("2026-01-01", "all", "all"): 1.0,
    ("2026-02-01", "all", "all"): 1.0,
    ("2026-03-01", "all", "all"): 1.0,
    ("2026-05-01", "all", "all"): 1.0,
    ("2026-01-01", "segment", "smb"): 1.0,
    ("2026-02-01", "segment", "smb"): 1.0,
    ("2026-05-01", "segment", "smb"): 1.0,
    ("2026-03-01", "segment", "enterprise"): 1.0,
    ("2026-01-01", "region", "emea"): 1.0,
    ("2026-02-01", "region", "emea"): 1.0,
    ("2026-05-01", "region", "emea"): 1.0,
    ("2026-03-01", "region", "americas"): 1.0,
}
# CAC = spend / new customers, only in months with spend and a new customer: January 400 / 1 (before the first
# revenue month), March 300 / 1, May 500 / 1; April's 200 has no new customer, June is after the as-of month.
# (value, numerator, denominator, sample_size)
ACQUISITION_COST_BY_HAND = {
    "2026-01-01": (400.0, 400.0, 1.0, 1),
    "2026-03-01": (300.0, 300.0, 1.0, 1),
    "2026-05-01": (500.0, 500.0, 1.0, 1),
}


def test_new_customers_count_every_month_up_to_the_as_of(tmp_path: Path) -> None:
    rows = compute_kpi_values(new_customers_folder(tmp_path))
    new = {
        (r.period_start.isoformat(), r.dimension, r.dimension_value): r.value
        for r in rows
        if r.kpi_id == "new_customers"
    }
    assert new == NEW_CUSTOMERS_BY_HAND
    assert {r.grain for r in rows if r.kpi_id == "new_customers"} == {"month"}
    # A count: no numerator or denominator; the sample is the customers counted.
    assert parts(find(rows, "new_customers", "month", "2026-03-01")) == (1.0, None, None, 1)
    cac = {r.period_start.isoformat(): parts(r) for r in rows if r.kpi_id == "customer_acquisition_cost"}
    assert cac == ACQUISITION_COST_BY_HAND
    # The revenue KPIs keep to the money months (February to May): nothing in January.
    assert find(rows, "mrr", "month", "2026-01-01") is None
    assert series(rows, "mrr", "month") == {"2026-02-01": 100.0, "2026-04-01": 100.0}


def test_new_customers_need_the_revenue_table(tmp_path: Path) -> None:
    # Like every money KPI, new_customers needs customer_revenue supplied (kpi_catalog.required_tables) ...
    folder = new_customers_folder(tmp_path)
    (folder / "customer_revenue.csv").unlink()
    assert not [r for r in compute_kpi_values(folder) if r.kpi_id in ("new_customers", "customer_acquisition_cost")]
    # ... but not rows in it: a header-only table has no money month, and the customers count all the same.
    write_table(folder, "customer_revenue", [], ("customer_id", "month", "mrr"))
    rows = compute_kpi_values(folder)
    assert series(rows, "new_customers", "month") == {"2026-01-01": 1.0, "2026-02-01": 1.0, "2026-03-01": 1.0,
                                                      "2026-05-01": 1.0}  # fmt: skip
