"""A small, clean data set touching every contract table: it passes every rule of every suite.

Rows are text as a CSV file holds them; a missing column is an empty field. Tickets T1 and T2 carry all the
events, surveys and sessions, so a case may add a broken ticket without orphaning anything.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

from support_kpis.contract import TABLES

Row = dict[str, str]
RawRow = dict[str, str | None]  # None: a NULL written straight into raw

BASE: dict[str, list[Row]] = {
    "tickets": [
        {"ticket_id": "T1", "created_at": "2026-03-02T09:00:00Z", "updated_at": "2026-03-02T12:00:00Z",
         "customer_id": "C1", "channel": "email", "priority": "high", "status": "solved", "assignee_id": "A1",
         "subject": "Cannot log in"},
        {"ticket_id": "T2", "created_at": "2026-03-02T10:00:00+01:00", "customer_id": "C2", "channel": "chat",
         "status": "open", "subject": "Invoice question"},
    ],
    "ticket_events": [
        {"event_id": "E1", "ticket_id": "T1", "occurred_at": "2026-03-02T09:00:00Z", "event_type": "message",
         "actor_type": "customer", "is_public": "true", "body": "Hello"},
        {"event_id": "E2", "ticket_id": "T1", "occurred_at": "2026-03-02T09:30:00Z", "event_type": "message",
         "actor_type": "agent", "actor_id": "A1", "is_public": "true", "handle_seconds": "120", "body": "Hi"},
        {"event_id": "E3", "ticket_id": "T1", "occurred_at": "2026-03-02T09:31:00Z", "event_type": "assignment",
         "actor_type": "system", "new_assignee_id": "A2", "new_team": "billing"},
        {"event_id": "E4", "ticket_id": "T1", "occurred_at": "2026-03-02T09:32:00Z", "event_type": "escalation",
         "actor_type": "agent", "actor_id": "A1", "new_tier": "2"},
        {"event_id": "E5", "ticket_id": "T1", "occurred_at": "2026-03-02T12:00:00Z", "event_type": "status_change",
         "actor_type": "agent", "actor_id": "A2", "new_status": "solved"},
        # Four minutes before T2 was created (09:00 UTC): within the default five-minute tolerance.
        {"event_id": "E6", "ticket_id": "T2", "occurred_at": "2026-03-02T08:56:00Z", "event_type": "message",
         "actor_type": "customer", "is_public": "yes", "body": "Question"},
    ],
    "agents": [
        {"agent_id": "A1", "name": "Ada", "team": "support", "tier": "1", "hired_at": "2024-01-15",
         "hourly_cost": "30.5"},
        {"agent_id": "A2", "name": "Bo", "team": "billing", "tier": "2", "hired_at": "2023-05-01",
         "terminated_at": "2026-06-30"},
    ],
    "agent_activity": [
        {"agent_id": "A1", "activity_date": "2026-03-02", "scheduled_seconds": "28800", "logged_in_seconds": "27000"},
        {"agent_id": "A2", "activity_date": "2026-03-02", "scheduled_seconds": "28800", "logged_in_seconds": "0"},
    ],
    "customers": [
        {"customer_id": "C1", "created_at": "2025-01-01T00:00:00Z", "segment": "smb", "country": "DE"},
        {"customer_id": "C2", "segment": "enterprise"},
    ],
    "customer_revenue": [
        {"customer_id": "C1", "month": "2026-03-01", "mrr": "100"},
        {"customer_id": "C2", "month": "2026-03-01", "mrr": "0"},
    ],
    "surveys": [
        {"response_id": "R1", "survey_type": "csat", "ticket_id": "T1", "responded_at": "2026-03-03T10:00:00Z",
         "score": "5"},
        {"response_id": "R2", "survey_type": "nps", "customer_id": "C2", "responded_at": "2026-03-03T10:00:00Z",
         "score": "0", "scale_min": "0", "scale_max": "10"},
        {"response_id": "R3", "survey_type": "ces", "ticket_id": "T2", "responded_at": "2026-03-03T10:00:00Z",
         "score": "7", "comment": "=HYPERLINK(\"http://example.com\",\"click\")"},
    ],
    "reviews": [
        {"review_id": "V1", "customer_id": "C1", "source": "g2", "rating": "1",
         "published_at": "2026-03-04T00:00:00Z"},
        {"review_id": "V2", "source": "app_store", "rating": "5", "published_at": "2026-03-04T00:00:00Z"},
    ],
    "kb_articles": [
        {"article_id": "K1", "title": "Reset your password", "created_at": "2025-01-01T00:00:00Z",
         "published_at": "2025-01-02T00:00:00Z", "archived_at": "2026-01-01T00:00:00Z"},
        {"article_id": "K2", "title": "Draft", "created_at": "2026-01-01T00:00:00Z"},
    ],
    "self_service_sessions": [
        {"session_id": "S1", "customer_id": "C2", "started_at": "2026-03-02T08:50:00Z", "article_id": "K1",
         "resolved": "false", "ticket_id": "T2", "helpful": "no"},
        {"session_id": "S2", "started_at": "2026-03-02T11:00:00Z", "resolved": "true"},
    ],
    "support_costs": [
        {"month": "2026-03-01", "category": "salaries", "amount": "10000"},
        {"month": "2026-03-01", "category": "tooling", "amount": "0"},
    ],
    "engagement_surveys": [
        {"response_id": "G1", "agent_id": "A1", "responded_at": "2026-03-05T00:00:00Z", "score": "10"},
        {"response_id": "G2", "agent_id": "A2", "responded_at": "2026-03-05T00:00:00Z", "score": "0"},
    ],
    "marketing_spend": [{"month": "2026-03-01", "amount": "500"}, {"month": "2026-04-01", "amount": "0"}],
    "business_schedules": [
        {"schedule_id": "default", "timezone": "UTC", "day_of_week": "1", "start_time": "09:00",
         "end_time": "17:00"},
        {"schedule_id": "emea", "timezone": "Europe/Berlin", "day_of_week": "7", "start_time": "00:00",
         "end_time": "24:00"},
    ],
    "holidays": [{"schedule_id": "emea", "holiday_date": "2026-12-25", "name": "Christmas Day"}],
    "sla_policies": [
        {"priority": "urgent", "channel": "*", "first_response_minutes": "30", "resolution_minutes": "480",
         "business_hours": "false"},
        {"priority": "high", "channel": "email", "first_response_minutes": "60", "resolution_minutes": "1440",
         "business_hours": "true", "next_response_minutes": "120"},
    ],
    "kpi_targets": [{"kpi_id": "first_response_time_median_minutes", "target": "60"}],
    "ticket_sla_targets": [
        {"ticket_id": "T1", "metric": "first_response", "target_minutes": "60", "business_hours": "true",
         "applied_at": "2026-03-02T09:00:00Z"},
        {"ticket_id": "T1", "metric": "next_response", "target_minutes": "120", "applied_at": "2026-03-02T09:00:00Z"},
    ],
}  # fmt: skip

# The base's events end on 2026-03-02: freshness is judged from just after that.
BASE_AS_OF = "2026-03-03T00:00:00"


def write_table(folder: Path, table: str, rows: Sequence[Mapping[str, str]]) -> Path:
    """One contract table as CSV (header = the contract's columns, in order)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.csv"
    columns = TABLES[table].column_names
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([row.get(column, "") for column in columns] for row in rows)
    return path


def write_folder(folder: Path, tables: Mapping[str, Sequence[Mapping[str, str]]]) -> Path:
    for table, rows in tables.items():
        write_table(folder, table, rows)
    return folder
