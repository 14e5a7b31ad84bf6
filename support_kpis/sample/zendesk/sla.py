"""SLA policies whose targets change during the year, and the targets Zendesk applies to a ticket.

Two policies: "Standard" counts business hours, "Enterprise" (organizations on that plan)
calendar hours. Both are tightened once, part-way through the range, so tickets alive at
that moment get new targets mid-life. The policy history lands in
`sla_policy_metric_history`; what was applied to each ticket lands in `ticket_field_history`
as `sla_policy` plus one JSON row per metric, which is what the adapter reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import pyarrow as pa

from support_kpis.sample import clock
from support_kpis.sample.config import SampleConfig
from support_kpis.sample.zendesk import columns, ids

PRIORITIES = ("urgent", "high", "normal", "low")  # Zendesk's `index` order within a metric
METRICS = ("first_reply_time", "next_reply_time", "total_resolution_time")
# Minutes per metric and priority, before the change.
_TARGETS = {
    "first_reply_time": (60, 240, 480, 1440),
    "next_reply_time": (120, 480, 960, 2880),
    "total_resolution_time": (1440, 4320, 10080, 20160),
}
TIGHTENING = 0.75  # the change makes every reply target a quarter shorter


@dataclass(frozen=True)
class Policy:
    policy_id: int
    name: str
    business_hours: bool


POLICIES = (Policy(ids.SLA_POLICY, "Standard", True), Policy(ids.SLA_POLICY + 1, "Enterprise", False))


def change_instant(config: SampleConfig) -> int:
    """When the targets are tightened: midnight UTC on the day 55% into the range."""
    return clock.day_of(config.start_ts + (config.end_ts - config.start_ts) * 55 // 100) * clock.DAY


def target(metric: str, priority: str | None, tightened: bool) -> int:
    minutes = _TARGETS[metric][PRIORITIES.index(priority or "normal")]
    return int(minutes * TIGHTENING) if tightened and metric != "total_resolution_time" else minutes


@cache  # a few dozen distinct values, asked for millions of times
def target_json(metric: str, priority: str | None, tightened: bool, policy: Policy) -> str:
    return json.dumps({"minutes": target(metric, priority, tightened), "in_business_hours": policy.business_hours})


def metric_history_table(config: SampleConfig, synced: int) -> pa.Table:
    rows: dict[str, list[object]] = {name: [] for name in columns.schema("sla_policy_metric_history").names}
    change = change_instant(config)
    versions = ((config.start_ts - 200 * clock.DAY, change, False), (change, None, True))
    for policy in POLICIES:
        for starting, ending, tightened in versions:
            for metric in METRICS:
                for index, priority in enumerate(PRIORITIES):
                    rows["sla_policy_id"].append(policy.policy_id)
                    rows["index"].append(index)
                    rows["sla_policy_updated_at"].append(starting)
                    rows["metric"].append(metric)
                    rows["priority"].append(priority)
                    rows["target"].append(target(metric, priority, tightened))
                    rows["business_hours"].append(policy.business_hours)
                    rows["valid_starting_at"].append(starting)
                    rows["valid_ending_at"].append(ending)
                    rows["_fivetran_synced"].append(synced)
    return columns.build("sla_policy_metric_history", rows)
