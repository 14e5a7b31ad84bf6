"""What exists at the as-of time: nothing stamped after it, anywhere."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from .inputs import Event, Ticket
from .lifecycle import TicketFacts, ticket_facts


def resolve_as_of(tickets: Mapping[str, Ticket], events: Sequence[Event], as_of: datetime | None) -> datetime | None:
    """The given instant as naive UTC (naive input is UTC), else the latest created_at or occurred_at."""
    if as_of is not None:
        return as_of.astimezone(UTC).replace(tzinfo=None) if as_of.tzinfo is not None else as_of
    instants = [t.created_at for t in tickets.values()] + [e.occurred_at for e in events]
    return max(instants, default=None)


def events_of_known_tickets(tickets: Mapping[str, Ticket], events: Sequence[Event]) -> list[Event]:
    # An event whose ticket is not in tickets.csv is an orphan (quarantined by the pipeline): ignored.
    return [e for e in events if e.ticket_id in tickets]


def facts_as_of(tickets: Mapping[str, Ticket], events: Sequence[Event], as_of: datetime) -> list[TicketFacts]:
    """One TicketFacts per ticket created by the as-of time, from its events up to it (inclusive)."""
    events_by_ticket: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.occurred_at <= as_of:
            events_by_ticket[event.ticket_id].append(event)
    return [
        ticket_facts(ticket, events_by_ticket.get(ticket_id, []))
        for ticket_id, ticket in tickets.items()
        if ticket.created_at <= as_of
    ]
