"""Lay each planned ticket out on the clock as events, turn by turn, vectorised over tickets.

Turn k is the k-th message of the main conversation (customer and agent alternate).
Around the agent's turns come the routing assignment, escalations, transfers, internal
notes and status changes; after the conversation, reopens and closing. Events land in an
`EventBuffer` in the order they logically happen, which `finalize` relies on for ties.
"""

from __future__ import annotations

import numpy as np

from support_kpis.sample import clock, timing
from support_kpis.sample.agents import Agents
from support_kpis.sample.event_buffer import (
    AGENT,
    ASSIGNMENT,
    BOT,
    CLOSED,
    CUSTOMER,
    ESCALATION,
    MESSAGE,
    NEW,
    ON_HOLD,
    OPEN,
    PENDING,
    SOLVED,
    STATUS_CHANGE,
    SYSTEM,
    EventArrays,
    EventBuffer,
    bodies,
)
from support_kpis.sample.ticket_plan import SCHEDULES, TicketPlan

PENDING_AFTER_REPLY = 0.5  # agent sets "pending" when a reply waits on the customer
SAME_SECOND_STATUS = 0.6  # status change stamped in the same second as the reply
INTERNAL_NOTE_SHARE = 0.10
UNANSWERED_ROUTED_SHARE = 0.5
# Tier-2 agents also work the queue, as real teams do, so they resolve some tickets first time and are not idle
# between escalations.
DIRECT_TO_TIER2_SHARE = 0.25


class _Conversation:
    """Mutable per-ticket state while the turns are laid out."""

    def __init__(self, plan: TicketPlan, agents: Agents, month_starts: np.ndarray, rng: np.random.Generator) -> None:
        self.plan, self.agents, self.month_starts, self.rng = plan, agents, month_starts, rng
        n = plan.count
        self.buffer = EventBuffer()
        self.last_time = plan.created.copy()
        self.status = np.full(n, NEW, dtype=np.int64)
        self.assignee = np.full(n, -1, dtype=np.int64)
        self.team = np.full(n, -1, dtype=np.int64)
        self.replies_done = np.zeros(n, dtype=np.int64)
        self.may_defer = plan.schedule != SCHEDULES.index("always_on")
        created_month = clock.month_index(plan.created, month_starts)
        # One draw picks both the tier and the agent, so the generator's random stream is the same length.
        u = rng.random(n)
        direct = u < DIRECT_TO_TIER2_SHARE
        tier = np.where(direct, 2, 1).astype(np.int64)
        u = np.where(direct, u / DIRECT_TO_TIER2_SHARE, (u - DIRECT_TO_TIER2_SHARE) / (1 - DIRECT_TO_TIER2_SHARE))
        self.first_agent = agents.pick(plan.team, tier, created_month, u)

    # -- small helpers -------------------------------------------------------------------
    def _stamp(self, rows: np.ndarray, times: np.ndarray) -> None:
        self.last_time[rows] = np.maximum(self.last_time[rows], times)

    def set_status(
        self, rows: np.ndarray, times: np.ndarray, new: int, actor_type: int, actor: np.ndarray | int = -1
    ) -> None:
        self.buffer.add(rows, times, STATUS_CHANGE, actor_type, actor=actor, new_status=new)
        self.status[rows] = new
        self._stamp(rows, times)

    def message(
        self, rows: np.ndarray, times: np.ndarray, actor_type: int, kind: str, **fields: np.ndarray | int
    ) -> None:
        self.buffer.add(rows, times, MESSAGE, actor_type, body=bodies(kind, len(rows), self.rng), **fields)
        self._stamp(rows, times)

    def assign(self, rows: np.ndarray, times: np.ndarray, agent: np.ndarray, team: np.ndarray) -> None:
        self.buffer.add(rows, times, ASSIGNMENT, SYSTEM, new_assignee=agent, new_team=team)
        self.assignee[rows], self.team[rows] = agent, team
        self._stamp(rows, times)

    def between(self, lo: np.ndarray, hi: np.ndarray, low: float = 0.0, high: float = 1.0) -> np.ndarray:
        return lo + (self.rng.uniform(low, high, len(lo)) * (hi - lo)).astype(np.int64)

    def agent_reply_time(self, rows: np.ndarray, first: np.ndarray, queue: np.ndarray | int = 0) -> np.ndarray:
        plan = self.plan
        wait = timing.response_wait(plan.channel[rows], plan.priority[rows], first, self.rng) + queue
        return timing.defer_weekend(self.last_time[rows] + wait, self.may_defer[rows], self.rng)

    # -- the main conversation -----------------------------------------------------------
    def customer_turn(self, rows: np.ndarray, k: int) -> None:
        plan, rng = self.plan, self.rng
        first_message = k == 0
        times = (
            plan.created[rows]
            if first_message
            else self.last_time[rows] + timing.customer_wait(plan.channel[rows], rng)
        )
        self.message(rows, times, CUSTOMER, "customer", is_public=1)
        waiting = self.status[rows] == PENDING
        delay = np.where(rng.random(waiting.sum()) < 0.8, 0, rng.integers(1, 30, waiting.sum()))
        self.set_status(rows[waiting], times[waiting] + delay, OPEN, SYSTEM)
        if k == 0:
            bot = rows[plan.has_bot[rows]]
            self.message(bot, plan.created[bot] + rng.integers(2, 9, len(bot)), BOT, "bot", is_public=1)

    def agent_turn(self, rows: np.ndarray, k: int) -> None:
        plan, rng = self.plan, self.rng
        self.replies_done[rows] += 1
        ordinal = self.replies_done[rows]
        first = ordinal == 1
        if k == 0:
            reply_at = plan.created[rows]
        else:
            # An escalated ticket waits in the next tier's queue before its next reply.
            escalated_now = plan.escalate_at[rows] == ordinal
            queue = np.where(escalated_now, timing.escalation_wait(plan.escalate_tier[rows], rng), 0)
            reply_at = self.agent_reply_time(rows, first, queue)
        self._route(rows[first], reply_at[first])
        self._escalate(rows, ordinal, reply_at)
        self._transfer(rows, ordinal, reply_at)
        busy = (plan.escalate_at[rows] == ordinal) | (plan.transfer_at[rows] == ordinal)
        noted = ~busy & (rng.random(len(rows)) < INTERNAL_NOTE_SHARE)
        self.message(
            rows[noted],
            self.between(self.last_time[rows[noted]], reply_at[noted]),
            AGENT,
            "note",
            actor=self.assignee[rows[noted]],
            is_public=0,
            handle=timing.note_seconds(noted.sum(), rng),
        )
        outbound = first & plan.agent_initiated[rows]
        self.message(
            rows[outbound],
            reply_at[outbound],
            AGENT,
            "outbound",
            actor=self.assignee[rows[outbound]],
            is_public=1,
            handle=timing.handle_seconds(plan.channel[rows[outbound]], rng),
        )
        answer = ~outbound
        self.message(
            rows[answer],
            reply_at[answer],
            AGENT,
            "agent",
            actor=self.assignee[rows[answer]],
            is_public=1,
            handle=timing.handle_seconds(plan.channel[rows[answer]], rng),
        )
        self._status_after_reply(rows, ordinal, reply_at)

    def _route(self, rows: np.ndarray, reply_at: np.ndarray) -> None:
        """First assignment: by routing before the first reply, or the outbound agent's own ticket."""
        plan, rng = self.plan, self.rng
        outbound = plan.agent_initiated[rows]
        picked_at = np.where(outbound, reply_at, self.between(self.last_time[rows], reply_at, 0.0, 0.5))
        self.assign(rows, picked_at, self.first_agent[rows], plan.team[rows])
        inbound = ~outbound
        opened = picked_at[inbound]
        opened = np.where(rng.random(len(opened)) < 0.5, opened, self.between(opened, reply_at[inbound]))
        self.set_status(rows[inbound], opened, OPEN, SYSTEM)

    def _escalate(self, rows: np.ndarray, ordinal: np.ndarray, reply_at: np.ndarray) -> None:
        plan, rng = self.plan, self.rng
        hit = plan.escalate_at[rows] == ordinal
        rows, reply_at = rows[hit], reply_at[hit]
        at = self.between(self.last_time[rows], reply_at, 0.2, 0.9)
        previous = self.assignee[rows].copy()
        tier, team = plan.escalate_tier[rows], plan.escalate_team[rows]
        self.buffer.add(rows, at, ESCALATION, AGENT, actor=previous, new_tier=tier)
        month = clock.month_index(at, self.month_starts)
        self.assign(rows, at, self.agents.pick(team, tier, month, rng.random(len(rows))), team)
        note_at = np.minimum(at + rng.integers(0, 120, len(rows)), reply_at)
        self.message(
            rows, note_at, AGENT, "handover", actor=previous, is_public=0, handle=timing.note_seconds(len(rows), rng)
        )
        hold = (tier == 3) & (rng.random(len(rows)) < 0.5)
        self.set_status(rows[hold], at[hold] + 1, ON_HOLD, AGENT, actor=self.assignee[rows[hold]])

    def _transfer(self, rows: np.ndarray, ordinal: np.ndarray, reply_at: np.ndarray) -> None:
        plan, rng = self.plan, self.rng
        hit = plan.transfer_at[rows] == ordinal
        rows, reply_at = rows[hit], reply_at[hit]
        at = self.between(self.last_time[rows], reply_at, 0.2, 0.9)
        previous = self.assignee[rows].copy()
        team = plan.transfer_team[rows]
        month = clock.month_index(at, self.month_starts)
        self.message(rows, at, AGENT, "note", actor=previous, is_public=0, handle=timing.note_seconds(len(rows), rng))
        self.assign(rows, at, self.agents.pick(team, np.ones(len(rows), np.int64), month, rng.random(len(rows))), team)

    def _status_after_reply(self, rows: np.ndarray, ordinal: np.ndarray, reply_at: np.ndarray) -> None:
        plan, rng = self.plan, self.rng
        last = ordinal == plan.replies[rows]
        solve = last & ~plan.stalled[rows]
        awaiting = ~last & ((rng.random(len(rows)) < PENDING_AFTER_REPLY) | (self.status[rows] == NEW))
        park = (last & plan.stalled[rows]) | awaiting
        resume = ~last & ~park & (self.status[rows] == ON_HOLD)
        later = np.where(rng.random(len(rows)) < SAME_SECOND_STATUS, 0, rng.integers(1, 20, len(rows)))
        self.set_status(rows[park], reply_at[park] + later[park], PENDING, AGENT, actor=self.assignee[rows[park]])
        self.set_status(rows[resume], reply_at[resume] + later[resume], OPEN, AGENT, actor=self.assignee[rows[resume]])
        solved_at = reply_at[solve] + timing.solve_delay(plan.channel[rows[solve]], rng)
        self.set_status(rows[solve], solved_at, SOLVED, AGENT, actor=self.assignee[rows[solve]])

    # -- outside the main conversation ---------------------------------------------------
    def unanswered(self) -> None:
        """Tickets no agent replies to: solved by the bot, left waiting, or closed as spam."""
        plan, rng = self.plan, self.rng
        idle = np.flatnonzero(plan.replies == 0)
        contained = idle[plan.bot_contained[idle]]
        asked = self.last_time[contained] + rng.integers(20, 120, len(contained))
        self.message(contained, asked, BOT, "bot", is_public=1)
        done_at = asked + timing.lognormal_seconds(len(contained), 4 * clock.MINUTE, 0.8, rng)
        self.set_status(contained, done_at, SOLVED, BOT)

        waiting = idle[~plan.bot_contained[idle]]
        routed = waiting[rng.random(len(waiting)) < UNANSWERED_ROUTED_SHARE]
        routed_at = self.last_time[routed] + timing.lognormal_seconds(len(routed), 30 * clock.MINUTE, 1.0, rng)
        to_agent = rng.random(len(routed)) < 0.7
        self.assign(routed, routed_at, np.where(to_agent, self.first_agent[routed], -1), plan.team[routed])
        picked = routed[to_agent]
        self.set_status(picked, routed_at[to_agent] + rng.integers(0, 600, len(picked)), OPEN, SYSTEM)

        spam = waiting[plan.spam_solved[waiting]]
        spam_at = self.last_time[spam] + timing.lognormal_seconds(len(spam), clock.DAY, 1.0, rng)
        self.set_status(spam, spam_at, SOLVED, AGENT, actor=self.first_agent[spam])

    def reopens(self) -> None:
        """The customer writes again after a solve: reopened, answered, solved again."""
        plan, rng = self.plan, self.rng
        for round_ in range(int(plan.reopens.max(initial=0))):
            rows = np.flatnonzero((plan.reopens > round_) & (self.status == SOLVED))
            wrote_at = self.last_time[rows] + timing.lognormal_seconds(len(rows), 20 * clock.HOUR, 1.0, rng)
            self.message(rows, wrote_at, CUSTOMER, "customer", is_public=1)
            delay = np.where(rng.random(len(rows)) < 0.8, 0, rng.integers(1, 30, len(rows)))
            self.set_status(rows, wrote_at + delay, OPEN, SYSTEM)
            reply_at = self.agent_reply_time(rows, np.zeros(len(rows), dtype=bool))
            self.message(
                rows,
                reply_at,
                AGENT,
                "agent",
                actor=self.assignee[rows],
                is_public=1,
                handle=timing.handle_seconds(plan.channel[rows], rng),
            )
            solved_at = reply_at + timing.solve_delay(plan.channel[rows], rng)
            self.set_status(rows, solved_at, SOLVED, AGENT, actor=self.assignee[rows])

    def auto_solves(self) -> None:
        """Helpdesks solve tickets left waiting by automation (Zendesk's "pending for 4 days"):
        without it every stalled ticket would stay in the backlog forever and the backlog
        would only grow. Those whose auto-solve falls after the range end stay open."""
        rows = np.flatnonzero((self.status != SOLVED) & (self.status != CLOSED))
        later = self.rng.integers(4 * clock.DAY, 10 * clock.DAY, len(rows))
        self.set_status(rows, self.last_time[rows] + later, SOLVED, SYSTEM)

    def closes(self) -> None:
        rows = np.flatnonzero(self.plan.closes & (self.status == SOLVED))
        later = self.rng.integers(3 * clock.DAY, 7 * clock.DAY, len(rows))
        self.set_status(rows, self.last_time[rows] + later, CLOSED, SYSTEM)


def simulate(plan: TicketPlan, agents: Agents, month_starts: np.ndarray, rng: np.random.Generator) -> EventArrays:
    """Every event of every planned ticket, unsorted and not yet cut at the end of the range."""
    conversation = _Conversation(plan, agents, month_starts, rng)
    turns = plan.turns
    agent_first = plan.agent_initiated.astype(np.int64)
    for k in range(int(turns.max(initial=0))):
        live = np.flatnonzero(turns > k)
        agent_turn = (agent_first[live] + k) % 2 == 1
        conversation.customer_turn(live[~agent_turn], k)
        conversation.agent_turn(live[agent_turn], k)
    conversation.unanswered()
    conversation.reopens()
    conversation.auto_solves()
    conversation.closes()
    return conversation.buffer.arrays()
