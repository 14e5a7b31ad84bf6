"""A small dataset of the ticket-lifecycle traps, one product per trap.

Each trap's tickets carry their own `product`, so kpi_values rows with
dimension = product isolate it. Expected values are worked out by hand in
tests/kpis/test_hand_cases.py.
"""

from __future__ import annotations

from pathlib import Path

from support_kpis.contract import TABLES
from tests.warehouses import write_csv

TICKET_COLUMNS = TABLES["tickets"].column_names
EVENT_COLUMNS = TABLES["ticket_events"].column_names


def _ticket(
    ticket_id: str,
    created_at: str,
    product: str,
    *,
    status: str,
    channel: str = "email",
    updated_at: str | None = None,
    customer_id: str | None = "C1",
    priority: str | None = "normal",
    team: str | None = "general",
    assignee_id: str | None = "A1",
) -> list[str | None]:
    values = {
        "ticket_id": ticket_id,
        "created_at": created_at,
        "updated_at": updated_at or created_at,
        "customer_id": customer_id,
        "channel": channel,
        "priority": priority,
        "category": "how-to",
        "product": product,
        "status": status,
        "assignee_id": assignee_id,
        "team": team,
        "schedule_id": None,
        "subject": f"case {product}",
    }
    return [values[c] for c in TICKET_COLUMNS]


_event_counter = 0


def _event(
    ticket_id: str,
    occurred_at: str,
    kind: str,
    *,
    public: bool = True,
    status: str | None = None,
    handle_seconds: int | None = None,
) -> list[str | None]:
    """kind: customer | agent | note | bot | status | escalation."""
    global _event_counter
    _event_counter += 1
    actor = {
        "customer": "customer",
        "agent": "agent",
        "note": "agent",
        "bot": "bot",
        "status": "agent",
        "escalation": "system",
    }[kind]
    event_type = {"status": "status_change", "escalation": "escalation"}.get(kind, "message")
    values = {
        "event_id": f"E{_event_counter:04d}",
        "ticket_id": ticket_id,
        "occurred_at": occurred_at,
        "event_type": event_type,
        "actor_type": actor,
        "actor_id": "A1" if actor == "agent" else None,
        "is_public": None if event_type != "message" else ("false" if kind == "note" else "true"),
        "new_status": status,
        "new_assignee_id": None,
        "new_team": None,
        "new_tier": "2" if kind == "escalation" else None,
        "handle_seconds": handle_seconds,
        "body": None,
    }
    return [values[c] for c in EVENT_COLUMNS]


def write_hand_cases(folder: Path) -> Path:
    global _event_counter
    _event_counter = 0
    tickets = [
        _ticket("TA", "2026-03-02T09:00:00Z", "equal_ts", status="solved"),
        _ticket("TB", "2026-03-03T10:00:00Z", "out_of_order", status="solved"),
        _ticket("TC", "2026-03-03T14:00:00Z", "notes_bots", status="solved", channel="chat"),
        _ticket("TD", "2026-03-04T09:00:00Z", "agent_initiated", status="solved"),
        _ticket("TE", "2026-03-04T12:00:00Z", "never_answered", status="new", customer_id=None),
        _ticket("TF", "2026-03-05T09:00:00Z", "reopen", status="solved"),
        _ticket("TG", "2026-03-09T09:00:00Z", "solved_closed", status="closed"),
        # The newer version comes first in the file: updated_at decides, not file order.
        _ticket(
            "TH", "2026-03-10T09:00:00Z", "dup_new", status="new", channel="email", updated_at="2026-03-11T09:00:00Z"
        ),
        _ticket(
            "TH", "2026-03-10T09:00:00Z", "dup_old", status="new", channel="phone", updated_at="2026-03-10T09:00:00Z"
        ),
        # Equal updated_at: the last row read wins.
        _ticket("TH2", "2026-03-10T10:00:00Z", "tie_first", status="new", updated_at="2026-03-10T10:00:00Z"),
        _ticket("TH2", "2026-03-10T10:00:00Z", "tie_last", status="new", updated_at="2026-03-10T10:00:00Z"),
        _ticket("TI1", "2026-03-31T23:00:00Z", "backlog", status="solved"),
        _ticket("TI2", "2026-04-05T22:00:00Z", "backlog", status="solved"),
        _ticket("TI3", "2026-03-20T10:00:00Z", "backlog", status="pending"),
        _ticket("TJ", "2026-04-10T11:00:00Z", "late", status="new"),
        # Sunday 23:30 UTC is Monday 00:30 in Berlin (CET, +01:00).
        _ticket("TK", "2026-03-08T23:30:00Z", "tz", status="new"),
        _ticket("TL", "2026-03-30T10:00:00Z", "asof", status="solved"),
        _ticket("TM", "2026-03-30T09:00:00Z", "asof_instant", status="solved"),
    ]
    events = [
        # equal_ts: the agent reply at 09:20:00 is written BEFORE the customer
        # message of the same second; the customer message still comes first.
        _event("TA", "2026-03-02T09:00:00Z", "customer"),
        _event("TA", "2026-03-02T09:10:00Z", "agent", handle_seconds=60),
        _event("TA", "2026-03-02T09:20:00Z", "agent", handle_seconds=120),
        _event("TA", "2026-03-02T09:20:00Z", "customer"),
        _event("TA", "2026-03-02T09:20:00Z", "status", status="solved"),
        # out_of_order: the file lists the history backwards.
        _event("TB", "2026-03-03T12:00:00Z", "status", status="solved"),
        _event("TB", "2026-03-03T11:00:00Z", "agent", handle_seconds=300),
        _event("TB", "2026-03-03T10:00:00Z", "customer"),
        # notes_bots: a bot message and an internal note are not replies.
        _event("TC", "2026-03-03T14:00:00Z", "customer"),
        _event("TC", "2026-03-03T14:01:00Z", "bot"),
        _event("TC", "2026-03-03T14:05:00Z", "note", handle_seconds=30),
        _event("TC", "2026-03-03T15:00:00Z", "status", status="solved"),
        # agent_initiated: outbound contact.
        _event("TD", "2026-03-04T09:00:00Z", "agent"),
        _event("TD", "2026-03-04T10:00:00Z", "customer"),
        _event("TD", "2026-03-04T10:30:00Z", "agent"),
        _event("TD", "2026-03-04T11:00:00Z", "status", status="solved"),
        # never_answered.
        _event("TE", "2026-03-04T12:00:00Z", "customer"),
        # reopen: solve -> reopen -> solve.
        _event("TF", "2026-03-05T09:00:00Z", "customer"),
        _event("TF", "2026-03-05T09:30:00Z", "agent"),
        _event("TF", "2026-03-05T10:00:00Z", "status", status="solved"),
        _event("TF", "2026-03-06T08:00:00Z", "customer"),
        _event("TF", "2026-03-06T08:00:00Z", "status", status="open"),
        _event("TF", "2026-03-06T09:00:00Z", "agent"),
        _event("TF", "2026-03-06T12:00:00Z", "status", status="solved"),
        # solved_closed: solved then closed is one solve.
        _event("TG", "2026-03-09T09:00:00Z", "customer"),
        _event("TG", "2026-03-09T09:15:00Z", "agent"),
        _event("TG", "2026-03-09T10:00:00Z", "status", status="solved"),
        _event("TG", "2026-03-12T10:00:00Z", "status", status="closed"),
        _event("TH", "2026-03-10T09:00:00Z", "customer"),
        _event("TH2", "2026-03-10T10:00:00Z", "customer"),
        # backlog across day, week and month ends.
        _event("TI1", "2026-03-31T23:00:00Z", "customer"),
        _event("TI1", "2026-04-01T01:00:00Z", "status", status="solved"),
        _event("TI2", "2026-04-05T22:00:00Z", "customer"),
        _event("TI2", "2026-04-06T00:30:00Z", "status", status="solved"),
        _event("TI3", "2026-03-20T10:00:00Z", "customer"),
        _event("TI3", "2026-03-20T11:00:00Z", "status", status="open"),
        _event("TI3", "2026-03-21T11:00:00Z", "status", status="pending"),
        _event("TI3", "2026-03-22T11:00:00Z", "escalation"),
        # late: created an hour before the as-of time, which its message sets.
        _event("TJ", "2026-04-10T11:00:00Z", "customer"),
        _event("TJ", "2026-04-10T12:00:00Z", "customer"),
        _event("TK", "2026-03-08T23:30:00Z", "customer"),
        # asof / asof_instant: solved after / exactly at 2026-03-31 22:30 UTC.
        _event("TL", "2026-03-30T10:00:00Z", "customer"),
        _event("TL", "2026-03-31T23:00:00Z", "status", status="solved"),
        _event("TM", "2026-03-30T09:00:00Z", "customer"),
        _event("TM", "2026-03-31T22:30:00Z", "status", status="solved"),
    ]
    write_csv(folder, "tickets", TICKET_COLUMNS, tickets)
    write_csv(folder, "ticket_events", EVENT_COLUMNS, events)
    write_csv(
        folder,
        "customers",
        TABLES["customers"].column_names,
        [["C1", "2025-01-01T00:00:00Z", "enterprise", "emea", "DE", "pro"]],
    )
    return folder
