"""Who raises each ticket, about what, on which channel, and how its conversation will go.

The plan fixes the shape of every ticket's history (number of agent replies, bot,
escalation, reopens...); `conversation` then lays that shape out on the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from support_kpis.contract import CHANNELS, PRIORITIES
from support_kpis.sample import vocab
from support_kpis.sample.agents import TIER3_TEAM
from support_kpis.sample.customers import SEGMENTS, Customers

CATEGORIES = tuple(c for c in vocab.CATEGORY_SHARES if c is not None)
PRODUCTS = tuple(p for p in vocab.PRODUCT_SHARES if p is not None)
SCHEDULES = vocab.SCHEDULES
SUBJECTS = tuple(s for key in (*CATEGORIES, None) for s in vocab.SUBJECTS[key])
_SUBJECT_FIRST = np.cumsum([0, *[len(vocab.SUBJECTS[key]) for key in (*CATEGORIES, None)]])
TEAM_CODE = {name: i for i, name in enumerate(vocab.TEAMS)}
# A customer's regional schedule shares its region's code.
assert SCHEDULES[:3] == tuple(vocab.REGION_SHARES)

NO_CUSTOMER_SHARE = 0.08
MAX_REPLIES = 12
# Chance that an agent starts the conversation (outbound), per channel.
_OUTBOUND = {"email": 0.06, "phone": 0.08, "messaging": 0.03}
_BOT_CHANNELS = ("chat", "messaging")
BOT_SHARE = 0.70  # of customer-initiated chat/messaging tickets
BOT_CONTAINED_SHARE = 0.18  # of those, solved by the bot alone
NEVER_ANSWERED_SHARE = 0.035
SPAM_SOLVED_SHARE = 0.5  # of never-answered tickets: closed without a reply
STALLED_SHARE = 0.015  # left pending for good
CLOSED_SHARE = 0.45
# Chance a conversation needs another agent reply, per channel (geometric number of replies).
_MORE_REPLIES = {
    "email": 0.50,
    "chat": 0.40,
    "phone": 0.30,
    "web": 0.50,
    "social": 0.45,
    "messaging": 0.45,
    "other": 0.50,
}
_ESCALATION = {"billing": 0.05, "bug": 0.16, "how-to": 0.02, "account": 0.06, "feature_request": 0.08, None: 0.03}
_ESCALATION_PRIORITY = {"low": 0.6, "normal": 1.0, "high": 1.4, "urgent": 2.0, None: 1.0}
_REOPEN = {"billing": 0.06, "bug": 0.12, "how-to": 0.04, "account": 0.06, "feature_request": 0.05, None: 0.05}
TRANSFER_SHARE = 0.05


def _codes(shares: Mapping[Any, float], names: tuple[str, ...], n: int, rng: np.random.Generator) -> np.ndarray:
    keys = list(shares)
    drawn = rng.choice(len(keys), n, p=np.array(list(shares.values())) / sum(shares.values()))
    lookup = np.array([names.index(k) if k is not None else -1 for k in keys])
    return lookup[drawn]


def _by_code(table: Mapping[Any, float], names: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
    values = np.array([table[name] for name in names] + [table[None]])
    return values[np.where(codes < 0, len(names), codes)]


@dataclass(frozen=True)
class TicketPlan:
    created: np.ndarray
    customer: np.ndarray  # -1 = no customer
    channel: np.ndarray  # index into CHANNELS
    priority: np.ndarray  # index into PRIORITIES, -1 = null
    category: np.ndarray  # index into CATEGORIES, -1 = null
    product: np.ndarray
    schedule: np.ndarray  # index into SCHEDULES, -1 = null (default schedule)
    subject: np.ndarray  # index into SUBJECTS
    team: np.ndarray  # team the ticket is routed to first
    agent_initiated: np.ndarray
    replies: np.ndarray  # public agent replies before the first solve (outbound message included)
    has_bot: np.ndarray
    bot_contained: np.ndarray
    spam_solved: np.ndarray
    stalled: np.ndarray
    escalate_at: np.ndarray  # agent reply (1-based) an escalation precedes; 0 = none
    escalate_tier: np.ndarray
    escalate_team: np.ndarray
    transfer_at: np.ndarray  # same for a transfer to another team without escalation
    transfer_team: np.ndarray
    reopens: np.ndarray
    closes: np.ndarray

    @property
    def count(self) -> int:
        return len(self.created)

    @property
    def turns(self) -> np.ndarray:
        """Alternating customer/agent messages of the main conversation."""
        return np.where(self.agent_initiated, 2 * self.replies - 1, np.maximum(1, 2 * self.replies))


def plan_tickets(created: np.ndarray, region: np.ndarray, customers: Customers, rng: np.random.Generator) -> TicketPlan:
    n = len(created)
    customer = customers.pick(region, created, rng.random(n))
    customer[rng.random(n) < NO_CUSTOMER_SHARE] = -1
    channel = _codes(vocab.CHANNEL_SHARES, CHANNELS, n, rng)
    priority = _codes(vocab.PRIORITY_SHARES, PRIORITIES, n, rng)
    category = _codes(vocab.CATEGORY_SHARES, CATEGORIES, n, rng)
    product = _codes(vocab.PRODUCT_SHARES, PRODUCTS, n, rng)
    channel_name = np.array(CHANNELS)[channel]

    subject_group = np.where(category < 0, len(CATEGORIES), category)
    group_size = np.diff(_SUBJECT_FIRST)[subject_group]
    subject = _SUBJECT_FIRST[subject_group] + (rng.random(n) * group_size).astype(np.int64)

    schedule = _schedules(customer, region, customers, rng)
    team_names = tuple(vocab.TEAMS)
    team = np.array([TEAM_CODE[vocab.CATEGORY_TEAM[c]] for c in (*CATEGORIES, None)])[subject_group]

    outbound_rate = np.array([_OUTBOUND.get(c, 0.01) for c in CHANNELS])[channel]
    agent_initiated = rng.random(n) < outbound_rate
    has_bot = np.isin(channel_name, _BOT_CHANNELS) & ~agent_initiated & (rng.random(n) < BOT_SHARE)
    bot_contained = has_bot & (rng.random(n) < BOT_CONTAINED_SHARE)
    never_answered = ~agent_initiated & ~bot_contained & (rng.random(n) < NEVER_ANSWERED_SHARE)
    more = np.array([_MORE_REPLIES[c] for c in CHANNELS])[channel]
    more = np.where(category == CATEGORIES.index("bug"), np.minimum(0.7, more * 1.2), more)
    replies = np.minimum(rng.geometric(1 - more), MAX_REPLIES)
    replies = np.where(bot_contained | never_answered, 0, replies)

    escalation_rate = _by_code(_ESCALATION, CATEGORIES, category) * _by_code(_ESCALATION_PRIORITY, PRIORITIES, priority)
    escalates = (replies > 0) & (rng.random(n) < escalation_rate)
    replies = np.where(escalates, np.maximum(replies, 2), replies)
    escalate_at = np.where(escalates, 2 + (rng.random(n) * (replies - 1)).astype(np.int64), 0)
    deep = rng.random(n) < np.where(category == CATEGORIES.index("bug"), 0.3, 0.1)
    escalate_tier = np.where(deep, 3, 2)
    escalate_team = np.where(deep, team_names.index(TIER3_TEAM), team)

    transfers = ~escalates & (replies >= 2) & (rng.random(n) < TRANSFER_SHARE)
    transfer_at = np.where(transfers, 2 + (rng.random(n) * (replies - 1)).astype(np.int64), 0)
    transfer_team = (team + rng.integers(1, len(team_names), n)) % len(team_names)

    stalled = (replies > 0) & (rng.random(n) < STALLED_SHARE)
    reopen_rate = _by_code(_REOPEN, CATEGORIES, category)
    reopens = np.where((replies > 0) & ~stalled & (rng.random(n) < reopen_rate), 1, 0)
    reopens = np.where((reopens == 1) & (rng.random(n) < 0.12), 2, reopens)
    return TicketPlan(
        created=created,
        customer=customer,
        channel=channel,
        priority=priority,
        category=category,
        product=product,
        schedule=schedule,
        subject=subject,
        team=team,
        agent_initiated=agent_initiated,
        replies=replies,
        has_bot=has_bot,
        bot_contained=bot_contained,
        spam_solved=never_answered & (rng.random(n) < SPAM_SOLVED_SHARE),
        stalled=stalled,
        escalate_at=escalate_at,
        escalate_tier=escalate_tier,
        escalate_team=escalate_team,
        transfer_at=transfer_at,
        transfer_team=transfer_team,
        reopens=reopens,
        closes=rng.random(n) < CLOSED_SHARE,
    )


def _schedules(customer: np.ndarray, region: np.ndarray, customers: Customers, rng: np.random.Generator) -> np.ndarray:
    """Mostly the default schedule; some regional ones; round the clock for some big accounts."""
    n = len(customer)
    known = customer >= 0
    enterprise = known & (customers.segment[np.maximum(customer, 0)] == SEGMENTS.index("enterprise"))
    customer_region = np.where(known, customers.region[np.maximum(customer, 0)], region)
    u = rng.random(n)
    always_on_rate = np.where(enterprise, 0.25, 0.04)
    schedule = np.full(n, -1, dtype=np.int64)
    regional = known & (u < 0.25)
    schedule[regional] = customer_region[regional]
    schedule[u > 1 - always_on_rate] = SCHEDULES.index("always_on")
    return schedule
