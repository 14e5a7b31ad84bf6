"""A small dataset of business-time and SLA traps, one product per case.

The folder ships its own business_schedules, holidays and sla_policies, so nothing depends on the
project's seeds. Expected values are worked out by hand in tests/kpis/test_hand_cases_sla.py.

Schedules (all Monday-Friday 09:00-17:00 local unless said otherwise):
  default      UTC
  new_york     America/New_York (spring forward Sunday 2026-03-08: EST -5 -> EDT -4)
  london       Europe/London, holiday Wednesday 2026-05-06 (fall back Sunday 2026-10-25: BST +1 -> GMT +0)
  round_clock  Europe/London, every day 00:00-24:00 (24/7)
SLA policies (minutes; first response / resolution):
  normal *     60 / 480   business
  normal chat  15 / 120   business (business_hours left empty: business is the default)
  high *       60 / 240   calendar
  urgent *     30 / none  calendar
  low          no policy
"""

from __future__ import annotations

from pathlib import Path

from support_kpis.contract import TABLES
from tests.warehouses import write_csv

AS_OF = "2026-11-03 12:00:00"  # a Tuesday

TICKET_COLUMNS = TABLES["tickets"].column_names
EVENT_COLUMNS = TABLES["ticket_events"].column_names

WEEKDAYS = range(1, 6)
SCHEDULES = [
    *(("default", "UTC", day, "09:00", "17:00") for day in WEEKDAYS),
    *(("new_york", "America/New_York", day, "09:00", "17:00") for day in WEEKDAYS),
    *(("london", "Europe/London", day, "09:00", "17:00") for day in WEEKDAYS),
    *(("round_clock", "Europe/London", day, "00:00", "24:00") for day in range(1, 8)),
]
HOLIDAYS = [("london", "2026-05-06", "Company day")]
SLA_POLICIES = [
    ("normal", "*", 60, 480, "true"),
    ("normal", "chat", 15, 120, None),
    ("high", "*", 60, 240, "false"),
    ("urgent", "*", 30, None, "false"),
]


def _ticket(
    ticket_id: str,
    created_at: str,
    product: str,
    *,
    priority: str | None = "normal",
    channel: str = "email",
    schedule_id: str | None = None,
) -> list[str | None]:
    values = {
        "ticket_id": ticket_id,
        "created_at": created_at,
        "updated_at": created_at,
        "customer_id": "C1",
        "channel": channel,
        "priority": priority,
        "category": "how-to",
        "product": product,
        "status": "open",
        "assignee_id": "A1",
        "team": "general",
        "schedule_id": schedule_id,
        "subject": f"case {product}",
    }
    return [values[c] for c in TICKET_COLUMNS]


class _Events:
    """Numbered events of the dataset: customer messages, public agent replies and solves."""

    def __init__(self) -> None:
        self.rows: list[list[str | None]] = []

    def _add(self, ticket_id: str, at: str, event_type: str, actor: str, *, status: str | None = None) -> None:
        values = {
            "event_id": f"S{len(self.rows) + 1:04d}",
            "ticket_id": ticket_id,
            "occurred_at": at,
            "event_type": event_type,
            "actor_type": actor,
            "actor_id": "A1" if actor == "agent" else None,
            "is_public": "true" if event_type == "message" else None,
            "new_status": status,
            "new_assignee_id": None,
            "new_team": None,
            "new_tier": None,
            "handle_seconds": None,
            "body": None,
        }
        self.rows.append([values[c] for c in EVENT_COLUMNS])

    def customer(self, ticket_id: str, at: str) -> None:
        self._add(ticket_id, at, "message", "customer")

    def reply(self, ticket_id: str, at: str) -> None:
        self._add(ticket_id, at, "message", "agent")

    def solve(self, ticket_id: str, at: str) -> None:
        self._add(ticket_id, at, "status_change", "agent", status="solved")


def write_sla_hand_cases(folder: Path) -> Path:
    tickets: list[list[str | None]] = []
    events = _Events()

    def case(
        ticket_id: str,
        created_at: str,
        product: str,
        *,
        reply: str | None = None,
        solve: str | None = None,
        **ticket: str | None,
    ) -> None:
        """A customer-initiated ticket: the customer writes at creation; optional first reply and solve."""
        tickets.append(_ticket(ticket_id, created_at, product, **ticket))
        events.customer(ticket_id, created_at)
        if reply is not None:
            events.reply(ticket_id, reply)
        if solve is not None:
            events.solve(ticket_id, solve)

    # Status: met, breached late, breached with no reply by the as-of time, still running at it.
    case("MET", "2026-03-02T10:00:00Z", "met", reply="2026-03-02T10:45:00Z", solve="2026-03-02T15:00:00Z")
    case("LATE", "2026-03-03T09:00:00Z", "late", reply="2026-03-03T10:30:00Z", solve="2026-03-04T12:00:00Z")
    case("NOREPLY", "2026-11-03T10:30:00Z", "no_reply", priority="high", channel="phone")
    # Its reply comes after the as-of time, so it does not exist yet.
    case("RUN", "2026-11-03T11:30:00Z", "running", reply="2026-11-03T13:00:00Z")
    # Policy matching: exact channel beats `*`; a null priority is normal; no policy for low.
    case(
        "CHAT",
        "2026-03-09T10:00:00Z",
        "chat_exact",
        channel="chat",
        reply="2026-03-09T10:20:00Z",
        solve="2026-03-09T10:50:00Z",
    )
    case(
        "WEB",
        "2026-03-09T10:00:00Z",
        "star_fallback",
        channel="web",
        reply="2026-03-09T10:20:00Z",
        solve="2026-03-09T10:50:00Z",
    )
    case(
        "NULLPRIO",
        "2026-03-09T10:00:00Z",
        "null_priority",
        priority=None,
        channel="chat",
        reply="2026-03-09T10:20:00Z",
        solve="2026-03-09T10:50:00Z",
    )
    case("LOW", "2026-03-10T10:00:00Z", "no_policy", priority="low", reply="2026-03-10T10:30:00Z")
    # Business vs calendar target: Friday 16:00 -> reply 17:30.
    case("BIZ", "2026-03-06T16:00:00Z", "business_target", reply="2026-03-06T17:30:00Z")
    case("CAL", "2026-03-06T16:00:00Z", "calendar_target", priority="high", reply="2026-03-06T17:30:00Z")
    # Across the spring-forward weekend in New York (local times written with their offsets).
    case(
        "SPRING",
        "2026-03-06T16:00:00-05:00",
        "spring_forward",
        schedule_id="new_york",
        reply="2026-03-09T10:00:00-04:00",
        solve="2026-03-09T16:00:00-04:00",
    )
    # Across the fall-back weekend in London: on business hours and on the 24/7 schedule.
    case(
        "FALL",
        "2026-10-23T16:30:00+01:00",
        "fall_back",
        schedule_id="london",
        reply="2026-10-26T09:45:00+00:00",
        solve="2026-10-26T15:00:00+00:00",
    )
    case(
        "ROUND",
        "2026-10-24T12:00:00Z",
        "round_clock",
        schedule_id="round_clock",
        reply="2026-10-25T12:00:00Z",
        solve="2026-10-25T20:00:00Z",
    )
    # Across London's holiday, Wednesday 05-06.
    case(
        "HOLIDAY",
        "2026-05-05T16:00:00+01:00",
        "holiday",
        schedule_id="london",
        reply="2026-05-07T09:30:00+01:00",
        solve="2026-05-07T12:00:00+01:00",
    )
    # Created on a Saturday; solved on Monday after closing.
    case("OUTSIDE", "2026-03-14T10:00:00Z", "outside_hours", reply="2026-03-16T09:40:00Z", solve="2026-03-16T18:30:00Z")
    # Reply and solve at the instant of creation.
    case("ZERO", "2026-03-11T11:00:00Z", "zero_length", reply="2026-03-11T11:00:00Z", solve="2026-03-11T11:00:00Z")
    # A schedule nobody defined: no business time; a calendar policy still judges.
    case("MARS1", "2026-03-12T09:00:00Z", "unknown_schedule", schedule_id="mars", reply="2026-03-12T09:30:00Z")
    case(
        "MARS2",
        "2026-03-12T09:00:00Z",
        "unknown_schedule",
        priority="high",
        schedule_id="mars",
        reply="2026-03-12T09:30:00Z",
    )
    # A policy without a resolution target.
    case(
        "URGENT",
        "2026-03-12T10:00:00Z",
        "no_resolution_target",
        priority="urgent",
        reply="2026-03-12T10:20:00Z",
        solve="2026-03-12T11:00:00Z",
    )
    # Less than a second of open time left past the deadline: the breach instant
    # is Friday 16:59:59.5, not a closed instant before Monday's opening.
    case("SUBSEC", "2026-03-06T15:59:59.500Z", "sub_second", reply="2026-03-06T17:30:00Z")
    # Agent-initiated: the agent writes first (outbound contact).
    tickets.append(_ticket("OUTBOUND", "2026-03-02T09:00:00Z", "agent_initiated"))
    events.reply("OUTBOUND", "2026-03-02T09:00:00Z")
    events.customer("OUTBOUND", "2026-03-02T09:30:00Z")
    events.reply("OUTBOUND", "2026-03-02T10:30:00Z")
    events.solve("OUTBOUND", "2026-03-02T11:00:00Z")

    write_csv(folder, "tickets", TICKET_COLUMNS, tickets)
    write_csv(folder, "ticket_events", EVENT_COLUMNS, events.rows)
    write_csv(
        folder,
        "customers",
        TABLES["customers"].column_names,
        [["C1", "2025-01-01T00:00:00Z", "enterprise", "emea", "GB", "pro"]],
    )
    write_csv(folder, "business_schedules", TABLES["business_schedules"].column_names, SCHEDULES)
    write_csv(folder, "holidays", TABLES["holidays"].column_names, HOLIDAYS)
    # A contract version 1 file: no next_response_minutes column (still valid).
    v1_columns = [c for c in TABLES["sla_policies"].column_names if c != "next_response_minutes"]
    write_csv(folder, "sla_policies", v1_columns, SLA_POLICIES)
    return folder
