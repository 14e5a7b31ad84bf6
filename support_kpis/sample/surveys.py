"""Customer surveys: CSAT and CES after solved tickets, NPS after some tickets and each quarter.

Scores follow the ticket's experience (reopens, slow first reply, escalation, many
back-and-forths), so survey KPIs move with the service KPIs as they would in real data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from support_kpis.contract import CHANNELS, SURVEY_TYPES
from support_kpis.sample import clock, columns, timing, vocab
from support_kpis.sample.config import SampleConfig
from support_kpis.sample.customers import Customers, Revenue, customer_ids
from support_kpis.sample.finalize import NO_TIME, TicketOutcome
from support_kpis.sample.ticket_plan import TicketPlan
from support_kpis.sample.ticket_tables import IdSpace, ticket_ids

CSAT, NPS, CES = (SURVEY_TYPES.index(s) for s in ("csat", "nps", "ces"))
CSAT_RESPONSE_RATE = 0.20
CSAT_TEN_POINT_SHARE = 0.10  # responses collected on a 1-10 scale
EXPLICIT_SCALE_SHARE = 0.45  # responses that state their (default) scale instead of leaving it empty
CES_RESPONSE_RATE = 0.08
TICKET_NPS_RATE = 0.03
QUARTERLY_NPS_RATE = 0.20
COMMENT_SHARE = 0.3
COMMENTS = (*vocab.CSAT_COMMENTS_GOOD, *vocab.CSAT_COMMENTS_BAD, *vocab.NPS_COMMENTS)
_GOOD, _BAD = 0, len(vocab.CSAT_COMMENTS_GOOD)
_NPS_COMMENT = _BAD + len(vocab.CSAT_COMMENTS_BAD)
# P(score) for 0..10: 45% promoters, 30% passives, 25% detractors.
_NPS_P = np.array([0.01, 0.01, 0.015, 0.02, 0.035, 0.06, 0.10, 0.13, 0.17, 0.20, 0.25])
_NPS_UNHAPPY_P = np.array([0.06, 0.05, 0.07, 0.09, 0.10, 0.13, 0.15, 0.12, 0.10, 0.07, 0.06])


@dataclass(frozen=True)
class SurveyRows:
    survey_type: np.ndarray
    ticket: np.ndarray  # global ticket index, -1 = none
    customer: np.ndarray
    responded_at: np.ndarray
    score: np.ndarray
    scale_min: np.ndarray  # -1 = null (the type's default)
    scale_max: np.ndarray
    comment: np.ndarray  # index into COMMENTS, -1 = none

    def __len__(self) -> int:
        return len(self.survey_type)

    @staticmethod
    def concat(parts: list[SurveyRows]) -> SurveyRows:
        merged = SurveyRows(*(np.concatenate([getattr(p, f) for p in parts]) for f in SurveyRows.__dataclass_fields__))
        order = np.argsort(merged.responded_at, kind="stable")
        return SurveyRows(*(getattr(merged, f)[order] for f in SurveyRows.__dataclass_fields__))


def _explicit_scale(n: int, low: int, high: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    explicit = rng.random(n) < EXPLICIT_SCALE_SHARE
    return np.where(explicit, low, -1), np.where(explicit, high, -1)


def _comments(good: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(good)
    pick_good = _GOOD + rng.integers(0, len(vocab.CSAT_COMMENTS_GOOD), n)
    pick_bad = _BAD + rng.integers(0, len(vocab.CSAT_COMMENTS_BAD), n)
    return np.where(rng.random(n) < COMMENT_SHARE, np.where(good, pick_good, pick_bad), -1)


def _after(
    solved_at: np.ndarray, median: float, end_ts: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    at = solved_at + np.minimum(timing.lognormal_seconds(len(solved_at), median, 1.2, rng), 7 * clock.DAY)
    return at, at <= end_ts


def ticket_surveys(
    first_ticket: int, plan: TicketPlan, outcome: TicketOutcome, end_ts: int, rng: np.random.Generator
) -> SurveyRows:
    solved = np.flatnonzero(outcome.last_solved_at != NO_TIME)
    slow_first = (outcome.first_reply_at[solved] != NO_TIME) & (
        outcome.first_reply_at[solved] - plan.created[solved] > clock.DAY
    )
    live_channel = np.isin(plan.channel[solved], [CHANNELS.index("chat"), CHANNELS.index("phone")])
    replies = outcome.public_replies[solved]
    p_happy = (
        0.86
        - 0.30 * outcome.reopened[solved]
        - 0.08 * (replies > 3)
        - 0.12 * slow_first
        - 0.10 * outcome.escalated[solved]
        + 0.04 * live_channel
    )
    happy = rng.random(len(solved)) < p_happy
    parts = [
        _csat(first_ticket, plan, outcome, solved, happy, end_ts, rng),
        _ces(first_ticket, plan, outcome, solved, end_ts, rng),
        _ticket_nps(first_ticket, plan, outcome, solved, happy, end_ts, rng),
    ]
    return SurveyRows.concat(parts)


def _csat(
    first: int,
    plan: TicketPlan,
    outcome: TicketOutcome,
    solved: np.ndarray,
    happy: np.ndarray,
    end_ts: int,
    rng: np.random.Generator,
) -> SurveyRows:
    answer = rng.random(len(solved)) < CSAT_RESPONSE_RATE
    rows, happy = solved[answer], happy[answer]
    at, in_range = _after(outcome.last_solved_at[rows], 3 * clock.HOUR, end_ts, rng)
    rows, happy, at = rows[in_range], happy[in_range], at[in_range]
    n = len(rows)
    ten = rng.random(n) < CSAT_TEN_POINT_SHARE
    five_point = np.where(happy, np.where(rng.random(n) < 0.62, 5, 4), rng.choice([1, 2, 3], n, p=[0.35, 0.3, 0.35]))
    ten_point = np.where(
        happy, rng.choice([8, 9, 10], n, p=[0.25, 0.35, 0.4]), rng.choice(np.arange(1, 8), n, p=np.arange(1, 8) / 28)
    )
    scale_min, scale_max = _explicit_scale(n, 1, 5, rng)
    return SurveyRows(
        survey_type=np.full(n, CSAT),
        ticket=first + rows,
        customer=plan.customer[rows],
        responded_at=at,
        score=np.where(ten, ten_point, five_point).astype(np.float64),
        scale_min=np.where(ten, 1, scale_min),
        scale_max=np.where(ten, 10, scale_max),
        comment=_comments(happy, rng),
    )


def _ces(
    first: int, plan: TicketPlan, outcome: TicketOutcome, solved: np.ndarray, end_ts: int, rng: np.random.Generator
) -> SurveyRows:
    rows = solved[rng.random(len(solved)) < CES_RESPONSE_RATE]
    at, in_range = _after(outcome.last_solved_at[rows], 5 * clock.HOUR, end_ts, rng)
    rows, at = rows[in_range], at[in_range]
    n = len(rows)
    effort = (
        2.0
        + 0.6 * np.maximum(outcome.public_replies[rows] - 1, 0)
        + 1.8 * outcome.reopened[rows]
        + 0.8 * outcome.escalated[rows]
        + rng.normal(0.0, 1.0, n)
    )
    scale_min, scale_max = _explicit_scale(n, 1, 7, rng)
    return SurveyRows(
        survey_type=np.full(n, CES),
        ticket=first + rows,
        customer=plan.customer[rows],
        responded_at=at,
        score=np.clip(np.round(effort), 1, 7),
        scale_min=scale_min,
        scale_max=scale_max,
        comment=np.full(n, -1),
    )


def _nps_scores(happy: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(happy)
    return np.where(happy, rng.choice(11, n, p=_NPS_P), rng.choice(11, n, p=_NPS_UNHAPPY_P)).astype(np.float64)


def _nps_comments(n: int, rng: np.random.Generator) -> np.ndarray:
    picked = _NPS_COMMENT + rng.integers(0, len(vocab.NPS_COMMENTS), n)
    return np.where(rng.random(n) < COMMENT_SHARE, picked, -1)


def _ticket_nps(
    first: int,
    plan: TicketPlan,
    outcome: TicketOutcome,
    solved: np.ndarray,
    happy: np.ndarray,
    end_ts: int,
    rng: np.random.Generator,
) -> SurveyRows:
    answer = (plan.customer[solved] >= 0) & (rng.random(len(solved)) < TICKET_NPS_RATE)
    rows, happy = solved[answer], happy[answer]
    at, in_range = _after(outcome.last_solved_at[rows], clock.DAY, end_ts, rng)
    rows, happy, at = rows[in_range], happy[in_range], at[in_range]
    n = len(rows)
    scale_min, scale_max = _explicit_scale(n, 0, 10, rng)
    return SurveyRows(
        survey_type=np.full(n, NPS),
        ticket=first + rows,
        customer=plan.customer[rows],
        responded_at=at,
        score=_nps_scores(happy, rng),
        scale_min=scale_min,
        scale_max=scale_max,
        comment=_nps_comments(n, rng),
    )


def quarterly_nps(config: SampleConfig, customers: Customers, revenue: Revenue, rng: np.random.Generator) -> SurveyRows:
    """A relationship survey each quarter, answered by some of the customers active then."""
    starts = config.month_starts
    calendar_month = starts.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64) % 12
    mood = rng.normal(0.0, 0.8, customers.count)  # some accounts are just happier
    parts: list[SurveyRows] = []
    for m in np.flatnonzero(calendar_month % 3 == 0):
        active = revenue.customer[(revenue.month == m) & (rng.random(len(revenue.customer)) < QUARTERLY_NPS_RATE)]
        opens = np.maximum(starts[m], customers.created_ts[active])
        at = opens + rng.integers(0, 60 * clock.DAY, len(active))
        active, at = active[at <= config.end_ts], at[at <= config.end_ts]
        n = len(active)
        score = np.clip(np.round(rng.choice(11, n, p=_NPS_P) + mood[active]), 0, 10)
        scale_min, scale_max = _explicit_scale(n, 0, 10, rng)
        parts.append(
            SurveyRows(
                survey_type=np.full(n, NPS),
                ticket=np.full(n, -1),
                customer=active,
                responded_at=at,
                score=score,
                scale_min=scale_min,
                scale_max=scale_max,
                comment=_nps_comments(n, rng),
            )
        )
    empty = SurveyRows(*(np.empty(0, dtype=np.int64) for _ in SurveyRows.__dataclass_fields__))
    return SurveyRows.concat([empty, *parts])


def survey_id_width(config: SampleConfig) -> int:
    return columns.id_width(2 * config.tickets + config.n_customers * 5, 8)


def surveys_table(rows: SurveyRows, first_response: int, width: int, space: IdSpace) -> pa.Table:
    return columns.build_table(
        "surveys",
        {
            "response_id": columns.ids("S", first_response + np.arange(len(rows)), width),
            "survey_type": columns.labels(SURVEY_TYPES, rows.survey_type),
            "ticket_id": ticket_ids(rows.ticket, space),
            "customer_id": customer_ids(rows.customer, space.customers),
            "responded_at": columns.timestamps(rows.responded_at),
            "score": columns.numbers(rows.score),
            "scale_min": columns.integers(rows.scale_min, rows.scale_min < 0),
            "scale_max": columns.integers(rows.scale_max, rows.scale_max < 0),
            "comment": columns.labels(COMMENTS, rows.comment),
        },
    )
