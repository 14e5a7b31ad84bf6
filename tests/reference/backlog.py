"""backlog_open_tickets: a state at each period's end, not an attributed event."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime

from .dimensions import Segment
from .lifecycle import SOLVED, TicketFacts, status_changes
from .periods import PeriodMapper, periods_from_to
from .rows import GRAINS, Grain, KpiRow

KPI_ID = "backlog_open_tickets"


def backlog_rows(
    facts: Sequence[TicketFacts],
    segments_of: Callable[[TicketFacts], tuple[Segment, ...]],
    as_of: datetime,
    periods: PeriodMapper,
) -> list[KpiRow]:
    """Every period from the first holding a ticket creation to the one holding the as-of time.

    A period's end is the next period's start (exclusive), or the as-of instant (inclusive) for the
    period holding it; since nothing after the as-of time exists, both read as "every fact stamped in
    this period or an earlier one".
    """
    if not facts:
        return []
    rows: list[KpiRow] = []
    for grain in GRAINS:
        first = min(periods(f.ticket.created_at, grain) for f in facts)
        starts = periods_from_to(first, periods(as_of, grain), grain)
        counts: Counter[tuple[date, Segment]] = Counter()
        for ticket in facts:
            segments = segments_of(ticket)
            for start in periods_ending_open(ticket, grain, starts, periods):
                for segment in segments:
                    counts[(start, segment)] += 1
        rows.extend(
            KpiRow(KPI_ID, grain, start, dimension, value, float(n), None, None, n)
            for (start, (dimension, value)), n in counts.items()
        )
    return rows


def periods_ending_open(
    facts: TicketFacts, grain: Grain, starts: Sequence[date], periods: PeriodMapper
) -> Iterator[date]:
    """Starts of the periods at whose end the ticket exists and is not solved/closed."""
    changes = [(periods(at, grain), new_status) for at, new_status in status_changes(facts.events)]
    created = periods(facts.ticket.created_at, grain)
    status = "open"  # no status change yet means open
    applied = 0
    for start in starts:
        if start < created:
            continue
        # Status changes are in time order, so their periods are too.
        while applied < len(changes) and changes[applied][0] <= start:
            status = changes[applied][1]
            applied += 1
        if status not in SOLVED:
            yield start
        elif applied == len(changes):
            return  # solved for good: no later change can reopen it
