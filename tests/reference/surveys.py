"""Customer experience from surveys: csat_pct, csat_avg_normalized, nps, ces_avg (attributed by responded_at)."""

from __future__ import annotations

from collections.abc import Iterator

from .dated_facts import Aggregation, Context, Fact, aggregate_facts
from .dimensions import Segment
from .optional_inputs import Survey
from .rows import KpiRow

AGGREGATIONS: dict[str, Aggregation] = {
    "csat_pct": "pct",
    "csat_avg_normalized": "mean",
    "nps": "mean",  # observations +100 / 0 / -100: numerator 100 x (promoters - detractors), denominator responses
    "ces_avg": "mean",
}
SATISFIED_FROM = 0.75  # normalized CSAT: 4-5 on 1-5, 8-10 on 1-10
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6
# The ticket dimensions a linked survey takes from its ticket; segment and region come from its customer.
FROM_TICKET = frozenset({"channel", "priority", "category", "team", "agent", "product"})


def survey_rows(context: Context) -> list[KpiRow]:
    surveys = context.tables.surveys
    if surveys is None:
        return []
    return aggregate_facts(survey_facts(context, surveys), AGGREGATIONS)


def survey_facts(context: Context, surveys: list[Survey]) -> Iterator[Fact]:
    for survey in surveys:
        if survey.responded_at > context.as_of:
            continue
        day = context.day(survey.responded_at)
        segments = survey_segments(context, survey)
        normalized = (survey.score - survey.scale_min) / (survey.scale_max - survey.scale_min)
        if survey.survey_type == "csat":
            yield Fact("csat_pct", day, segments, 1.0 if normalized >= SATISFIED_FROM else 0.0)
            yield Fact("csat_avg_normalized", day, segments, normalized * 100)
        elif survey.survey_type == "nps":
            # NPS is always 0-10 (the reader ignores its scale columns), so the raw score classifies.
            promoter, detractor = survey.score >= PROMOTER_FROM, survey.score <= DETRACTOR_UP_TO
            yield Fact("nps", day, segments, 100.0 if promoter else -100.0 if detractor else 0.0)
        else:
            yield Fact("ces_avg", day, segments, 1 + 6 * normalized)


def survey_segments(context: Context, survey: Survey) -> tuple[Segment, ...]:
    """Linked to a ticket that exists at the as-of time: its 6 ticket dimensions. Segment and region
    through the survey's customer, which is the ticket's customer when the survey names none."""
    linked = survey.ticket_id is not None and survey.ticket_id in context.ticket_segments
    customer_id = survey.customer_id
    if customer_id is None and linked and survey.ticket_id is not None:
        customer_id = context.tickets[survey.ticket_id].customer_id
    from_ticket: tuple[Segment, ...] = ()
    if linked and survey.ticket_id is not None:
        from_ticket = tuple(s for s in context.ticket_segments[survey.ticket_id] if s[0] in FROM_TICKET)
    return (*context.customer_segments(customer_id), *from_ticket)
