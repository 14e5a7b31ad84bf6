"""Customers and money, grain month only.

Revenue KPIs (churn, retention, MRR, MRR growth, ARPA, lifetime value) run over the money months:
from the first customer_revenue month to the month of the as-of time, a month without rows meaning
every customer inactive; dimensions segment and region through the customer. new_customers counts
customers created by the as-of time in their created_at month, every month up to the as-of month
whether it has revenue rows or not (dimensions segment, region; like every money KPI it needs the
customer_revenue table supplied). Cost and spend KPIs (no dimensions) exist only for months with cost
or spend rows up to the as-of month.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from .dated_facts import ALL, Aggregation, Context, Fact, aggregate_facts
from .dimensions import Segment
from .optional_inputs import CustomerRevenue
from .periods import period_start_of_date, periods_from_to
from .rows import KpiRow


def money_rows(context: Context) -> list[KpiRow]:
    as_of_month = period_start_of_date(context.as_of_day, "month")
    revenue = revenue_by_month(context, as_of_month)
    rows = revenue_rows(context, revenue)
    rows += new_customer_rows(context)
    rows += cost_rows(context, revenue, as_of_month)
    rows += acquisition_cost_rows(context, as_of_month)
    return rows


@dataclass
class SegmentMonth:
    """The customers of one segment in one month."""

    active: set[str] = field(default_factory=set)  # mrr > 0
    amounts: list[float] = field(default_factory=list)

    @property
    def mrr(self) -> float:
        return math.fsum(self.amounts)


def revenue_by_month(context: Context, as_of_month: date) -> dict[date, dict[Segment, SegmentMonth]] | None:
    """Per money month and segment; None when customer_revenue is absent or holds no month up to the as-of."""
    rows: list[CustomerRevenue] = [r for r in context.tables.customer_revenue or [] if r.month <= as_of_month]
    if not rows:
        return None
    months: dict[date, dict[Segment, SegmentMonth]] = {
        m: defaultdict(SegmentMonth) for m in periods_from_to(min(r.month for r in rows), as_of_month, "month")
    }
    for row in rows:
        for segment in context.customer_segments(row.customer_id):
            bucket = months[row.month][segment]
            bucket.amounts.append(row.mrr)
            if row.mrr > 0:
                bucket.active.add(row.customer_id)
    return months


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def revenue_rows(context: Context, revenue: dict[date, dict[Segment, SegmentMonth]] | None) -> list[KpiRow]:
    if revenue is None:
        return []
    rows: list[KpiRow] = []
    margin = context.gross_margin_pct / 100
    for month, segments in revenue.items():
        before = revenue.get(previous_month(month), {})
        for segment in segments.keys() | before.keys():
            now, then = segments.get(segment, SegmentMonth()), before.get(segment, SegmentMonth())
            active, previous = len(now.active), len(then.active)  # E and S
            kept = len(now.active & then.active)  # E - N
            churned = previous - kept
            if active:
                rows.append(month_row("mrr", month, segment, now.mrr, None, None, active))
                rows.append(month_row("arpa", month, segment, now.mrr / active, now.mrr, active, active))
            if not previous:
                continue  # churn, retention, growth and lifetime value rest on last month's active customers
            churn, retention = churned / previous * 100, kept / previous * 100
            rows.append(month_row("customer_churn_rate_pct", month, segment, churn, churned, previous, previous))
            rows.append(month_row("customer_retention_rate_pct", month, segment, retention, kept, previous, previous))
            growth = now.mrr - then.mrr
            rows.append(
                month_row("mrr_growth_rate_pct", month, segment, growth / then.mrr * 100, growth, then.mrr, previous)
            )
            # Null without churn (an unbounded lifetime) or without active customers (no ARPA).
            lifetime = now.mrr / active * margin / (churned / previous) if churned and active else None
            rows.append(month_row("customer_lifetime_value", month, segment, lifetime, None, None, previous))
    return rows


def month_row(
    kpi_id: str,
    month: date,
    segment: Segment,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
    sample_size: int,
) -> KpiRow:
    def as_float(part: float | None) -> float | None:
        return None if part is None else float(part)

    dimension, dimension_value = segment
    parts = (as_float(value), as_float(numerator), as_float(denominator))
    return KpiRow(kpi_id, "month", month, dimension, dimension_value, *parts, sample_size)


def new_customer_facts(context: Context) -> list[Fact]:
    """Customers created by the as-of time, in any month (none when the customer_revenue table is absent)."""
    if context.tables.customer_revenue is None:
        return []
    created = context.tables.customer_created_at or {}
    return [
        Fact("new_customers", context.day(at), context.customer_segments(customer_id), 1.0)
        for customer_id, at in created.items()
        if at is not None and at <= context.as_of
    ]


AGGREGATIONS: dict[str, Aggregation] = {"new_customers": "count"}


def new_customer_rows(context: Context) -> list[KpiRow]:
    return aggregate_facts(new_customer_facts(context), AGGREGATIONS, grains=("month",))


def cost_rows(
    context: Context, revenue: dict[date, dict[Segment, SegmentMonth]] | None, as_of_month: date
) -> list[KpiRow]:
    costs = context.tables.support_costs
    if costs is None:
        return []
    amounts: dict[date, list[float]] = defaultdict(list)
    for cost in costs:
        if cost.month <= as_of_month:
            amounts[cost.month].append(cost.amount)
    solved: Counter[date] = Counter(
        period_start_of_date(context.day(f.first_resolved_at), "month")
        for f in context.facts
        if f.first_resolved_at is not None
    )
    rows: list[KpiRow] = []
    for month, parts in amounts.items():
        total = math.fsum(parts)
        rows.append(KpiRow("support_cost", "month", month, "all", "all", total, None, None, len(parts)))
        if solved[month]:
            n = solved[month]
            rows.append(KpiRow("cost_per_ticket", "month", month, "all", "all", total / n, total, float(n), n))
        everyone = (revenue or {}).get(month, {}).get(ALL)
        if everyone is not None and everyone.mrr > 0:
            mrr, active = everyone.mrr, len(everyone.active)
            rows.append(
                KpiRow(
                    "support_cost_to_revenue_pct", "month", month, "all", "all", total / mrr * 100, total, mrr, active
                )
            )
    return rows


def acquisition_cost_rows(context: Context, as_of_month: date) -> list[KpiRow]:
    spend = context.tables.marketing_spend
    if spend is None:
        return []
    new = Counter(period_start_of_date(fact.day, "month") for fact in new_customer_facts(context))
    rows: list[KpiRow] = []
    for month_spend in spend:
        month, n = month_spend.month, new[month_spend.month]
        if month <= as_of_month and n:
            amount = month_spend.amount
            rows.append(
                KpiRow("customer_acquisition_cost", "month", month, "all", "all", amount / n, amount, float(n), n)
            )
    return rows
