"""Without the optional tables the reference gives no rows for their KPIs."""

from __future__ import annotations

from pathlib import Path

from reference import compute_kpi_values
from tests.reference_sanity.builders import (
    agent_reply,
    customer_message,
    find,
    kpis_of,
    parts,
    status_change,
    ticket,
    write_folder,
    write_table,
)

BEYOND_FLOW = {
    "csat_pct", "csat_avg_normalized", "nps", "ces_avg", "positive_reviews", "positive_review_share_pct",
    "avg_days_between_positive_reviews", "agent_replies", "active_agents", "agent_utilization_pct",
    "employee_engagement_avg", "employee_nps", "kb_articles_live", "kb_articles_published", "self_service_sessions",
    "self_service_resolution_pct", "deflection_rate_pct", "kb_helpfulness_pct", "bot_resolution_pct",
    "customer_churn_rate_pct", "customer_retention_rate_pct", "mrr", "mrr_growth_rate_pct", "arpa",
    "customer_lifetime_value", "support_cost", "cost_per_ticket", "support_cost_to_revenue_pct", "new_customers",
    "customer_acquisition_cost",
}  # fmt: skip
NEEDS_ONLY_TICKETS = {"agent_replies", "active_agents", "bot_resolution_pct"}


def test_absent_optional_tables_give_no_rows_for_their_kpis(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T08:00:00", "solved")],
        [customer_message("T1", "2026-03-02T08:00:00"), agent_reply("T1", "2026-03-02T08:10:00"),
         status_change("T1", "2026-03-02T09:00:00", "solved")],
    )  # fmt: skip
    rows = compute_kpi_values(folder)
    # Only the KPIs that need nothing but tickets and events.
    assert kpis_of(rows) & BEYOND_FLOW == NEEDS_ONLY_TICKETS
    # A table present with a header only is no data either (and deflection needs sessions).
    write_table(folder, "self_service_sessions", [], ("session_id", "customer_id", "started_at", "resolved"))
    write_table(folder, "customer_revenue", [], ("customer_id", "month", "mrr"))
    with_sessions = compute_kpi_values(folder)
    # Deflection: 0 deflected / (0 + T1) = 0 %, once the sessions table exists.
    assert kpis_of(with_sessions) & BEYOND_FLOW == NEEDS_ONLY_TICKETS | {"deflection_rate_pct"}
    assert parts(find(with_sessions, "deflection_rate_pct", "day", "2026-03-02")) == (0.0, 0.0, 1.0, 1)
