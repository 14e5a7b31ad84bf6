"""What happened to one ticket, read from its ordered events (all at or before the as-of time)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .inputs import Event, Ticket

SOLVED = frozenset({"solved", "closed"})
# The catalog's reopen targets; every status outside SOLVED is one of them.
REOPEN_TARGETS = frozenset({"new", "open", "pending", "on_hold"})
# The status a ticket has before its first status change.
INITIAL_STATUS = "new"


@dataclass(frozen=True)
class ReplyCycle:
    started_at: datetime  # the customer message that opened the cycle
    replied_at: datetime  # the public agent reply that closed it


@dataclass(frozen=True)
class TicketFacts:
    ticket: Ticket
    events: tuple[Event, ...]  # in catalog order
    is_agent_initiated: bool
    first_response_at: datetime | None
    reply_cycles: tuple[ReplyCycle, ...]
    solves: tuple[datetime, ...]
    reopen_count: int
    public_agent_reply_count: int
    handle_seconds: int
    is_escalated: bool
    # The customer message opening a cycle no public agent reply has closed by the as-of time.
    waiting_since: datetime | None = None

    @property
    def first_resolved_at(self) -> datetime | None:
        return self.solves[0] if self.solves else None

    @property
    def last_resolved_at(self) -> datetime | None:
        # Only a ticket that is solved/closed now has a final resolution. "Now" is
        # the as-of time: its status after the last status change up to then
        # (self.events stop at the as-of time), not the export's current row,
        # which may already know of a later reopen.
        changes = status_changes(self.events)
        if self.solves and changes and changes[-1][1] in SOLVED:
            return self.solves[-1]
        return None


def is_customer_message(event: Event) -> bool:
    return event.event_type == "message" and event.actor_type == "customer"


def is_public_agent_reply(event: Event) -> bool:
    return event.event_type == "message" and event.actor_type == "agent" and event.is_public is True


def event_order_key(event: Event) -> tuple[datetime, int, int]:
    """occurred_at, then customer message, other messages, status changes, other events, then file order."""
    if is_customer_message(event):
        rank = 0
    elif event.event_type == "message":
        rank = 1
    elif event.event_type == "status_change":
        rank = 2
    else:
        rank = 3
    return (event.occurred_at, rank, event.row_number)


def ticket_facts(ticket: Ticket, events: Sequence[Event]) -> TicketFacts:
    ordered = tuple(sorted(events, key=event_order_key))
    solves, reopen_count = solves_and_reopens(ordered)
    return TicketFacts(
        ticket=ticket,
        events=ordered,
        is_agent_initiated=is_agent_initiated(ordered),
        first_response_at=first_response_at(ticket, ordered),
        reply_cycles=reply_cycles(ordered),
        solves=solves,
        reopen_count=reopen_count,
        public_agent_reply_count=sum(1 for e in ordered if is_public_agent_reply(e)),
        handle_seconds=sum(e.handle_seconds or 0 for e in ordered),
        is_escalated=any(e.event_type == "escalation" for e in ordered),
        waiting_since=waiting_since(ordered),
    )


def is_agent_initiated(ordered: Sequence[Event]) -> bool:
    """The earliest of the customer messages and public agent replies is an agent's."""
    for event in ordered:
        if is_customer_message(event):
            return False
        if is_public_agent_reply(event):
            return True
    return False


def first_response_at(ticket: Ticket, ordered: Sequence[Event]) -> datetime | None:
    for event in ordered:
        if is_public_agent_reply(event) and event.occurred_at >= ticket.created_at:
            return event.occurred_at
    return None


def reply_cycles(ordered: Sequence[Event]) -> tuple[ReplyCycle, ...]:
    """A cycle opens at the first customer message, or the first one after a public agent reply,
    and closes at the next public agent reply; a cycle still open at the end is left out."""
    cycles: list[ReplyCycle] = []
    open_since: datetime | None = None
    for event in ordered:
        if is_customer_message(event) and open_since is None:
            open_since = event.occurred_at
        elif is_public_agent_reply(event) and open_since is not None:
            cycles.append(ReplyCycle(open_since, event.occurred_at))
            open_since = None
    return tuple(cycles)


def waiting_since(ordered: Sequence[Event]) -> datetime | None:
    """The start of the cycle still open after the last event (the one reply_cycles leaves out)."""
    open_since: datetime | None = None
    for event in ordered:
        if is_customer_message(event) and open_since is None:
            open_since = event.occurred_at
        elif is_public_agent_reply(event):
            open_since = None
    return open_since


def solves_and_reopens(ordered: Sequence[Event]) -> tuple[tuple[datetime, ...], int]:
    """Walk the status changes: a solve enters solved/closed from neither, a reopen leaves them."""
    status = INITIAL_STATUS
    solves: list[datetime] = []
    reopens = 0
    for event in ordered:
        if event.event_type != "status_change" or event.new_status is None:
            continue
        new_status = event.new_status
        if new_status == status:
            continue  # a change to the same status does nothing
        if new_status in SOLVED and status not in SOLVED:
            solves.append(event.occurred_at)
        elif status in SOLVED and new_status in REOPEN_TARGETS:
            reopens += 1
        # solved -> closed (and closed -> solved) is neither a solve nor a reopen.
        status = new_status
    return tuple(solves), reopens


def status_changes(ordered: Sequence[Event]) -> list[tuple[datetime, str]]:
    """(occurred_at, new status) of every status change, in event order."""
    return [(e.occurred_at, e.new_status) for e in ordered if e.event_type == "status_change" and e.new_status]
