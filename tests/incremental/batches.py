"""A generated dataset cut into the batches a nightly export delivers, with the awkward cases of real exports.

Rows go to the batch whose time window holds their own instant (a ticket's creation, an event's occurrence, a
survey's response), as an export of "everything since yesterday" would send them; then a later batch re-sends some
ticket rows with new values, delivers late events that reopen solved tickets, re-sends customers with a new segment
and holds surveys back for weeks; a few tickets stall after their first reply and are never touched again; a ticket
SLA target sent early takes effect only when a later batch moves the as-of time past it. One batch may touch only old
periods and one may be empty.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from random import Random

from tests.warehouses import write_csv

Rows = list[list[str]]
# The instant that places a row of each table in a batch; tables not listed arrive whole with the first batch.
# The ticket SLA target that takes effect only after a later batch: one year, the longest the contract allows.
LATE_TARGET_MINUTES = 365 * 24 * 60
PLACED_BY = {"tickets": "created_at", "ticket_events": "occurred_at", "surveys": "responded_at"}


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: Rows

    def at(self, column: str) -> int:
        return self.header.index(column)


def generate_tables(folder: Path) -> dict[str, Table]:
    """The dataset every example splits: 600 generated tickets with every contract table."""
    from support_kpis.cli import main

    assert main(["generate", "--tickets", "600", "--seed", "5", "--out", str(folder)]) == 0
    return read_folder(folder)


def read_folder(folder: Path) -> dict[str, Table]:
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            tables[path.stem] = Table(header, list(reader))
    return tables


def _shifted(instant: str, days: int) -> str:
    from datetime import datetime, timedelta

    moment = datetime.strptime(instant, "%Y-%m-%dT%H:%M:%SZ") + timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _later(instant: str, rng: Random) -> str:
    """An instant a few hours to a week after `instant` (ISO, Z), same format."""
    from datetime import datetime, timedelta

    moment = datetime.strptime(instant, "%Y-%m-%dT%H:%M:%SZ") + timedelta(minutes=rng.randint(60, 7 * 24 * 60))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _stall_tickets(parts: list[dict[str, Rows]], tickets: Table, events: Table, first_cut: str) -> set[str]:
    """Tickets of the first batch, created just before its end, that stop after their first agent reply: open,
    answered, not resolved, and never touched again. Only the moving as-of time changes them in later builds (the
    resolution target passes, SLA clocks run out), so an incremental build must find them without new rows."""
    replied: dict[str, str] = {}
    for row in events.rows:
        if (row[events.at("event_type")], row[events.at("actor_type")], row[events.at("is_public")]) == (
            "message",
            "agent",
            "true",
        ):
            ticket_id, occurred = row[events.at("ticket_id")], row[events.at("occurred_at")]
            replied[ticket_id] = min(occurred, replied.get(ticket_id, occurred))
    latest_first = sorted(parts[0]["tickets"], key=lambda row: row[tickets.at("created_at")], reverse=True)
    chosen = [
        row[tickets.at("ticket_id")]
        for row in latest_first
        if row[tickets.at("ticket_id")] in replied and replied[row[tickets.at("ticket_id")]] <= first_cut
    ][:10]
    for part in parts:
        part["ticket_events"] = [
            row
            for row in part["ticket_events"]
            if row[events.at("ticket_id")] not in chosen
            or row[events.at("occurred_at")] <= replied[row[events.at("ticket_id")]]
        ]
    for index, row in enumerate(parts[0]["tickets"]):
        if row[tickets.at("ticket_id")] in chosen:
            opened = list(row)
            opened[tickets.at("status")] = "open"
            parts[0]["tickets"][index] = opened
    return set(chosen)


def split_into_batches(tables: dict[str, Table], rng: Random, count: int, out: Path) -> list[Path]:
    """Write `count` time-window batches plus the extra cases into folders under `out`; return them in load order."""
    tickets, events = tables["tickets"], tables["ticket_events"]
    created = sorted(row[tickets.at("created_at")] for row in tickets.rows)
    cuts = sorted(rng.sample(created[len(created) // 4 :], count - 1))

    def window(instant: str) -> int:
        return sum(instant > cut for cut in cuts)

    parts: list[dict[str, Rows]] = [{name: [] for name in tables} for _ in range(count)]
    for name, table in tables.items():
        column = PLACED_BY.get(name)
        for row in table.rows:
            parts[window(row[table.at(column)]) if column else 0][name].append(row)

    # Surveys held back: a share of the early ones arrive with the last batch.
    for part in parts[:-1]:
        late = [row for row in part["surveys"] if rng.random() < 0.3]
        part["surveys"] = [row for row in part["surveys"] if row not in late]
        parts[-1]["surveys"] += late

    first_batch_ids = [row[tickets.at("ticket_id")] for row in parts[0]["tickets"]]
    stalled = _stall_tickets(parts, tickets, events, cuts[0])
    first_batch_ids = [t for t in first_batch_ids if t not in stalled]
    by_id = {row[tickets.at("ticket_id")]: row for row in tickets.rows}
    # Ticket rows re-sent later with new values and a later updated_at: the later version wins.
    resent_ids = rng.sample(first_batch_ids, min(15, len(first_batch_ids)))
    for ticket_id in resent_ids:
        newer = list(by_id[ticket_id])
        newer[tickets.at("updated_at")] = "2030-01-01T00:00:00Z"
        newer[tickets.at("priority")] = rng.choice(["low", "normal", "high", "urgent"])
        newer[tickets.at("team")] = rng.choice(["billing", "technical", ""])
        parts[rng.randrange(1, count)]["tickets"].append(newer)

    last_event: dict[str, str] = {}
    for row in events.rows:
        ticket_id, occurred = row[events.at("ticket_id")], row[events.at("occurred_at")]
        last_event[ticket_id] = max(occurred, last_event.get(ticket_id, occurred))
    # A ticket re-sent with a creation time after its own events, at the end of the data: the validation gate then
    # sets those events (loaded with an earlier batch) aside, and the build must drop them. Every day, week and
    # month the ticket counted in before is left, and its KPI values there must be rewritten.
    moved = next(t for t in first_batch_ids if t not in resent_ids and t in last_event)
    moved_row = list(by_id[moved])
    moved_row[tickets.at("created_at")] = max(last_event.values())
    moved_row[tickets.at("updated_at")] = "2030-01-01T00:00:00Z"
    parts[rng.randrange(1, count)]["tickets"].append(moved_row)

    # Late events reopening solved tickets of the first batch: a customer writes again after the solve.
    solved = [t for t in first_batch_ids if by_id[t][tickets.at("status")] in ("solved", "closed") and t in last_event]
    for number, ticket_id in enumerate(rng.sample(solved, min(10, len(solved)))):
        at = _later(last_event[ticket_id], rng)
        message = [""] * len(events.header)
        message[events.at("event_id")] = f"E-REOPEN-{number}-a"
        message[events.at("ticket_id")] = ticket_id
        message[events.at("occurred_at")] = at
        message[events.at("event_type")] = "message"
        message[events.at("actor_type")] = "customer"
        message[events.at("is_public")] = "true"
        message[events.at("body")] = "This is broken again."
        reopen = list(message)
        reopen[events.at("event_id")] = f"E-REOPEN-{number}-b"
        reopen[events.at("event_type")] = "status_change"
        reopen[events.at("actor_type")] = "system"
        reopen[events.at("new_status")] = "open"
        reopen[events.at("body")] = ""
        parts[rng.randrange(1, count)]["ticket_events"] += [message, reopen]

    # A ticket SLA target applied after the first batch's as-of time, sent with the first batch, on a ticket that was
    # never answered and had breached its policy's first-response target by then. Once the as-of time passes the
    # target's time, the ticket's first response is judged against it, and its SLA runs again.
    agent_touched = {row[events.at("ticket_id")] for row in events.rows if row[events.at("actor_type")] == "agent"}
    # Created a week before the first cut (its policy's target long passed), the latest such: a year-long target,
    # the longest the contract allows, then still runs at the last as-of time.
    week_before_cut = _shifted(cuts[0], days=-7)
    unanswered = sorted(
        (by_id[t][tickets.at("created_at")], t)
        for t in first_batch_ids
        if t not in agent_touched
        and t not in (*resent_ids, moved)
        and by_id[t][tickets.at("created_at")] < week_before_cut
    )
    assert unanswered, "the generated data has no unanswered ticket in the first batch"
    targets = tables["ticket_sla_targets"]
    late_target = [""] * len(targets.header)
    late_target[targets.at("ticket_id")] = unanswered[-1][1]
    late_target[targets.at("metric")] = "first_response"
    late_target[targets.at("target_minutes")] = str(LATE_TARGET_MINUTES)
    late_target[targets.at("business_hours")] = "false"
    late_target[targets.at("applied_at")] = max(max(last_event.values()), created[-1])
    parts[0]["ticket_sla_targets"].append(late_target)

    # Customers re-sent with a new segment (customers have no updated_at: the later batch wins).
    customers = tables["customers"]
    for row in rng.sample(customers.rows, min(10, len(customers.rows))):
        moved = list(row)
        moved[customers.at("segment")] = rng.choice(["smb", "mid_market", "enterprise"])
        parts[rng.randrange(1, count)]["customers"].append(moved)

    # A batch touching only the oldest month: agent replies added to first-month tickets.
    first_month = created[0][:7]
    old = [t for t in first_batch_ids if by_id[t][tickets.at("created_at")].startswith(first_month)]
    old_only: dict[str, Rows] = {"ticket_events": []}
    for number, ticket_id in enumerate(rng.sample(old, min(8, len(old)))):
        reply = [""] * len(events.header)
        reply[events.at("event_id")] = f"E-OLD-{number}"
        reply[events.at("ticket_id")] = ticket_id
        reply[events.at("occurred_at")] = by_id[ticket_id][tickets.at("created_at")]
        reply[events.at("event_type")] = "message"
        reply[events.at("actor_type")] = "agent"
        reply[events.at("is_public")] = "false"
        reply[events.at("body")] = "Internal note added after the fact."
        old_only["ticket_events"].append(reply)
    empty: dict[str, Rows] = {"tickets": []}

    ordered: list[dict[str, Rows]] = list(parts)
    ordered.insert(rng.randrange(1, len(ordered) + 1), old_only)
    ordered.insert(rng.randrange(1, len(ordered) + 1), empty)
    folders = []
    for number, part in enumerate(ordered, start=1):
        folder = out / f"batch{number}"
        for name, rows in part.items():
            if rows or not any(part.values()):
                write_csv(folder, name, tables[name].header, rows)
        folders.append(folder)
    return folders
