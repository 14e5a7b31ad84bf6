"""new_customers through the real loader and `dbt build`: customers count in their created_at month in every month
up to the as-of month, revenue rows or not; customer_acquisition_cost keeps to the months with spend. The data and
the hand-worked expectations are those of the reference's sanity test (tests/reference_sanity/test_money.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.reference_sanity.test_money import ACQUISITION_COST_BY_HAND, NEW_CUSTOMERS_BY_HAND, new_customers_folder
from tests.warehouses import build_warehouse, query


def test_new_customers_every_month_and_acquisition_cost_with_spend(tmp_path: Path) -> None:
    warehouse = build_warehouse(new_customers_folder(tmp_path / "data"), tmp_path, name="new-customers")
    new = query(
        warehouse,
        "select period_start, dimension, dimension_value, value, numerator, denominator, sample_size, grain "
        "from kpi_values where kpi_id = 'new_customers'",
    )
    assert {(p.isoformat(), d, v): value for p, d, v, value, *_ in new} == NEW_CUSTOMERS_BY_HAND
    # Counts: no numerator or denominator, the sample is the customers counted, month grain only.
    assert {row[4:] for row in new} == {(None, None, 1, "month")}
    cac = query(
        warehouse,
        "select period_start, value, numerator, denominator, sample_size from kpi_values "
        "where kpi_id = 'customer_acquisition_cost' and grain = 'month'",
    )
    assert {p.isoformat(): tuple(rest) for p, *rest in cac} == ACQUISITION_COST_BY_HAND
    # dim_customers: C0..C3 became customers by the as-of time (2026-05-10 12:00), C4 one second too late, C5 in
    # June, C6 never. Of them C1 (February), C2 (March, a money month without revenue rows) and C3 (May) did so
    # inside the money months (February to May); C0 (January) did not, and counts in new_customers all the same.
    flags = dict(query(warehouse, "select customer_id, is_customer_by_as_of from dim_customers"))
    assert flags == {"C0": True, "C1": True, "C2": True, "C3": True, "C4": False, "C5": False, "C6": False}
    in_money_months = {
        c for (c,) in query(warehouse, "select customer_id from dim_customers where is_new_in_money_months")
    }
    assert in_money_months == {"C1", "C2", "C3"}
    assert query(warehouse, "select max(period_start) from kpi_values where kpi_id = 'new_customers'") == [
        (date(2026, 5, 1),)
    ]
