"""Knowledge-base articles and help-center sessions, some of which end in a ticket."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from support_kpis.contract import CHANNELS
from support_kpis.sample import clock, columns, timing, vocab
from support_kpis.sample.arrivals import ActivityCurve
from support_kpis.sample.config import SampleConfig
from support_kpis.sample.customers import Customers, customer_ids
from support_kpis.sample.finalize import NO_TIME
from support_kpis.sample.ticket_plan import TicketPlan
from support_kpis.sample.ticket_tables import IdSpace, ticket_ids

RECENT_DRAFT_SHARE = 0.35  # of articles created in the last 90 days
OLD_DRAFT_SHARE = 0.05
ARCHIVE_SHARE = 0.25  # of published articles are retired, when that date falls in the range
SESSIONS_PER_TICKET = 1.1  # help-center sessions that do not open a ticket, per ticket
TICKET_FROM_SESSION_SHARE = 0.15  # of web/chat/messaging/email tickets
SESSION_RESOLVED_SHARE = 0.45
SESSION_VOTE_SHARE = 0.45
_SESSION_CHANNELS = [CHANNELS.index(c) for c in ("web", "chat", "messaging", "email")]


@dataclass(frozen=True)
class Articles:
    created_at: np.ndarray
    published_at: np.ndarray  # NO_TIME while a draft
    archived_at: np.ndarray  # NO_TIME while live
    category: np.ndarray
    title: tuple[str, ...]
    # Published articles by publication time, for "which article was live then".
    by_publication: np.ndarray

    @property
    def count(self) -> int:
        return len(self.created_at)

    def pick_live(self, ts: np.ndarray, u: np.ndarray) -> np.ndarray:
        """An article live at `ts` (published, not archived), or -1."""
        if len(self.by_publication) == 0:
            return np.full(len(ts), -1, dtype=np.int64)
        published = self.published_at[self.by_publication]
        existing = np.searchsorted(published, ts, side="right")
        slot = np.minimum((u * existing).astype(np.int64), np.maximum(existing - 1, 0))
        chosen = np.where(existing > 0, self.by_publication[slot], -1)
        archived = self.archived_at[np.maximum(chosen, 0)]
        return np.where((chosen >= 0) & ((archived == NO_TIME) | (archived > ts)), chosen, -1)


def make_articles(config: SampleConfig, rng: np.random.Generator) -> Articles:
    n = config.n_articles
    start, end = config.start_ts, config.end_ts
    existing = rng.random(n) < 0.5
    created = np.sort(
        np.where(existing, start - rng.integers(clock.DAY, 2 * 365 * clock.DAY, n), rng.integers(start, end, n))
    )
    published = created + timing.lognormal_seconds(n, 2 * clock.DAY, 1.0, rng)
    # Drafts: most recent work is still unpublished more often.
    recent = created > end - 90 * clock.DAY
    draft = (rng.random(n) < np.where(recent, RECENT_DRAFT_SHARE, OLD_DRAFT_SHARE)) | (published > end)
    published = np.where(draft, NO_TIME, published)
    archived = published + rng.integers(60 * clock.DAY, 400 * clock.DAY, n)
    archived = np.where(~draft & (rng.random(n) < ARCHIVE_SHARE) & (archived <= end), archived, NO_TIME)
    template = rng.integers(0, len(vocab.KB_TITLE_TEMPLATES), n)
    action = rng.integers(0, len(vocab.KB_ACTIONS), n)
    titles = tuple(
        vocab.KB_TITLE_TEMPLATES[t].format(action=vocab.KB_ACTIONS[a]) for t, a in zip(template, action, strict=True)
    )
    live = np.flatnonzero(~draft)
    return Articles(
        created_at=created,
        published_at=published,
        archived_at=archived,
        category=rng.integers(0, len(vocab.KB_CATEGORIES), n),
        title=tuple(t[0].upper() + t[1:] for t in titles),
        by_publication=live[np.argsort(published[live], kind="stable")],
    )


def article_ids(index: np.ndarray, n_articles: int) -> pa.Array:
    return columns.ids("KB", index, columns.id_width(n_articles, 5))


def articles_table(articles: Articles) -> pa.Table:
    n = articles.count
    return columns.build_table(
        "kb_articles",
        {
            "article_id": article_ids(np.arange(n), n),
            "title": columns.strings(articles.title),
            "category": columns.labels(vocab.KB_CATEGORIES, articles.category),
            "created_at": columns.timestamps(articles.created_at),
            "published_at": columns.timestamps(articles.published_at, articles.published_at == NO_TIME),
            "archived_at": columns.timestamps(articles.archived_at, articles.archived_at == NO_TIME),
        },
    )


@dataclass(frozen=True)
class SessionRows:
    customer: np.ndarray
    started_at: np.ndarray
    article: np.ndarray
    resolved: np.ndarray
    ticket: np.ndarray  # global ticket index, -1 = none
    helpful: np.ndarray  # 1 / 0 / -1 = no vote

    def __len__(self) -> int:
        return len(self.started_at)


def chunk_sessions(
    first_ticket: int,
    plan: TicketPlan,
    window: tuple[int, int],
    curve: ActivityCurve,
    customers: Customers,
    articles: Articles,
    start_ts: int,
    rng: np.random.Generator,
) -> SessionRows:
    """Sessions of one chunk's time window: those that opened one of its tickets, and the rest."""
    candidates = np.flatnonzero(np.isin(plan.channel, _SESSION_CHANNELS) & ~plan.agent_initiated)
    opened = candidates[rng.random(len(candidates)) < TICKET_FROM_SESSION_SHARE]
    opened_start = plan.created[opened] - rng.integers(60, 30 * clock.MINUTE, len(opened))
    opened, opened_start = opened[opened_start >= start_ts], opened_start[opened_start >= start_ts]
    n_open = len(opened)

    n_alone = round(SESSIONS_PER_TICKET * plan.count)
    alone_start = curve.sample(n_alone, rng, window[0], window[1])
    region = curve.regions_at(alone_start, rng)
    alone_customer = np.where(rng.random(n_alone) < 0.6, customers.pick(region, alone_start, rng.random(n_alone)), -1)
    resolved = rng.random(n_alone) < SESSION_RESOLVED_SHARE

    started = np.concatenate([opened_start, alone_start])
    n = len(started)
    article = np.where(
        rng.random(n) < np.concatenate([np.full(n_open, 0.7), np.full(n_alone, 0.85)]),
        articles.pick_live(started, rng.random(n)),
        -1,
    )
    solved = np.concatenate([np.zeros(n_open, dtype=bool), resolved])
    voted = (article >= 0) & (rng.random(n) < SESSION_VOTE_SHARE)
    helpful = np.where(voted, (rng.random(n) < np.where(solved, 0.85, 0.3)).astype(np.int64), -1)
    order = np.argsort(started, kind="stable")
    return SessionRows(
        customer=np.concatenate([plan.customer[opened], alone_customer])[order],
        started_at=started[order],
        article=article[order],
        resolved=solved[order],
        ticket=np.concatenate([first_ticket + opened, np.full(n_alone, -1)])[order],
        helpful=helpful[order],
    )


def session_id_width(config: SampleConfig) -> int:
    return columns.id_width(2 * config.tickets, 8)


def sessions_table(rows: SessionRows, first: int, width: int, space: IdSpace, n_articles: int) -> pa.Table:
    return columns.build_table(
        "self_service_sessions",
        {
            "session_id": columns.ids("SS", first + np.arange(len(rows)), width),
            "customer_id": customer_ids(rows.customer, space.customers),
            "started_at": columns.timestamps(rows.started_at),
            "article_id": article_ids(rows.article, n_articles),
            "resolved": columns.booleans(rows.resolved),
            "ticket_id": ticket_ids(rows.ticket, space),
            "helpful": columns.booleans(rows.helpful == 1, rows.helpful < 0),
        },
    )
