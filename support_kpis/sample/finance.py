"""Money tables: what support costs each month, and what marketing spends to win customers."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from support_kpis.contract import COST_CATEGORIES
from support_kpis.sample import clock, columns
from support_kpis.sample.agents import Agents
from support_kpis.sample.config import SampleConfig
from support_kpis.sample.customers import Customers
from support_kpis.sample.workforce import Activity

EMPLOYER_COST_FACTOR = 1.25  # payroll taxes and benefits on top of the hourly cost
TOOLING_PER_AGENT = 95.0
TOOLING_BASE = 1200.0
OVERHEAD_SHARE = 0.12
OUTSOURCING_SHARE = 0.15
OUTSOURCING_FROM_MONTH = 3  # an outsourcing partner joins after the first quarter
MARKETING_BASE = 2000.0


def support_costs_table(config: SampleConfig, agents: Agents, activity: Activity, rng: np.random.Generator) -> pa.Table:
    starts = config.month_starts
    month = clock.month_index(activity.day * clock.DAY, starts)
    hours = activity.scheduled / clock.HOUR
    salaries = np.bincount(month, weights=hours * agents.hourly_cost[activity.agent], minlength=len(starts))
    salaries *= EMPLOYER_COST_FACTOR
    staffed = np.zeros(len(starts))
    for m in range(len(starts)):
        staffed[m] = len(np.unique(activity.agent[month == m]))
    amounts = {
        "salaries": salaries,
        "tooling": TOOLING_BASE + TOOLING_PER_AGENT * staffed,
        "outsourcing": np.where(
            np.arange(len(starts)) >= OUTSOURCING_FROM_MONTH,
            OUTSOURCING_SHARE * salaries * rng.uniform(0.8, 1.2, len(starts)),
            0.0,
        ),
        "overhead": OVERHEAD_SHARE * salaries,
        "other": rng.uniform(300, 1500, len(starts)),
    }
    assert tuple(amounts) == COST_CATEGORIES
    month_index = np.repeat(np.arange(len(starts)), len(COST_CATEGORIES))
    category = np.tile(np.arange(len(COST_CATEGORIES)), len(starts))
    amount = np.round(np.stack([amounts[c] for c in COST_CATEGORIES], axis=1).ravel(), 2)
    return columns.build_table(
        "support_costs",
        {
            "month": columns.dates(starts[month_index] // clock.DAY),
            "category": columns.labels(COST_CATEGORIES, category),
            "amount": columns.numbers(amount),
        },
    )


def marketing_spend_table(config: SampleConfig, customers: Customers, rng: np.random.Generator) -> pa.Table:
    """Spend tracks the customers it wins, at a noisy cost per acquisition."""
    starts = config.month_starts
    joined = customers.created_ts[customers.created_ts >= config.start_ts]
    new_customers = np.bincount(clock.month_index(joined, starts), minlength=len(starts))
    amount = MARKETING_BASE + new_customers * rng.uniform(350, 650, len(starts))
    return columns.build_table(
        "marketing_spend",
        {
            "month": columns.dates(starts // clock.DAY),
            "amount": columns.numbers(np.round(amount, 2)),
        },
    )
