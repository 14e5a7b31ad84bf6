"""A small dataset for contract version 2: per-ticket SLA targets, the next-reply SLA and binary CSAT.

The folder ships its own business_schedules and sla_policies, so nothing depends on the project's seeds.
Expected values are worked out by hand in tests/kpis/test_hand_cases_contract_v2.py.

Schedule `default`: Monday-Friday 09:00-17:00 UTC. As-of: Friday 2026-03-06 12:00 UTC.
SLA policies (minutes; first response / resolution / next reply):
  normal *   60 / 480 / 120   business
  high *     30 / 240 / 60    calendar
  low        no policy
"""

from __future__ import annotations

from pathlib import Path

from support_kpis.contract import TABLES
from tests.kpis.hand_cases_sla import EVENT_COLUMNS, _Events, _ticket
from tests.warehouses import write_csv

AS_OF = "2026-03-06 12:00:00"  # a Friday

SCHEDULES = [("default", "UTC", day, "09:00", "17:00") for day in range(1, 6)]
# priority, channel, first_response_minutes, resolution_minutes, business_hours, next_response_minutes
SLA_POLICIES = [
    ("normal", "*", 60, 480, "true", 120),
    ("high", "*", 30, 240, "false", 60),
]
# ticket_id, metric, target_minutes, business_hours, applied_at
TICKET_TARGETS = [
    # A first-response target tightened before the first reply (10:30) decides it...
    ("CHG_BEFORE", "first_response", 60, "true", "2026-03-02T10:00:00Z"),
    ("CHG_BEFORE", "first_response", 20, "true", "2026-03-02T10:10:00Z"),
    # ... one tightened after it does not.
    ("CHG_AFTER", "first_response", 60, "true", "2026-03-02T10:00:00Z"),
    ("CHG_AFTER", "first_response", 20, "true", "2026-03-02T10:45:00Z"),
    # A business-hours next-reply target, from creation.
    ("NIGHT", "next_response", 60, "true", "2026-03-02T15:00:00Z"),
    # A next-reply target applied after the first next reply (13:30) and before the second (16:30).
    ("TARGET_LATE", "next_response", 240, "true", "2026-03-03T14:00:00Z"),
]
# response_id, survey_type, ticket_id, customer_id, responded_at, score, scale_min, scale_max, comment
SURVEYS = [
    ("S1", "csat", "CHG_BEFORE", "C1", "2026-03-02T12:00:00Z", 1, 0, 1, "good"),
    ("S2", "csat", "CHG_AFTER", "C1", "2026-03-02T13:00:00Z", 0, 0, 1, "bad"),
    ("S3", "csat", "NIGHT", "C1", "2026-03-02T14:00:00Z", 1, 0, 1, None),
]


def write_contract_v2_hand_cases(folder: Path) -> Path:
    tickets: list[list[str | None]] = []
    events = _Events()

    def ticket(ticket_id: str, created_at: str, product: str, *, priority: str = "normal") -> None:
        """A customer-initiated ticket: the customer writes at creation."""
        tickets.append(_ticket(ticket_id, created_at, product, priority=priority))
        events.customer(ticket_id, created_at)

    ticket("CHG_BEFORE", "2026-03-02T10:00:00Z", "changed_before")
    events.reply("CHG_BEFORE", "2026-03-02T10:30:00Z")
    ticket("CHG_AFTER", "2026-03-02T10:00:00Z", "changed_after")
    events.reply("CHG_AFTER", "2026-03-02T10:30:00Z")

    ticket("NIGHT", "2026-03-02T15:00:00Z", "night")
    events.reply("NIGHT", "2026-03-02T15:10:00Z")  # the first cycle: the first response
    events.customer("NIGHT", "2026-03-02T16:30:00Z")
    events.reply("NIGHT", "2026-03-03T09:45:00Z")
    events.customer("NIGHT", "2026-03-03T10:00:00Z")
    events.reply("NIGHT", "2026-03-03T10:50:00Z")

    ticket("TARGET_LATE", "2026-03-03T10:00:00Z", "target_late")
    events.reply("TARGET_LATE", "2026-03-03T10:05:00Z")
    events.customer("TARGET_LATE", "2026-03-03T11:00:00Z")
    events.reply("TARGET_LATE", "2026-03-03T13:30:00Z")
    events.customer("TARGET_LATE", "2026-03-03T14:30:00Z")
    events.reply("TARGET_LATE", "2026-03-03T16:30:00Z")

    ticket("WAITING", "2026-03-05T09:00:00Z", "waiting", priority="high")
    events.reply("WAITING", "2026-03-05T09:05:00Z")
    events.customer("WAITING", "2026-03-05T10:00:00Z")

    ticket("RUNNING", "2026-03-06T10:00:00Z", "running")
    events.reply("RUNNING", "2026-03-06T10:05:00Z")
    events.customer("RUNNING", "2026-03-06T11:30:00Z")

    ticket("NO_TARGET", "2026-03-02T10:00:00Z", "no_target", priority="low")
    events.reply("NO_TARGET", "2026-03-02T10:10:00Z")
    events.customer("NO_TARGET", "2026-03-02T11:00:00Z")
    events.reply("NO_TARGET", "2026-03-02T12:00:00Z")

    write_csv(folder, "tickets", TABLES["tickets"].column_names, tickets)
    write_csv(folder, "ticket_events", EVENT_COLUMNS, events.rows)
    write_csv(
        folder,
        "customers",
        TABLES["customers"].column_names,
        [["C1", "2025-01-01T00:00:00Z", "enterprise", "emea", "GB", "pro"]],
    )
    write_csv(folder, "business_schedules", TABLES["business_schedules"].column_names, SCHEDULES)
    write_csv(folder, "sla_policies", TABLES["sla_policies"].column_names, SLA_POLICIES)
    write_csv(folder, "ticket_sla_targets", TABLES["ticket_sla_targets"].column_names, TICKET_TARGETS)
    write_csv(folder, "surveys", TABLES["surveys"].column_names, SURVEYS)
    return folder
