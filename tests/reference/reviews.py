"""Customer experience from public reviews: positive_reviews, positive_review_share_pct and
avg_days_between_positive_reviews (attributed by published_at; dimensions segment, region)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from itertools import pairwise

from .dated_facts import Aggregation, Context, Fact, aggregate_facts
from .dimensions import Segment
from .optional_inputs import Review
from .rows import KpiRow

AGGREGATIONS: dict[str, Aggregation] = {
    "positive_reviews": "count",
    "positive_review_share_pct": "pct",
    "avg_days_between_positive_reviews": "mean",
}
POSITIVE_RATING = 5
SECONDS_PER_DAY = 86_400


def review_rows(context: Context) -> list[KpiRow]:
    if context.tables.reviews is None:
        return []
    reviews = [r for r in context.tables.reviews if r.published_at <= context.as_of]
    facts = [*review_facts(context, reviews), *gap_facts(context, reviews)]
    return aggregate_facts(facts, AGGREGATIONS)


def review_facts(context: Context, reviews: list[Review]) -> Iterator[Fact]:
    for review in reviews:
        day, segments = context.day(review.published_at), context.customer_segments(review.customer_id)
        positive = review.rating == POSITIVE_RATING
        if positive:
            yield Fact("positive_reviews", day, segments, 1.0)
        yield Fact("positive_review_share_pct", day, segments, 1.0 if positive else 0.0)


def gap_facts(context: Context, reviews: list[Review]) -> Iterator[Fact]:
    """Consecutive 5-star reviews are paired within each segment (for `all`: among all of them),
    over the whole history up to the as-of time; a gap belongs to the later review's period.
    Equal instants give a gap of 0, so the order among ties does not matter."""
    positives_by_segment: dict[Segment, list[datetime]] = defaultdict(list)
    for review in reviews:
        if review.rating == POSITIVE_RATING:
            for segment in context.customer_segments(review.customer_id):
                positives_by_segment[segment].append(review.published_at)
    for segment, instants in positives_by_segment.items():
        ordered = sorted(instants)
        for earlier, later in pairwise(ordered):
            gap_days = (later - earlier).total_seconds() / SECONDS_PER_DAY
            yield Fact("avg_days_between_positive_reviews", context.day(later), (segment,), gap_days)
