"""Reading a raw data folder the way the data contract says, on its own.

Only CSV (tickets.csv, ticket_events.csv required; customers.csv optional).
The reference is a test oracle for valid data: a row that breaks a contract
rule raises ValueError naming file, row and rule instead of being guessed at.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

STATUSES = frozenset({"new", "open", "pending", "on_hold", "solved", "closed"})
CHANNELS = frozenset({"email", "chat", "phone", "web", "social", "messaging", "other"})
PRIORITIES = frozenset({"low", "normal", "high", "urgent"})
EVENT_TYPES = frozenset({"message", "status_change", "assignment", "escalation"})
ACTOR_TYPES = frozenset({"customer", "agent", "bot", "system"})
BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}

Row = dict[str, str | None]

TICKET_REQUIRED = ("ticket_id", "created_at", "channel", "status")
EVENT_REQUIRED = ("event_id", "ticket_id", "occurred_at", "event_type", "actor_type")


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    created_at: datetime
    updated_at: datetime | None
    customer_id: str | None
    channel: str
    priority: str | None
    category: str | None
    product: str | None
    status: str
    assignee_id: str | None
    team: str | None
    schedule_id: str | None  # business-hours schedule; null means the default one
    row_number: int


@dataclass(frozen=True)
class Event:
    event_id: str
    ticket_id: str
    occurred_at: datetime
    event_type: str
    actor_type: str
    actor_id: str | None
    is_public: bool | None
    new_status: str | None
    handle_seconds: int | None
    # Position in ticket_events.csv: the last tie-break of the event order.
    row_number: int


@dataclass(frozen=True)
class Customer:
    customer_id: str
    segment: str | None
    region: str | None


@dataclass(frozen=True)
class RawData:
    tickets: dict[str, Ticket]
    events: list[Event]
    customers: dict[str, Customer]


def read_data_folder(data_dir: Path) -> RawData:
    tickets_path = data_dir / "tickets.csv"
    events_path = data_dir / "ticket_events.csv"
    customers_path = data_dir / "customers.csv"
    for required in (tickets_path, events_path):
        if not required.is_file():
            raise ValueError(f"{required}: required file is missing")
    tickets = latest_ticket_rows(
        parse_ticket(row, tickets_path.name, number) for number, row in read_csv(tickets_path, TICKET_REQUIRED)
    )
    events = last_event_rows(
        parse_event(row, events_path.name, number) for number, row in read_csv(events_path, EVENT_REQUIRED)
    )
    customers: dict[str, Customer] = {}
    if customers_path.is_file():
        for n, row in read_csv(customers_path, ("customer_id",)):
            customer = parse_customer(row, customers_path.name, n)
            # customers has no updated_at: the last row read wins.
            customers[customer.customer_id] = customer
    return RawData(tickets, events, customers)


def read_csv(path: Path, required_columns: tuple[str, ...]) -> Iterator[tuple[int, Row]]:
    """Yield (data row number starting at 1, row) with empty fields as None."""
    # utf-8-sig drops an optional byte-order mark; newline="" lets csv handle quoted newlines.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in required_columns if c not in header]
        if missing:
            raise ValueError(f"{path.name}: missing required column(s) {', '.join(missing)}")
        for number, raw in enumerate(reader, start=1):
            # Only an empty field is null ("NA" is a value); a short row's missing fields are null too.
            yield number, {column: raw.get(column) or None for column in header}


def latest_ticket_rows(tickets: Iterator[Ticket]) -> dict[str, Ticket]:
    """Per ticket_id: latest updated_at wins; a null updated_at loses to any value; ties -> last row read."""
    winners: dict[str, Ticket] = {}
    for ticket in tickets:
        current = winners.get(ticket.ticket_id)
        if current is None or _version(ticket) >= _version(current):
            winners[ticket.ticket_id] = ticket
    return winners


def _version(ticket: Ticket) -> tuple[bool, datetime, int]:
    return (ticket.updated_at is not None, ticket.updated_at or datetime.min, ticket.row_number)


def last_event_rows(events: Iterator[Event]) -> list[Event]:
    """Per event_id the last row read wins (exact duplicates included), keeping that row's position."""
    by_id: dict[str, Event] = {}
    for event in events:
        by_id[event.event_id] = event
    return sorted(by_id.values(), key=lambda e: e.row_number)


def parse_ticket(row: Row, file: str, number: int) -> Ticket:
    where = f"{file} row {number}"
    return Ticket(
        ticket_id=_required(row, "ticket_id", where),
        created_at=parse_timestamp(_required(row, "created_at", where), f"{where} created_at"),
        updated_at=_optional_timestamp(row, "updated_at", where),
        customer_id=row.get("customer_id"),
        channel=parse_enum(_required(row, "channel", where), CHANNELS, f"{where} channel"),
        priority=_optional_enum(row, "priority", PRIORITIES, where),
        category=row.get("category"),
        product=row.get("product"),
        status=parse_enum(_required(row, "status", where), STATUSES, f"{where} status"),
        assignee_id=row.get("assignee_id"),
        team=row.get("team"),
        schedule_id=row.get("schedule_id"),
        row_number=number,
    )


def parse_event(row: Row, file: str, number: int) -> Event:
    where = f"{file} row {number}"
    event_type = parse_enum(_required(row, "event_type", where), EVENT_TYPES, f"{where} event_type")
    is_public = None if row.get("is_public") is None else parse_boolean(row["is_public"] or "", f"{where} is_public")
    new_status = _optional_enum(row, "new_status", STATUSES, where)
    if event_type == "message" and is_public is None:
        raise ValueError(f"{where}: a message needs is_public")
    if event_type == "status_change" and new_status is None:
        raise ValueError(f"{where}: a status_change needs new_status")
    return Event(
        event_id=_required(row, "event_id", where),
        ticket_id=_required(row, "ticket_id", where),
        occurred_at=parse_timestamp(_required(row, "occurred_at", where), f"{where} occurred_at"),
        event_type=event_type,
        actor_type=parse_enum(_required(row, "actor_type", where), ACTOR_TYPES, f"{where} actor_type"),
        actor_id=row.get("actor_id"),
        is_public=is_public,
        new_status=new_status,
        handle_seconds=_optional_seconds(row, "handle_seconds", where),
        row_number=number,
    )


def parse_customer(row: Row, file: str, number: int) -> Customer:
    where = f"{file} row {number}"
    return Customer(_required(row, "customer_id", where), row.get("segment"), row.get("region"))


def parse_timestamp(text: str, where: str) -> datetime:
    """ISO 8601 to naive UTC: an offset is converted, no offset means UTC already."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{where}: not an ISO 8601 timestamp: {text!r}") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def parse_enum(text: str, allowed: frozenset[str], where: str) -> str:
    value = text.strip().lower()
    if value not in allowed:
        raise ValueError(f"{where}: unknown value {text!r}")
    return value


def parse_boolean(text: str, where: str) -> bool:
    value = text.strip().lower()
    if value not in BOOLEANS:
        raise ValueError(f"{where}: not a boolean: {text!r}")
    return BOOLEANS[value]


def _required(row: Row, column: str, where: str) -> str:
    value = row.get(column)
    if value is None:
        raise ValueError(f"{where}: {column} is required")
    return value


def _optional_timestamp(row: Row, column: str, where: str) -> datetime | None:
    value = row.get(column)
    return None if value is None else parse_timestamp(value, f"{where} {column}")


def _optional_enum(row: Row, column: str, allowed: frozenset[str], where: str) -> str | None:
    value = row.get(column)
    return None if value is None else parse_enum(value, allowed, f"{where} {column}")


def _optional_seconds(row: Row, column: str, where: str) -> int | None:
    value = row.get(column)
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        raise ValueError(f"{where}: {column} is not a number: {value!r}") from None
    if number < 0 or number != int(number):
        raise ValueError(f"{where}: {column} must be a whole number >= 0: {value!r}")
    return int(number)
