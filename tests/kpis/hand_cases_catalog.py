"""A small dataset for the optional tables' KPIs (surveys, reviews, agents,
self-service, knowledge base, customers and money). Expected values are
worked out by hand in tests/kpis/test_hand_cases_catalog.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support_kpis.contract import TABLES
from tests.warehouses import write_csv


def _write(folder: Path, table: str, rows: list[dict[str, Any]]) -> None:
    columns = TABLES[table].column_names
    write_csv(folder, table, columns, [[row.get(c) for c in columns] for row in rows])


def write_catalog_cases(folder: Path) -> Path:
    _write(
        folder,
        "tickets",
        [
            dict(
                ticket_id="T1",
                created_at="2026-03-02T09:00:00Z",
                customer_id="C1",
                channel="email",
                status="solved",
                assignee_id="A1",
                team="billing",
            ),
            dict(
                ticket_id="T2",
                created_at="2026-03-03T09:00:00Z",
                customer_id="C2",
                channel="chat",
                status="solved",
                team="billing",
            ),
            dict(ticket_id="T4", created_at="2026-05-20T10:00:00Z", customer_id="C1", channel="email", status="new"),
        ],
    )
    _write(
        folder,
        "ticket_events",
        [
            dict(
                event_id="E1",
                ticket_id="T1",
                occurred_at="2026-03-02T09:00:00Z",
                event_type="message",
                actor_type="customer",
                is_public="true",
            ),
            dict(
                event_id="E2",
                ticket_id="T1",
                occurred_at="2026-03-02T09:30:00Z",
                event_type="message",
                actor_type="agent",
                actor_id="A1",
                is_public="true",
                handle_seconds=600,
            ),
            dict(
                event_id="E3",
                ticket_id="T1",
                occurred_at="2026-03-02T10:00:00Z",
                event_type="status_change",
                actor_type="agent",
                actor_id="A1",
                new_status="solved",
            ),
            dict(
                event_id="E4",
                ticket_id="T2",
                occurred_at="2026-03-03T09:00:00Z",
                event_type="message",
                actor_type="customer",
                is_public="true",
            ),
            dict(
                event_id="E5",
                ticket_id="T2",
                occurred_at="2026-03-03T09:01:00Z",
                event_type="message",
                actor_type="bot",
                is_public="true",
            ),
            dict(
                event_id="E6",
                ticket_id="T2",
                occurred_at="2026-03-03T09:05:00Z",
                event_type="status_change",
                actor_type="bot",
                new_status="solved",
            ),
            # Sets the as-of time: 2026-05-20 10:00.
            dict(
                event_id="E7",
                ticket_id="T4",
                occurred_at="2026-05-20T10:00:00Z",
                event_type="message",
                actor_type="customer",
                is_public="true",
            ),
        ],
    )
    _write(
        folder,
        "customers",
        [
            dict(customer_id="C1", created_at="2025-12-15T00:00:00Z", segment="enterprise", region="emea"),
            dict(customer_id="C2", created_at="2026-01-10T00:00:00Z", segment="smb", region="americas"),
            dict(customer_id="C3", created_at="2026-02-05T00:00:00Z", segment="smb", region="emea"),
        ],
    )
    revenue = {"C1": [100, 100, 100, 100, 100], "C2": [50, 50, None, 60, 60], "C3": [None, 30, 30, 30, 30]}
    _write(
        folder,
        "customer_revenue",
        [
            dict(customer_id=customer, month=f"2026-0{month}-01", mrr=mrr)
            for customer, amounts in revenue.items()
            for month, mrr in enumerate(amounts, start=1)
            if mrr is not None
        ],
    )
    _write(
        folder,
        "surveys",
        [
            # CSAT on mixed scales, March.
            dict(response_id="S1", survey_type="csat", ticket_id="T1", responded_at="2026-03-02T12:00:00Z", score=4),
            dict(
                response_id="S2",
                survey_type="csat",
                ticket_id="T2",
                responded_at="2026-03-03T12:00:00Z",
                score=8,
                scale_min=1,
                scale_max=10,
            ),
            dict(
                response_id="S3",
                survey_type="csat",
                customer_id="C1",
                responded_at="2026-03-10T12:00:00Z",
                score=7,
                scale_min=1,
                scale_max=10,
            ),
            dict(response_id="S4", survey_type="csat", responded_at="2026-03-11T12:00:00Z", score=3),
            # NPS: March mixed, April passives only.
            dict(response_id="N3", survey_type="nps", customer_id="C1", responded_at="2026-03-12T12:00:00Z", score=10),
            dict(response_id="N4", survey_type="nps", customer_id="C2", responded_at="2026-03-12T13:00:00Z", score=3),
            dict(response_id="N5", survey_type="nps", customer_id="C3", responded_at="2026-03-12T14:00:00Z", score=9),
            dict(response_id="N1", survey_type="nps", customer_id="C1", responded_at="2026-04-10T12:00:00Z", score=7),
            dict(response_id="N2", survey_type="nps", customer_id="C2", responded_at="2026-04-10T13:00:00Z", score=8),
            # CES on 1-7 (default) and 1-5.
            dict(response_id="X1", survey_type="ces", customer_id="C1", responded_at="2026-03-13T12:00:00Z", score=7),
            dict(
                response_id="X2",
                survey_type="ces",
                customer_id="C2",
                responded_at="2026-03-13T13:00:00Z",
                score=2,
                scale_min=1,
                scale_max=5,
            ),
        ],
    )
    _write(
        folder,
        "reviews",
        [
            dict(review_id="R1", customer_id="C1", source="g2", rating=5, published_at="2026-03-01T00:00:00Z"),
            dict(review_id="R2", customer_id="C2", source="g2", rating=4, published_at="2026-03-11T00:00:00Z"),
            dict(review_id="R3", customer_id="C2", source="g2", rating=5, published_at="2026-03-21T00:00:00Z"),
            dict(review_id="R4", customer_id="C1", source="g2", rating=5, published_at="2026-04-10T00:00:00Z"),
        ],
    )
    _write(
        folder,
        "agents",
        [
            dict(agent_id="A1", name="Ada", team="billing", tier=1),
            dict(agent_id="A2", name="Bo", team="billing", tier=1),
        ],
    )
    _write(
        folder,
        "agent_activity",
        [
            dict(agent_id="A1", activity_date="2026-03-02", scheduled_seconds=28800, logged_in_seconds=3600),
            dict(agent_id="A2", activity_date="2026-03-02", scheduled_seconds=28800, logged_in_seconds=7200),
            dict(agent_id="A1", activity_date="2026-03-03", scheduled_seconds=0, logged_in_seconds=0),
        ],
    )
    _write(
        folder,
        "engagement_surveys",
        [
            dict(response_id="G1", agent_id="A1", responded_at="2026-03-20T12:00:00Z", score=9),
            dict(response_id="G2", agent_id="A2", responded_at="2026-03-20T12:00:00Z", score=6),
            dict(response_id="G3", agent_id="A1", responded_at="2026-03-21T12:00:00Z", score=7),
        ],
    )
    _write(
        folder,
        "kb_articles",
        [
            dict(
                article_id="K1",
                title="Refunds",
                created_at="2026-02-20T00:00:00Z",
                published_at="2026-03-01T10:00:00Z",
                archived_at="2026-04-01T00:00:00Z",
            ),
            dict(
                article_id="K2",
                title="Invoices",
                created_at="2026-03-01T00:00:00Z",
                published_at="2026-03-15T10:00:00Z",
            ),
            dict(article_id="K3", title="Draft", created_at="2026-03-01T00:00:00Z"),
        ],
    )
    _write(
        folder,
        "self_service_sessions",
        [
            dict(
                session_id="SS1", customer_id="C1", started_at="2026-03-05T10:00:00Z", resolved="true", helpful="true"
            ),
            dict(
                session_id="SS2", customer_id="C1", started_at="2026-03-06T10:00:00Z", resolved="true", ticket_id="T1"
            ),
            dict(
                session_id="SS3", customer_id="C2", started_at="2026-03-07T10:00:00Z", resolved="false", helpful="false"
            ),
            dict(session_id="SS4", started_at="2026-03-08T10:00:00Z"),
            dict(session_id="SS5", customer_id="C3", started_at="2026-04-02T10:00:00Z", resolved="false"),
        ],
    )
    _write(
        folder,
        "support_costs",
        [
            dict(month="2026-03-01", category="salaries", amount=1000),
            dict(month="2026-03-01", category="tooling", amount=200),
            dict(month="2026-05-01", category="salaries", amount=900),
        ],
    )
    _write(
        folder,
        "marketing_spend",
        [
            dict(month="2026-02-01", amount=300),
            dict(month="2026-03-01", amount=500),
        ],
    )
    return folder
