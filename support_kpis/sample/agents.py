"""Support agents: teams, tiers, employment dates, cost, and who can take a ticket when."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from support_kpis.sample import clock, columns, vocab
from support_kpis.sample.config import SampleConfig

TEAM_SHARES = {"billing": 0.25, "technical": 0.35, "general": 0.40}
# Every (team, tier) a ticket can be routed or escalated to has one agent employed throughout.
CORE_AGENTS = (
    ("billing", 1),
    ("billing", 2),
    ("technical", 1),
    ("technical", 2),
    ("technical", 3),
    ("general", 1),
    ("general", 2),
)
TIER3_TEAM = "technical"
_HOURLY_COST = {1: (26.0, 34.0), 2: (36.0, 46.0), 3: (50.0, 62.0)}
PART_TIME_SHARE = 0.15


@dataclass(frozen=True)
class Agents:
    team: np.ndarray  # index into vocab.TEAMS
    tier: np.ndarray
    hired_day: np.ndarray
    terminated_day: np.ndarray  # -1 while employed
    hourly_cost: np.ndarray
    shift_seconds: np.ndarray
    first_name: np.ndarray
    last_name: np.ndarray
    # Agents free to take tickets, per (team, tier, month): members[offsets[k] : offsets[k] + counts[k]].
    pool_members: np.ndarray
    pool_offsets: np.ndarray
    pool_counts: np.ndarray
    n_months: int

    @property
    def count(self) -> int:
        return len(self.team)

    def pick(self, team: np.ndarray, tier: np.ndarray, month: np.ndarray, u: np.ndarray) -> np.ndarray:
        """One agent per request, uniformly among those of the team and tier employed around that month."""
        key = (np.asarray(team) * 3 + np.asarray(tier) - 1) * self.n_months + np.asarray(month)
        counts = self.pool_counts[key]
        if (counts == 0).any():
            raise AssertionError("agent pool empty for a (team, tier, month) the generator routes to")
        return self.pool_members[self.pool_offsets[key] + (u * counts).astype(np.int64)]


def _email_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


def make_agents(config: SampleConfig, rng: np.random.Generator) -> Agents:
    n = config.n_agents
    team_names = list(vocab.TEAMS)
    n_free = n - len(CORE_AGENTS)
    team = np.concatenate(
        [
            [team_names.index(t) for t, _ in CORE_AGENTS],
            rng.choice(len(team_names), n_free, p=[TEAM_SHARES[t] for t in team_names]),
        ]
    ).astype(np.int64)
    tier = np.concatenate([[k for _, k in CORE_AGENTS], rng.choice([1, 2, 3], n_free, p=[0.70, 0.22, 0.08])])
    tier = np.where((tier == 3) & (team != team_names.index(TIER3_TEAM)), 2, tier).astype(np.int64)
    core = np.arange(n) < len(CORE_AGENTS)

    start_day, end_day = clock.date_to_day(config.start), clock.date_to_day(config.end)
    hired_before = rng.integers(start_day - 4 * 365, start_day - 30, n)
    hired_during = rng.integers(start_day, end_day - 30, n) if end_day - start_day > 60 else hired_before
    hired_day = np.where(core | (rng.random(n) < 0.75), hired_before, hired_during)
    leaves = ~core & (rng.random(n) < 0.15)
    leave_day = np.maximum(hired_day + 90, start_day) + rng.integers(0, max(1, end_day - start_day), n)
    terminated_day = np.where(leaves & (leave_day <= end_day), leave_day, -1)

    low = np.array([_HOURLY_COST[int(k)][0] for k in tier])
    high = np.array([_HOURLY_COST[int(k)][1] for k in tier])
    hourly_cost = np.round(low + (high - low) * rng.random(n), 2)
    shift_seconds = np.where(rng.random(n) < PART_TIME_SHARE, 4 * clock.HOUR, 8 * clock.HOUR)

    month_days = config.month_starts // clock.DAY
    members, offsets, counts = _pools(team, tier, hired_day, terminated_day, month_days, end_day)
    return Agents(
        team=team,
        tier=tier,
        hired_day=hired_day,
        terminated_day=terminated_day,
        hourly_cost=hourly_cost,
        shift_seconds=shift_seconds,
        first_name=rng.integers(0, len(vocab.FIRST_NAMES), n),
        last_name=rng.integers(0, len(vocab.LAST_NAMES), n),
        pool_members=members,
        pool_offsets=offsets,
        pool_counts=counts,
        n_months=len(month_days),
    )


def _pools(
    team: np.ndarray, tier: np.ndarray, hired: np.ndarray, terminated: np.ndarray, month_days: np.ndarray, end_day: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_months = len(month_days)
    month_ends = np.append(month_days[1:], end_day + 1)
    members: list[np.ndarray] = []
    counts = np.zeros(3 * 3 * n_months, dtype=np.int64)
    for team_code in range(3):
        for tier_value in (1, 2, 3):
            for m in range(n_months):
                # Employed the whole month and two more, so replies to its tickets stay inside employment.
                safe_until = min(int(month_ends[min(m + 2, n_months - 1)]), end_day + 1)
                ok = (team == team_code) & (tier == tier_value) & (hired <= month_days[m])
                ok &= (terminated < 0) | (terminated >= safe_until)
                chosen = np.flatnonzero(ok)
                members.append(chosen)
                counts[(team_code * 3 + tier_value - 1) * n_months + m] = len(chosen)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return np.concatenate(members).astype(np.int64), offsets, counts


def agent_ids(numbers: np.ndarray, n_agents: int) -> pa.Array:
    return columns.ids("A", numbers, columns.id_width(n_agents, 4))


def agents_table(agents: Agents) -> pa.Table:
    n = agents.count
    first = [vocab.FIRST_NAMES[i] for i in agents.first_name]
    last = [vocab.LAST_NAMES[i] for i in agents.last_name]
    emails = [
        f"{_email_slug(f)}.{_email_slug(s)}.{i + 1}@support.example.com"
        for i, (f, s) in enumerate(zip(first, last, strict=True))
    ]
    return columns.build_table(
        "agents",
        {
            "agent_id": agent_ids(np.arange(n), n),
            "name": columns.strings([f"{f} {s}" for f, s in zip(first, last, strict=True)]),
            "email": columns.strings(emails),
            "team": columns.labels(vocab.TEAMS, agents.team),
            "tier": columns.integers(agents.tier),
            "hired_at": columns.dates(agents.hired_day),
            "terminated_at": columns.dates(agents.terminated_day, agents.terminated_day < 0),
            "hourly_cost": columns.numbers(agents.hourly_cost),
        },
    )
