"""Customer accounts, their monthly recurring revenue, and which customer raises a ticket."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from support_kpis.sample import clock, columns, vocab
from support_kpis.sample.config import SampleConfig

SEGMENTS = tuple(vocab.SEGMENT_SHARES)
REGIONS = tuple(vocab.REGION_SHARES)
COUNTRIES = tuple(c for region in REGIONS for c in vocab.COUNTRIES[region])
PLANS = ("starter", "growth", "business", "enterprise")
_PLAN_MRR_MEDIAN = {"starter": 79.0, "growth": 450.0, "business": 2200.0, "enterprise": 14000.0}
# Bigger accounts raise more tickets; weights per segment.
_TICKET_WEIGHT = {"smb": 1, "mid_market": 3, "enterprise": 8}
_MONTHLY_CHURN = {"smb": 0.030, "mid_market": 0.015, "enterprise": 0.006}
WIN_BACK_RATE = 0.06
EXISTING_SHARE = 0.55  # customers acquired before the range starts


@dataclass(frozen=True)
class Customers:
    created_ts: np.ndarray  # sorted ascending: ids follow acquisition order
    segment: np.ndarray
    region: np.ndarray
    country: np.ndarray  # -1 = unknown
    plan: np.ndarray  # -1 = unknown
    # Per region, ticket "slots" (customer repeated by weight) sorted by created_ts.
    slot_customer: tuple[np.ndarray, ...]
    slot_created: tuple[np.ndarray, ...]

    @property
    def count(self) -> int:
        return len(self.created_ts)

    def pick(self, region: np.ndarray, ts: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A customer of the region who already existed at `ts`, bigger accounts more often; -1 if none."""
        chosen = np.full(len(ts), -1, dtype=np.int64)
        for r in range(len(REGIONS)):
            rows = np.flatnonzero(region == r)
            existing = np.searchsorted(self.slot_created[r], ts[rows], side="right")
            some = existing > 0
            slot = (u[rows[some]] * existing[some]).astype(np.int64)
            chosen[rows[some]] = self.slot_customer[r][slot]
        return chosen


def make_customers(config: SampleConfig, rng: np.random.Generator) -> Customers:
    n = config.n_customers
    start, end = config.start_ts, config.end_ts
    existing = rng.random(n) < EXISTING_SHARE
    # Acquisition grows through the range: density rising linearly to twice the starting rate.
    x = np.sqrt(1 + 3 * rng.random(n)) - 1  # inverse CDF of density (1 + x) on [0, 1]
    during = start + (x * (end - start)).astype(np.int64)
    before = start - rng.integers(1, 3 * 365 * clock.DAY, n)
    created = np.sort(np.where(existing, before, during))

    segment = rng.choice(len(SEGMENTS), n, p=list(vocab.SEGMENT_SHARES.values()))
    region = rng.choice(len(REGIONS), n, p=list(vocab.REGION_SHARES.values()))
    country = np.empty(n, dtype=np.int64)
    first = 0
    for r, name in enumerate(REGIONS):
        rows = region == r
        country[rows] = first + rng.integers(0, len(vocab.COUNTRIES[name]), rows.sum())
        first += len(vocab.COUNTRIES[name])
    country[rng.random(n) < 0.03] = -1
    plan = np.empty(n, dtype=np.int64)
    for s, name in enumerate(SEGMENTS):
        rows = segment == s
        options = [PLANS.index(p) for p in vocab.PLANS[name]]
        plan[rows] = rng.choice(options, rows.sum())

    slot_customer, slot_created = [], []
    weight = np.array([_TICKET_WEIGHT[s] for s in SEGMENTS])[segment]
    for r in range(len(REGIONS)):
        members = np.repeat(np.flatnonzero(region == r), weight[region == r])  # stays sorted by created
        slot_customer.append(members)
        slot_created.append(created[members])
    return Customers(created, segment, region, country, plan, tuple(slot_customer), tuple(slot_created))


def customer_ids(index: np.ndarray, n_customers: int) -> pa.Array:
    return columns.ids("C", index, columns.id_width(n_customers, 6))


def customers_table(customers: Customers) -> pa.Table:
    n = customers.count
    return columns.build_table(
        "customers",
        {
            "customer_id": customer_ids(np.arange(n), n),
            "created_at": columns.timestamps(customers.created_ts),
            "segment": columns.labels(SEGMENTS, customers.segment),
            "region": columns.labels(REGIONS, customers.region),
            "country": columns.labels(COUNTRIES, customers.country),
            "plan": columns.labels(PLANS, customers.plan),
        },
    )


@dataclass(frozen=True)
class Revenue:
    customer: np.ndarray
    month: np.ndarray  # index into config.month_starts
    mrr: np.ndarray


def make_revenue(config: SampleConfig, customers: Customers, rng: np.random.Generator) -> Revenue:
    """Month by month: join, expand or contract, churn, sometimes come back.

    Customers acquired before the range have revenue from its first month; the others
    from the month they were created, so `created_at` and the first revenue month agree.
    """
    starts = config.month_starts
    n = customers.count
    first_month = np.where(customers.created_ts < starts[0], 0, clock.month_index(customers.created_ts, starts))
    churn = np.array([_MONTHLY_CHURN[s] for s in SEGMENTS])[customers.segment]
    median = np.array([_PLAN_MRR_MEDIAN[p] for p in PLANS])[customers.plan]
    initial = np.round(median * rng.lognormal(0.0, 0.45, n), 2)

    active = np.zeros(n, dtype=bool)
    ever = np.zeros(n, dtype=bool)
    mrr = np.zeros(n)
    rows_customer, rows_month, rows_mrr = [], [], []
    for m in range(len(starts)):
        joins = first_month == m
        u = rng.random(n)
        leaving = active & (u < churn)
        staying = active & ~leaving
        change = rng.random(n)
        factor = np.where(change < 0.05, rng.uniform(1.1, 1.6, n), np.where(change < 0.08, rng.uniform(0.6, 0.9, n), 1))
        mrr = np.where(staying, np.round(mrr * factor, 2), mrr)
        returning = ~active & ever & ~joins & (rng.random(n) < WIN_BACK_RATE)
        mrr = np.where(returning, np.round(mrr * rng.uniform(0.8, 1.1, n), 2), mrr)
        mrr = np.where(joins, initial, mrr)
        active = staying | returning | joins
        ever |= joins
        rows = np.flatnonzero(active)
        rows_customer.append(rows)
        rows_month.append(np.full(len(rows), m))
        rows_mrr.append(np.maximum(mrr[rows], 1.0))
    customer = np.concatenate(rows_customer)
    month = np.concatenate(rows_month)
    order = np.lexsort((month, customer))
    return Revenue(customer[order], month[order], np.concatenate(rows_mrr)[order])


def revenue_table(config: SampleConfig, revenue: Revenue, n_customers: int) -> pa.Table:
    return columns.build_table(
        "customer_revenue",
        {
            "customer_id": customer_ids(revenue.customer, n_customers),
            "month": columns.dates(config.month_starts[revenue.month] // clock.DAY),
            "mrr": columns.numbers(revenue.mrr),
        },
    )
