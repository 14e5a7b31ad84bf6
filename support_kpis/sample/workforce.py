"""Agents' days (scheduled and logged-in time) and their engagement survey answers.

Logged-in time is drawn around the shift but never below the handle time the agent's
events record that day, so utilization stays plausible; work done on a day off (weekend
replies) shows up as an unscheduled day with some logged-in time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from support_kpis.sample import clock, columns
from support_kpis.sample.agents import Agents, agent_ids
from support_kpis.sample.config import SampleConfig
from support_kpis.sample.event_buffer import AGENT, EventArrays

DAY_OFF_SHARE = 0.05  # vacation and sick days among working days
ENGAGEMENT_RESPONSE_RATE = 0.7


class HandleLedger:
    """Handle seconds per agent and day, summed over all event chunks."""

    def __init__(self, config: SampleConfig, n_agents: int) -> None:
        self.first_day = clock.date_to_day(config.start)
        self.n_days = clock.date_to_day(config.end) - self.first_day + 1
        self.seconds = np.zeros(n_agents * self.n_days, dtype=np.int64)

    def add(self, events: EventArrays) -> None:
        worked = (events.actor_type == AGENT) & (events.handle > 0)
        day = clock.day_of(events.time[worked]) - self.first_day
        key = events.actor[worked] * self.n_days + day
        self.seconds += np.bincount(key, weights=events.handle[worked], minlength=len(self.seconds)).astype(np.int64)


@dataclass(frozen=True)
class Activity:
    agent: np.ndarray
    day: np.ndarray
    scheduled: np.ndarray
    logged_in: np.ndarray


def make_activity(config: SampleConfig, agents: Agents, ledger: HandleLedger, rng: np.random.Generator) -> Activity:
    n_days = ledger.n_days
    day = ledger.first_day + np.arange(n_days)
    agent = np.repeat(np.arange(agents.count), n_days)
    day = np.tile(day, agents.count)
    employed = (day >= agents.hired_day[agent]) & (
        (agents.terminated_day[agent] < 0) | (day < agents.terminated_day[agent])
    )
    weekday = (day + 3) % 7
    working = employed & (weekday < 5) & (rng.random(len(day)) >= DAY_OFF_SHARE)
    handle = ledger.seconds
    scheduled = np.where(working, agents.shift_seconds[agent], 0)
    logged_in = np.round(scheduled * rng.uniform(0.8, 1.0, len(day))).astype(np.int64)
    # Nobody handles tickets while logged out: logged-in time covers handle time with some slack.
    needed = np.ceil(handle * rng.uniform(1.15, 1.6, len(day))).astype(np.int64)
    logged_in = np.where(handle > 0, np.maximum(logged_in, needed), logged_in)
    rows = working | (handle > 0)
    return Activity(agent[rows], day[rows], scheduled[rows], logged_in[rows])


def activity_table(activity: Activity, n_agents: int) -> pa.Table:
    return columns.build_table(
        "agent_activity",
        {
            "agent_id": agent_ids(activity.agent, n_agents),
            "activity_date": columns.dates(activity.day),
            "scheduled_seconds": columns.integers(activity.scheduled),
            "logged_in_seconds": columns.integers(activity.logged_in),
        },
    )


def engagement_table(config: SampleConfig, agents: Agents, rng: np.random.Generator) -> pa.Table:
    """Monthly pulse survey: most employed agents answer once a month, each with their own baseline."""
    starts = config.month_starts
    month_ends = np.append(starts[1:], config.end_ts + 1)
    baseline = np.clip(rng.normal(7.2, 1.1, agents.count), 2, 10)
    hired = agents.hired_day * clock.DAY
    left = np.where(agents.terminated_day < 0, np.iinfo(np.int64).max, agents.terminated_day * clock.DAY)
    agent_parts, time_parts, score_parts = [], [], []
    for m in range(len(starts)):
        lo = np.maximum(np.maximum(starts[m], hired), config.start_ts)
        hi = np.minimum(np.minimum(month_ends[m], left), config.end_ts + 1)
        answering = np.flatnonzero((hi - lo > clock.DAY) & (rng.random(agents.count) < ENGAGEMENT_RESPONSE_RATE))
        span = hi[answering] - lo[answering]
        agent_parts.append(answering)
        time_parts.append(lo[answering] + (rng.random(len(answering)) * span).astype(np.int64))
        score_parts.append(np.clip(np.round(baseline[answering] + rng.normal(0, 1.2, len(answering))), 0, 10))
    agent = np.concatenate(agent_parts)
    at = np.concatenate(time_parts)
    order = np.lexsort((agent, at))
    return columns.build_table(
        "engagement_surveys",
        {
            "response_id": columns.ids("ES", np.arange(len(agent)), columns.id_width(len(agent), 6)),
            "agent_id": agent_ids(agent[order], agents.count),
            "responded_at": columns.timestamps(at[order]),
            "score": columns.numbers(np.concatenate(score_parts)[order]),
        },
    )
