"""From simulated events to what the files hold: cut at the range end, ordered, ids, ticket state.

Simulated events can share a second on purpose (a reply and the status it sets). Two
status changes (or two assignments) of one ticket in the same second would leave the
ticket's current state to file order, so those are spread one second apart first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from support_kpis.sample.event_buffer import (
    AGENT,
    ASSIGNMENT,
    CLOSED,
    ESCALATION,
    MESSAGE,
    NEW,
    SOLVED,
    STATUS_CHANGE,
    EventArrays,
)

SHUFFLED_SHARE = 0.02  # rows moved out of time order in the file
_GROUP_STRIDE = np.int64(1) << 42  # exceeds any epoch-second spread, keeps tickets apart in cummax
NO_TIME = np.iinfo(np.int64).min


@dataclass(frozen=True)
class TicketOutcome:
    """Per ticket, what its events say once cut at the end of the range."""

    status: np.ndarray
    updated_at: np.ndarray
    assignee: np.ndarray
    team: np.ndarray
    first_solved_at: np.ndarray  # NO_TIME when never solved
    last_solved_at: np.ndarray  # NO_TIME unless currently solved/closed
    reopened: np.ndarray
    escalated: np.ndarray
    public_replies: np.ndarray
    first_reply_at: np.ndarray  # NO_TIME without a public agent reply


def _spread_same_second(events: EventArrays, rows: np.ndarray) -> None:
    """Make the times of `rows` (sorted by ticket then time) strictly increase within each ticket."""
    if len(rows) == 0:
        return
    position = np.arange(len(rows), dtype=np.int64)
    group = events.ticket[rows] * _GROUP_STRIDE
    # t'[i] = i + max_{j<=i}(t[j] - j) is the smallest strictly increasing sequence >= t.
    events.time[rows] = np.maximum.accumulate(events.time[rows] - position + group) - group + position


def _last_per_ticket(ticket: np.ndarray, n_tickets: int, values: np.ndarray, default: int) -> np.ndarray:
    """Value of each ticket's last row (rows sorted by ticket then time)."""
    out = np.full(n_tickets, default, dtype=np.int64)
    last = np.append(ticket[1:] != ticket[:-1], True) if len(ticket) else np.zeros(0, dtype=bool)
    out[ticket[last]] = values[last]
    return out


def finalize(events: EventArrays, n_tickets: int, end_ts: int) -> tuple[EventArrays, TicketOutcome]:
    """Events cut at `end_ts`, in logical order (ticket, time, emission), and each ticket's state."""
    emitted = np.arange(len(events), dtype=np.int64)
    events = events.take(np.lexsort((emitted, events.time, events.ticket)))
    _spread_same_second(events, np.flatnonzero(events.event_type == STATUS_CHANGE))
    _spread_same_second(events, np.flatnonzero(events.event_type == ASSIGNMENT))
    # Spreading may have moved a row past a later one: sort again, keeping the logical order on ties.
    kept = np.flatnonzero(events.time <= end_ts)
    events = events.take(kept[np.lexsort((kept, events.time[kept], events.ticket[kept]))])
    return events, _outcome(events, n_tickets)


def _outcome(events: EventArrays, n: int) -> TicketOutcome:
    ticket = events.ticket
    changes = np.flatnonzero(events.event_type == STATUS_CHANGE)
    change_ticket, new_status = ticket[changes], events.new_status[changes]
    previous = np.concatenate([[NEW], new_status[:-1]])
    previous = np.where(np.concatenate([[True], change_ticket[1:] != change_ticket[:-1]]), NEW, previous)
    was_done = (previous == SOLVED) | (previous == CLOSED)
    is_done = (new_status == SOLVED) | (new_status == CLOSED)
    solve, reopen = is_done & ~was_done, was_done & ~is_done

    status = _last_per_ticket(change_ticket, n, new_status, NEW)
    first_solved = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_solved, change_ticket[solve], events.time[changes][solve])
    first_solved[first_solved == np.iinfo(np.int64).max] = NO_TIME
    last_solved = _last_per_ticket(change_ticket[solve], n, events.time[changes][solve], NO_TIME)
    last_solved = np.where((status == SOLVED) | (status == CLOSED), last_solved, NO_TIME)

    assignments = np.flatnonzero(events.event_type == ASSIGNMENT)
    replies = np.flatnonzero((events.event_type == MESSAGE) & (events.actor_type == AGENT) & (events.is_public == 1))
    first_reply = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_reply, ticket[replies], events.time[replies])
    first_reply[first_reply == np.iinfo(np.int64).max] = NO_TIME
    return TicketOutcome(
        status=status,
        updated_at=_last_per_ticket(ticket, n, events.time, NO_TIME),
        assignee=_last_per_ticket(ticket[assignments], n, events.new_assignee[assignments], -1),
        team=_last_per_ticket(ticket[assignments], n, events.new_team[assignments], -1),
        first_solved_at=first_solved,
        last_solved_at=last_solved,
        reopened=np.bincount(change_ticket[reopen], minlength=n) > 0,
        escalated=np.bincount(ticket[events.event_type == ESCALATION], minlength=n) > 0,
        public_replies=np.bincount(ticket[replies], minlength=n),
        first_reply_at=first_reply,
    )


def file_order(events: EventArrays, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Rows for the file, and each row's event number (its rank in time order).

    By ticket and time, ties at random, then a few rows moved anywhere; a moved row keeps
    its number, so event ids are not always in file order either.
    """
    rows = np.lexsort((rng.random(len(events)), events.time, events.ticket))
    numbers = np.arange(len(rows), dtype=np.int64)
    moved = rng.choice(len(rows), int(len(rows) * SHUFFLED_SHARE), replace=False)
    landing = rng.permutation(moved)
    rows[landing], numbers[landing] = rows[moved], numbers[moved]
    return rows, numbers
