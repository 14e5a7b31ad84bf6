"""Per-ticket SLA targets (contract v2, ticket_sla_targets) for a share of the tickets, and the SLA policies file.

A helpdesk that sets SLAs per ticket (Zendesk's SLA policies) records each target applied to a ticket with the
instant it was applied. A sampled ticket gets a first-response and a next-reply target at creation, often a
resolution target, and sometimes a changed target later (a priority raised mid-life), so the targets that decide a
measurement are sometimes applied before it ends and sometimes after. Draws come from their own stream per chunk,
so the other tables are the same bytes with or without these rows.

With ticket targets present the shipped SLA policies seed no longer applies (int_sla_policies_selected), so the
sample also writes sla_policies: the seed's rows, next_response_minutes included.
"""

from __future__ import annotations

import csv

import numpy as np
import pyarrow as pa

from support_kpis.contract import SLA_METRICS
from support_kpis.sample import columns
from support_kpis.sample.ticket_plan import TicketPlan
from support_kpis.sample.ticket_tables import IdSpace, ticket_ids
from support_kpis.settings import PROJECT_ROOT

SHARE = 0.1  # tickets with targets of their own
FIRST_RESPONSE_MINUTES = np.array([30.0, 60.0, 120.0, 240.0])
NEXT_RESPONSE_MINUTES = np.array([60.0, 120.0, 240.0, 480.0])
RESOLUTION_MINUTES = np.array([480.0, 1440.0, 2880.0])
CHANGED_FIRST_RESPONSE_MINUTES = np.array([15.0, 30.0, 60.0])
RESOLUTION_SHARE = 0.6
CHANGE_SHARE = 0.3
BUSINESS_SHARE = 0.7
SHIPPED_POLICIES = PROJECT_ROOT / "seeds" / "sla_policies.csv"

_FIRST, _NEXT, _RESOLUTION = (SLA_METRICS.index(m) for m in ("first_response", "next_response", "resolution"))


def sla_targets_table(first: int, plan: TicketPlan, end_ts: int, space: IdSpace, rng: np.random.Generator) -> pa.Table:
    """The targets of the chunk's sampled tickets applied up to end_ts, in ticket order."""
    n = plan.count
    chosen = np.flatnonzero(rng.random(n) < SHARE)
    k = chosen.size
    created = plan.created[chosen].astype(np.int64)
    business = rng.random(k) < BUSINESS_SHARE
    has_resolution = rng.random(k) < RESOLUTION_SHARE
    first_changed = rng.random(k) < CHANGE_SHARE
    next_changed = rng.random(k) < CHANGE_SHARE
    first_change_at = created + rng.integers(5 * 60, 6 * 3600, k)
    next_change_at = created + rng.integers(3600, 3 * 86400, k)
    parts = [
        (np.ones(k, bool), _FIRST, rng.choice(FIRST_RESPONSE_MINUTES, k), created),
        (np.ones(k, bool), _NEXT, rng.choice(NEXT_RESPONSE_MINUTES, k), created),
        (has_resolution, _RESOLUTION, rng.choice(RESOLUTION_MINUTES, k), created),
        (first_changed, _FIRST, rng.choice(CHANGED_FIRST_RESPONSE_MINUTES, k), first_change_at),
        (next_changed, _NEXT, rng.choice(NEXT_RESPONSE_MINUTES, k), next_change_at),
    ]
    ticket = np.concatenate([chosen[keep] for keep, *_ in parts])
    metric = np.concatenate([np.full(int(keep.sum()), code) for keep, code, *_ in parts])
    minutes = np.concatenate([values[keep] for keep, _, values, _ in parts])
    applied = np.concatenate([at[keep] for keep, *_, at in parts])
    flags = np.concatenate([business[keep] for keep, *_ in parts])
    inside = applied <= end_ts
    order = np.lexsort((applied[inside], metric[inside], ticket[inside]))
    pick = np.flatnonzero(inside)[order]
    return columns.build_table(
        "ticket_sla_targets",
        {
            "ticket_id": ticket_ids(first + ticket[pick], space),
            "metric": columns.labels(SLA_METRICS, metric[pick]),
            "target_minutes": columns.numbers(minutes[pick]),
            "business_hours": columns.booleans(flags[pick]),
            "applied_at": columns.timestamps(applied[pick]),
        },
    )


def sla_policies_table() -> pa.Table:
    """The shipped policies (seeds/sla_policies.csv) as the user's sla_policies table."""
    with SHIPPED_POLICIES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    def numbers(name: str) -> pa.Array:
        return columns.numbers(np.array([float(r[name]) if r[name] else np.nan for r in rows]),
                               np.array([not r[name] for r in rows]))  # fmt: skip

    return columns.build_table(
        "sla_policies",
        {
            "priority": columns.strings([r["priority"] for r in rows]),
            "channel": columns.strings([r["channel"] for r in rows]),
            "first_response_minutes": numbers("first_response_minutes"),
            "resolution_minutes": numbers("resolution_minutes"),
            "business_hours": columns.booleans(np.array([r["business_hours"] == "true" for r in rows])),
            "next_response_minutes": numbers("next_response_minutes"),
        },
    )
