"""The segments a ticket falls in: `all` plus the 8 ticket dimensions."""

from __future__ import annotations

from collections.abc import Mapping

from .inputs import Customer, Ticket

Segment = tuple[str, str]  # (dimension, dimension_value)

UNKNOWN = "unknown"
TICKET_DIMENSIONS = ("channel", "priority", "category", "team", "agent", "product", "segment", "region")


def ticket_segments(ticket: Ticket, customers: Mapping[str, Customer]) -> tuple[Segment, ...]:
    """From the ticket's current row (agent = assignee) and its customer; a null value is `unknown`."""
    customer = customers.get(ticket.customer_id) if ticket.customer_id is not None else None
    values: dict[str, str | None] = {
        "channel": ticket.channel,
        # The contract gives these two nulls a meaning before the catalog's `unknown` rule applies.
        "priority": ticket.priority if ticket.priority is not None else "normal",
        "category": ticket.category if ticket.category is not None else "uncategorized",
        "team": ticket.team,
        "agent": ticket.assignee_id,
        "product": ticket.product,
        "segment": customer.segment if customer is not None else None,
        "region": customer.region if customer is not None else None,
    }
    return (("all", "all"), *((d, values[d] or UNKNOWN) for d in TICKET_DIMENSIONS))
