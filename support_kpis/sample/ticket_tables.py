"""Arrow tables for `tickets` and `ticket_events` from a chunk's plan, events and outcome."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from support_kpis.contract import ACTOR_TYPES, CHANNELS, EVENT_TYPES, PRIORITIES, STATUSES
from support_kpis.sample import columns, vocab
from support_kpis.sample.agents import agent_ids
from support_kpis.sample.customers import customer_ids
from support_kpis.sample.event_buffer import BODIES, EventArrays
from support_kpis.sample.finalize import TicketOutcome
from support_kpis.sample.ticket_plan import CATEGORIES, PRODUCTS, SCHEDULES, SUBJECTS, TicketPlan

# Events per ticket stay far below this, so ids never need more digits mid-file.
_MAX_EVENTS_PER_TICKET = 100


@dataclass(frozen=True)
class IdSpace:
    """Id widths fixed for the whole data set."""

    tickets: int
    customers: int
    agents: int

    @property
    def ticket_width(self) -> int:
        return columns.id_width(self.tickets, 7)

    @property
    def event_width(self) -> int:
        return columns.id_width(self.tickets * _MAX_EVENTS_PER_TICKET, 9)


def ticket_ids(index: np.ndarray, space: IdSpace) -> pa.Array:
    return columns.ids("T", index, space.ticket_width)


def tickets_table(first: int, plan: TicketPlan, outcome: TicketOutcome, space: IdSpace) -> pa.Table:
    n = plan.count
    return columns.build_table(
        "tickets",
        {
            "ticket_id": ticket_ids(first + np.arange(n), space),
            "created_at": columns.timestamps(plan.created),
            "updated_at": columns.timestamps(outcome.updated_at),
            "customer_id": customer_ids(plan.customer, space.customers),
            "channel": columns.labels(CHANNELS, plan.channel),
            "priority": columns.labels(PRIORITIES, plan.priority),
            "category": columns.labels(CATEGORIES, plan.category),
            "product": columns.labels(PRODUCTS, plan.product),
            "status": columns.labels(STATUSES, outcome.status),
            "assignee_id": agent_ids(outcome.assignee, space.agents),
            "team": columns.labels(vocab.TEAMS, outcome.team),
            "schedule_id": columns.labels(SCHEDULES, plan.schedule),
            "subject": columns.labels(SUBJECTS, plan.subject),
        },
    )


def events_table(
    first_ticket: int, first_event: int, events: EventArrays, numbers: np.ndarray, space: IdSpace
) -> pa.Table:
    return columns.build_table(
        "ticket_events",
        {
            "event_id": columns.ids("E", first_event + numbers, space.event_width),
            "ticket_id": ticket_ids(first_ticket + events.ticket, space),
            "occurred_at": columns.timestamps(events.time),
            "event_type": columns.labels(EVENT_TYPES, events.event_type),
            "actor_type": columns.labels(ACTOR_TYPES, events.actor_type),
            "actor_id": agent_ids(events.actor, space.agents),
            "is_public": columns.booleans(events.is_public == 1, events.is_public < 0),
            "new_status": columns.labels(STATUSES, events.new_status),
            "new_assignee_id": agent_ids(events.new_assignee, space.agents),
            "new_team": columns.labels(vocab.TEAMS, events.new_team),
            "new_tier": columns.integers(events.new_tier, events.new_tier < 0),
            "handle_seconds": columns.integers(events.handle, events.handle < 0),
            "body": columns.labels(BODIES, events.body),
        },
    )
