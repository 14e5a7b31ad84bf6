"""Self-service and knowledge base: KB articles (no dimensions), sessions, self-service resolution,
deflection and helpfulness (segment, region through the customer), bot containment (ticket dimensions)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from .dated_facts import ALL, Aggregation, Context, Fact, aggregate_facts
from .lifecycle import is_public_agent_reply
from .optional_inputs import KbArticle, Session
from .periods import period_start_of_date, periods_from_to
from .rows import GRAINS, KpiRow

AGGREGATIONS: dict[str, Aggregation] = {
    "kb_articles_published": "count",
    "self_service_sessions": "count",
    "self_service_resolution_pct": "pct",
    "deflection_rate_pct": "pct",
    "kb_helpfulness_pct": "pct",
    "bot_resolution_pct": "pct",
}


def self_service_rows(context: Context) -> list[KpiRow]:
    rows = live_article_rows(context)
    facts = [*article_facts(context), *session_facts(context), *bot_facts(context)]
    return rows + aggregate_facts(facts, AGGREGATIONS)


def is_deflected(session: Session) -> bool:
    """The customer said it solved the problem and no ticket was opened from the session."""
    return session.resolved is True and session.ticket_id is None


def article_facts(context: Context) -> Iterator[Fact]:
    for article in context.tables.kb_articles or []:
        if article.published_at is not None and article.published_at <= context.as_of:
            yield Fact("kb_articles_published", context.day(article.published_at), (ALL,), 1.0)


def live_article_rows(context: Context) -> list[KpiRow]:
    """kb_articles_live at each period's end (the as-of instant for the period holding it), for
    every period from the first holding a publication to the one holding the as-of time."""
    articles = context.tables.kb_articles
    if articles is None:
        return []
    # Local dates of publication and archiving; a stamp after the as-of time has not happened.
    spans = [live_span(context, a) for a in articles]
    published_days = [span[0] for span in spans if span is not None]
    if not published_days:
        return []
    rows: list[KpiRow] = []
    for grain in GRAINS:
        starts = periods_from_to(
            period_start_of_date(min(published_days), grain), period_start_of_date(context.as_of_day, grain), grain
        )
        live: Counter[date] = Counter()
        for span in spans:
            if span is None:
                continue
            published, archived = (period_start_of_date(d, grain) if d else None for d in span)
            for start in starts:
                # Live at the end of the period: published in it or before, not archived in it or before.
                if published is not None and published <= start and (archived is None or start < archived):
                    live[start] += 1
        rows.extend(KpiRow("kb_articles_live", grain, start, "all", "all", float(n), None, None, n)
                    for start, n in live.items())  # fmt: skip
    return rows


def live_span(context: Context, article: KbArticle) -> tuple[date, date | None] | None:
    """(local publication date, local archive date or None), or None for an article never published by the as-of."""
    if article.published_at is None or article.published_at > context.as_of:
        return None
    archived = article.archived_at
    if archived is None or archived > context.as_of:
        return context.day(article.published_at), None
    return context.day(article.published_at), context.day(archived)


def session_facts(context: Context) -> Iterator[Fact]:
    sessions = context.tables.sessions
    if sessions is None:
        return
    for session in sessions:
        if session.started_at > context.as_of:
            continue
        day, segments = context.day(session.started_at), context.customer_segments(session.customer_id)
        deflected = 1.0 if is_deflected(session) else 0.0
        yield Fact("self_service_sessions", day, segments, 1.0)
        yield Fact("self_service_resolution_pct", day, segments, deflected)
        if deflected:
            yield Fact("deflection_rate_pct", day, segments, 1.0)
        if session.helpful is not None:
            yield Fact("kb_helpfulness_pct", day, segments, 1.0 if session.helpful else 0.0)
    # Tickets created complete deflection's denominator (only when sessions exist at all).
    for facts in context.facts:
        ticket = facts.ticket
        yield Fact(
            "deflection_rate_pct", context.day(ticket.created_at), context.customer_segments(ticket.customer_id), 0.0
        )


def bot_facts(context: Context) -> Iterator[Fact]:
    """Over tickets first resolved: contained when the whole history up to the as-of time has a public
    bot message and no public agent reply."""
    for facts in context.facts:
        resolved = facts.first_resolved_at
        if resolved is None:
            continue
        bot_spoke = any(
            e.event_type == "message" and e.actor_type == "bot" and e.is_public is True for e in facts.events
        )
        contained = bot_spoke and not any(is_public_agent_reply(e) for e in facts.events)
        segments = context.ticket_segments[facts.ticket.ticket_id]
        yield Fact("bot_resolution_pct", context.day(resolved), segments, 1.0 if contained else 0.0)
