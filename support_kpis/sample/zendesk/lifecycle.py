"""One ticket's life as Zendesk records it: comments, field-history rows, schedules and tags.

Each ticket is simulated forward in time (arrival, agent replies and customer answers in
cycles, solve, sometimes a reopen, satisfaction survey, automatic close) and then cut at the
end of the range, so tickets still open at the as-of instant look exactly as a live export
would. Status, assignee, group, priority and SLA targets are written as field-history rows
the way the connector lands them; the ticket row is the state after the last kept change.

The special cases an adapter must survive are drawn on purpose at realistic rates: tickets an
agent opened, tickets answered with internal notes only, reopens, merges, deletions, group
escalations that move the ticket to another schedule, priority bumps and the yearly SLA
change that give a ticket new targets mid-life, and a bad rating followed by a good one.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TypeVar, cast

import pyarrow as pa

from support_kpis.sample import clock, vocab
from support_kpis.sample.zendesk import calendars, columns, ids, sla
from support_kpis.sample.zendesk.directory import ESCALATIONS, GROUPS, Directory
from support_kpis.sample.zendesk.open_hours import OpenHours

CHANNELS = {
    "email": 0.34,
    "web": 0.16,
    "web_widget": 0.04,
    "help_center": 0.03,
    "chat": 0.12,
    "voice": 0.08,
    "api": 0.04,
    "mobile_sdk": 0.05,
    "whatsapp": 0.05,
    "facebook": 0.03,
    "twitter": 0.02,
    "closed_ticket": 0.04,  # follow-ups created from a closed ticket
}
PRIORITIES = {"urgent": 0.05, "high": 0.2, "normal": 0.48, "low": 0.15, None: 0.12}
TYPES = {"question": 0.45, "incident": 0.3, "problem": 0.05, "task": 0.08, None: 0.12}
TYPE_GROUP = {"question": 0, "incident": 2, "problem": 2, "task": 3, None: 0}
# Typical minutes to an agent's reply, by priority (log-normal median).
_AGENT_MEDIAN = {"urgent": 25.0, "high": 90.0, "normal": 240.0, "low": 600.0, None: 240.0}
_CUSTOMER_MEDIAN_HOURS = 5.0
CLOSE_AFTER_SOLVE = 4 * clock.DAY

# Shares of the special cases, per ticket.
AGENT_CREATED = 0.06
INTERNAL_ONLY = 0.02
DELETED = 0.01
MERGED = 0.02
FIVETRAN_DELETED = 0.005
ESCALATED = 0.06
PRIORITY_BUMP = 0.05
REOPEN = 0.08
CSAT_OFFERED = 0.45
CSAT_ANSWERED = 0.5
INCIDENT_LINKED = 0.3  # of incidents: linked to the latest problem ticket
ON_CALL = 0.5  # of urgent tickets: answered outside business hours
BAD_THEN_GOOD = 0.35  # of bad ratings: the customer writes back, is helped, and re-rates good


_T = TypeVar("_T")


def _cumulative(shares: dict[_T, float]) -> tuple[list[_T], list[float]]:
    """Values and cumulative weights, for `random.choices(..., cum_weights=...)` (no re-summing per draw)."""
    return list(shares), list(accumulate(shares.values()))


_CHANNEL_CHOICE = _cumulative(CHANNELS)
_PRIORITY_CHOICE = _cumulative(PRIORITIES)
_TYPE_CHOICE = _cumulative(TYPES)
_REGION_SCHEDULES = (
    (calendars.SCHEDULE_IDS[2],),  # emea
    (calendars.SCHEDULE_IDS[0], calendars.SCHEDULE_IDS[1]),  # americas
    (calendars.SCHEDULE_IDS[3],),  # apac
)
_CATEGORIES = [c for c in vocab.SUBJECTS if c is not None]


@dataclass
class _Ticket:
    """One ticket's rows while it is simulated, in time order."""

    ticket_id: int
    comments: list[tuple[int, int, bool, str]] = field(default_factory=list)  # (ts, user, public, body)
    history: list[tuple[str, int, str, int | None]] = field(default_factory=list)  # (field, ts, value, user)
    schedules: list[tuple[int, int]] = field(default_factory=list)  # (ts, schedule_id)
    tags: list[str] = field(default_factory=list)

    last: dict[str, int] = field(default_factory=dict)  # field name -> index of its latest row

    def set(self, name: str, ts: int, value: object, user: int | None) -> None:
        # One Zendesk update records a field once, with its final value: a reply that opens and
        # leaves pending in the same second is a single change to `pending`, never a tie to break.
        row = (name, ts, str(value), user)
        index = self.last.get(name)
        if index is not None and self.history[index][1] == ts:
            self.history[index] = row
        else:
            self.last[name] = len(self.history)
            self.history.append(row)

    def say(self, ts: int, user: int, public: bool, body: str) -> None:
        self.comments.append((ts, user, public, body))


class ChunkBuilder:
    """Simulates consecutive tickets and collects their rows into the five ticket tables."""

    def __init__(
        self, directory: Directory, hours: OpenHours, change_ts: int, end_ts: int, synced: int, first_comment: int
    ) -> None:
        self.directory, self.hours = directory, hours
        self.change_ts, self.end_ts, self.synced = change_ts, end_ts, synced
        self.next_comment = first_comment
        self.rows: dict[str, dict[str, list[object]]] = {
            table: {name: [] for name in columns.schema(table).names}
            for table in ("ticket", "ticket_comment", "ticket_field_history", "ticket_schedule", "ticket_tag")
        }
        # The previous ticket, a candidate to merge the next one into: (id, created, first solve, row, requester).
        self._previous: tuple[int, int, int, int, int] | None = None
        # The latest problem ticket and its row: incidents get linked to it, as agents do.
        self._problem: tuple[int, int] | None = None

    def _agent_delay(self, rnd: random.Random, priority: str | None) -> int:
        return max(30, int(rnd.lognormvariate(math.log(_AGENT_MEDIAN[priority] * 60), 1.1)))

    def _agent_reply_at(self, rnd: random.Random, schedule: int, now: int, priority: str | None) -> int:
        """When an agent acts: within the schedule's hours, except urgent tickets answered on call."""
        if priority == "urgent" and rnd.random() < ON_CALL:
            return now + self._agent_delay(rnd, priority)
        now = self.hours.next_open(schedule, now) + self._agent_delay(rnd, priority)
        return self.hours.next_open(schedule, now)

    def _customer_delay(self, rnd: random.Random) -> int:
        return max(60, int(rnd.lognormvariate(math.log(_CUSTOMER_MEDIAN_HOURS * 3600), 1.2)))

    def _sla(self, t: _Ticket, ts: int, policy: sla.Policy, priority: str | None) -> None:
        tightened = ts >= self.change_ts
        t.set("sla_policy", ts, policy.name, None)
        for metric in sla.METRICS:
            t.set(metric, ts, sla.target_json(metric, priority, tightened, policy), None)

    def add(self, ticket_id: int, created: int, region: int, rnd: random.Random) -> None:
        d = self.directory
        roll = rnd.random()
        agent_created = roll < AGENT_CREATED
        internal_only = AGENT_CREATED <= roll < AGENT_CREATED + INTERNAL_ONLY
        deleted = AGENT_CREATED + INTERNAL_ONLY <= roll < AGENT_CREATED + INTERNAL_ONLY + DELETED
        merge = roll >= 1 - MERGED

        requester = rnd.choice(d.end_users_by_region[region])
        if merge and self._previous is not None:
            requester = self._previous[4]  # a duplicate: the same person asking again
        org = d.user_organization[requester]
        policy = sla.POLICIES[1] if org in d.enterprise_organizations else sla.POLICIES[0]
        kind = rnd.choices(_TYPE_CHOICE[0], cum_weights=_TYPE_CHOICE[1])[0]
        priority = rnd.choices(_PRIORITY_CHOICE[0], cum_weights=_PRIORITY_CHOICE[1])[0]
        channel = (
            rnd.choice(("web", "email"))
            if agent_created
            else rnd.choices(_CHANNEL_CHOICE[0], cum_weights=_CHANNEL_CHOICE[1])[0]
        )
        group = TYPE_GROUP[kind] if rnd.random() < 0.8 else rnd.randrange(ESCALATIONS)
        category = rnd.choice(_CATEGORIES)
        if category == "billing":
            group = 1
        assignee = rnd.choice(d.agents_by_group[group])
        submitter = assignee if agent_created else requester
        brand = ids.BRAND + rnd.choices((0, 1, 2), cum_weights=(0.7, 0.85, 1.0))[0]
        schedule = rnd.choice(_REGION_SCHEDULES[region])

        t = _Ticket(ticket_id)
        now = created
        t.set("status", now, "open" if agent_created else "new", submitter)
        if priority is not None:
            t.set("priority", now, priority, submitter)
        if kind is not None:
            t.set("type", now, kind, submitter)
        t.set("requester_id", now, requester, submitter)
        t.set("group_id", now, ids.GROUP + group, None)
        self._sla(t, now, policy, priority)
        t.schedules.append((now, schedule))
        t.tags.append(category)
        if org in d.enterprise_organizations:
            t.tags.append("vip")
        body = rnd.choice(vocab.OUTBOUND_MESSAGES if agent_created else vocab.CUSTOMER_MESSAGES)
        t.say(now, submitter, True, body)
        description, subject = body, rnd.choice(vocab.SUBJECTS[category])

        merged_into: int | None = None
        first_solve = 0
        if agent_created:
            t.set("assignee_id", now, assignee, assignee)
            t.set("status", now, "pending", assignee)
        if self._previous is not None and merge:
            target, target_created, target_solve, target_row, _ = self._previous
            when = now + rnd.randrange(600, 4 * clock.HOUR)
            if target_created <= when < target_solve and when <= self.end_ts:
                merged_into = target
                agent = rnd.choice(d.agents_by_group[group])
                t.set("assignee_id", when, agent, agent)
                t.say(when, agent, True, f"This request was closed and merged into request #{target}.")
                t.set("status", when, "closed", agent)
                t.tags.append("closed_by_merge")
                self._merge_into(target, target_row, ticket_id, when, agent)
        if merged_into is not None:
            pass  # closed by the merge: nothing else happens to it
        elif deleted:
            agent = rnd.choice(d.admins)
            now += rnd.randrange(60, 2 * clock.DAY)
            t.set("status", now, "deleted", agent)
        elif internal_only:
            now = self._agent_reply_at(rnd, schedule, now, priority)
            t.set("assignee_id", now, assignee, assignee)
            t.set("status", now, "open", assignee)
            for _ in range(rnd.randint(1, 3)):
                t.say(now, assignee, False, rnd.choice(vocab.INTERNAL_NOTES))
                now += rnd.randrange(300, 6 * clock.HOUR)
            t.set("status", now, "solved", assignee)
            first_solve = now
            now += CLOSE_AFTER_SOLVE
            t.set("status", now, "closed", None)
        else:
            first_solve, now = self._conversation(
                t, rnd, now, agent_created, assignee, requester, policy, priority, group, schedule
            )

        if created < self.change_ts and first_solve:
            self._retarget_after_change(t, policy, first_solve)
        self._emit(t, created, subject, description, channel, requester, submitter, org, brand, rnd)
        row = len(self.rows["ticket"]["id"]) - 1
        self._previous = (ticket_id, created, first_solve or created, row, requester)
        if kind == "problem":
            self._problem = (ticket_id, row)
        elif kind == "incident" and self._problem is not None and rnd.random() < INCIDENT_LINKED:
            tickets = self.rows["ticket"]
            tickets["problem_id"][row] = self._problem[0]
            tickets["has_incidents"][self._problem[1]] = True

    def _retarget_after_change(self, t: _Ticket, policy: sla.Policy, solved: int) -> None:
        """Zendesk re-applies a changed policy at a ticket's next update: a ticket still unsolved
        when the targets were tightened gets the new ones then, mid-life."""
        after = [ts for _, ts, _, _ in t.history if ts > self.change_ts] + [c[0] for c in t.comments]
        at = min((ts for ts in after if ts > self.change_ts), default=solved)
        if at >= solved or any(name in sla.METRICS and ts == at for name, ts, _, _ in t.history):
            return  # solved first, or re-targeted at that instant already (a priority change)
        priorities = [value for name, ts, value, _ in t.history if name == "priority" and ts <= at]
        self._sla(t, at, policy, priorities[-1] if priorities else None)
        t.history.sort(key=lambda change: change[1])  # stable: same-instant rows keep their order

    def _conversation(
        self,
        t: _Ticket,
        rnd: random.Random,
        now: int,
        agent_created: bool,
        assignee: int,
        requester: int,
        policy: sla.Policy,
        priority: str | None,
        group: int,
        schedule: int,
    ) -> tuple[int, int]:
        """Reply cycles up to a solve, maybe a survey and a reopen, then the close; returns (first solve, end)."""
        d = self.directory
        if agent_created:
            if rnd.random() < 0.3:  # a notice nobody answers: solved after a few days
                now += rnd.randrange(2 * clock.DAY, 4 * clock.DAY)
                t.set("status", now, "solved", assignee)
                t.set("status", now + CLOSE_AFTER_SOLVE, "closed", None)
                return now, now + CLOSE_AFTER_SOLVE
            now += self._customer_delay(rnd)
            t.say(now, requester, True, rnd.choice(vocab.CUSTOMER_MESSAGES))
            t.set("status", now, "open", requester)
        assigned, status = agent_created, "open" if agent_created else "new"
        cycles = 1 + min(5, int(rnd.expovariate(1.0)))
        escalated = bumped = False
        for cycle in range(cycles):
            now = self._agent_reply_at(rnd, schedule, now, priority)
            agent = rnd.choice(d.admins) if rnd.random() < 0.03 else assignee
            if not assigned:
                t.set("assignee_id", now, assignee, agent)
                assigned = True
            if status == "new":
                t.set("status", now, "open", agent)
            if rnd.random() < 0.25:
                t.say(now, agent, False, rnd.choice(vocab.INTERNAL_NOTES))
                now += rnd.randrange(60, 900)
            t.say(now, agent, True, rnd.choice(vocab.AGENT_REPLIES))
            if not escalated and group != ESCALATIONS and rnd.random() < ESCALATED:
                escalated = True
                assignee = rnd.choice(d.agents_by_group[ESCALATIONS])
                now += rnd.randrange(60, 3600)
                t.say(now, agent, False, rnd.choice(vocab.HANDOVER_NOTES))
                t.set("group_id", now, ids.GROUP + ESCALATIONS, agent)
                t.set("assignee_id", now, assignee, agent)
                schedule = calendars.ESCALATION_SCHEDULE
                t.schedules.append((now, schedule))
                t.tags.append("escalated")
            if not bumped and priority not in ("urgent", None) and rnd.random() < PRIORITY_BUMP:
                bumped = True
                priority = sla.PRIORITIES[sla.PRIORITIES.index(priority) - 1]
                t.set("priority", now, priority, agent)
                self._sla(t, now, policy, priority)
            if cycle == cycles - 1:
                if rnd.random() < 0.4:  # wait for the customer's silence before solving
                    t.set("status", now, "pending", agent)
                    now += rnd.randrange(clock.DAY, 3 * clock.DAY)
                t.set("status", now, "solved", agent)
                status = "solved"
            else:
                status = "hold" if rnd.random() < 0.05 else "pending"
                t.set("status", now, status, agent)
                now += self._customer_delay(rnd)
                t.say(now, requester, True, rnd.choice(vocab.CUSTOMER_MESSAGES))
                t.set("status", now, "open", requester)
                status = "open"
        first_solve = now

        reopen = rnd.random() < REOPEN
        rerate = False
        if rnd.random() < CSAT_OFFERED:
            offered = now + clock.HOUR
            t.set("satisfaction_score", offered, "offered", None)
            if rnd.random() < CSAT_ANSWERED:
                rated = offered + max(60, int(rnd.lognormvariate(math.log(3 * 3600), 1.0)))
                score = rnd.choices(("good", "goodwithcomment", "bad", "badwithcomment"), (55, 20, 15, 10))[0]
                t.set("satisfaction_score", rated, score, requester)
                now = rated
                if score.startswith("bad") and rnd.random() < BAD_THEN_GOOD:
                    reopen = rerate = True
        if reopen:
            now += rnd.randrange(clock.HOUR, 3 * clock.DAY)
            t.say(now, requester, True, rnd.choice(vocab.CUSTOMER_MESSAGES))
            t.set("status", now, "open", requester)
            now = self._agent_reply_at(rnd, schedule, now, priority)
            t.say(now, assignee, True, rnd.choice(vocab.AGENT_REPLIES))
            t.set("status", now, "solved", assignee)
            if rerate:
                now += max(60, int(rnd.lognormvariate(math.log(6 * 3600), 1.0)))
                t.set("satisfaction_score", now, "good", requester)
        t.set("status", now + CLOSE_AFTER_SOLVE, "closed", None)
        return first_solve, now + CLOSE_AFTER_SOLVE

    def _merge_into(self, target: int, row: int, source: int, when: int, agent: int) -> None:
        tickets = self.rows["ticket"]
        tickets["updated_at"][row] = max(cast(int, tickets["updated_at"][row]), when)
        merged = tickets["merged_ticket_ids"][row]
        tickets["merged_ticket_ids"][row] = f"[{source}]" if merged is None else f"{str(merged)[:-1]},{source}]"
        comments = self.rows["ticket_comment"]
        self._comment_row(comments, target, (when, agent, False, f"Request #{source} was merged into this request."))

    def _comment_row(self, rows: dict[str, list[object]], ticket_id: int, c: tuple[int, int, bool, str]) -> None:
        rows["id"].append(self.next_comment)
        self.next_comment += 1
        rows["ticket_id"].append(ticket_id)
        rows["user_id"].append(c[1])
        rows["created"].append(c[0])
        rows["public"].append(c[2])
        rows["body"].append(c[3])
        rows["call_duration"].append(None)
        rows["voice_comment"].append(False)
        rows["facebook_comment"].append(False)
        rows["tweet"].append(False)
        rows["_fivetran_synced"].append(self.synced)
        rows["_fivetran_deleted"].append(False)

    def _emit(
        self,
        t: _Ticket,
        created: int,
        subject: str,
        description: str,
        channel: str,
        requester: int,
        submitter: int,
        org: int | None,
        brand: int,
        rnd: random.Random,
    ) -> None:
        """Writes the rows that happened by the end of the range; the ticket row is the state then."""
        end = self.end_ts
        comments = [c for c in t.comments if c[0] <= end]
        history = [h for h in t.history if h[1] <= end]
        rows = self.rows
        for i, c in enumerate(comments):
            self._comment_row(rows["ticket_comment"], t.ticket_id, c)
            if i == 0 and channel == "voice":
                rows["ticket_comment"]["voice_comment"][-1] = True
                rows["ticket_comment"]["call_duration"][-1] = rnd.randrange(60, 1800)
            if i == 0 and channel in ("facebook", "twitter"):
                rows["ticket_comment"]["facebook_comment" if channel == "facebook" else "tweet"][-1] = True
        fh = rows["ticket_field_history"]
        state: dict[str, str] = {}
        for name, ts, value, user in history:
            fh["ticket_id"].append(t.ticket_id)
            fh["field_name"].append(name)
            fh["updated"].append(ts)
            fh["value"].append(value)
            fh["user_id"].append(user)
            fh["_fivetran_synced"].append(self.synced)
            state[name] = value
        for ts, schedule_id in t.schedules:
            if ts <= end:
                rows["ticket_schedule"]["ticket_id"].append(t.ticket_id)
                rows["ticket_schedule"]["created_at"].append(ts)
                rows["ticket_schedule"]["schedule_id"].append(schedule_id)
                rows["ticket_schedule"]["_fivetran_synced"].append(self.synced)
        for tag in t.tags:
            rows["ticket_tag"]["ticket_id"].append(t.ticket_id)
            rows["ticket_tag"]["tag"].append(tag)
            rows["ticket_tag"]["_fivetran_synced"].append(self.synced)
        ticket = rows["ticket"]
        last_change = max([c[0] for c in comments] + [h[1] for h in history])
        ticket["id"].append(t.ticket_id)
        ticket["created_at"].append(created)
        ticket["updated_at"].append(last_change)
        ticket["status"].append(state["status"])
        ticket["priority"].append(state.get("priority"))
        ticket["type"].append(state.get("type"))
        ticket["subject"].append(subject)
        ticket["description"].append(description)
        ticket["via_channel"].append(channel)
        ticket["requester_id"].append(requester)
        ticket["submitter_id"].append(submitter)
        assignee = state.get("assignee_id")
        ticket["assignee_id"].append(int(assignee) if assignee is not None else None)
        ticket["group_id"].append(int(state["group_id"]))
        ticket["organization_id"].append(org)
        ticket["brand_id"].append(brand)
        ticket["ticket_form_id"].append(ids.TICKET_FORM)
        ticket["problem_id"].append(None)
        ticket["external_id"].append(None)
        ticket["due_at"].append(created + 3 * clock.DAY if state.get("type") == "task" else None)
        ticket["is_public"].append(True)
        ticket["has_incidents"].append(False)
        ticket["allow_channelback"].append(channel in ("facebook", "twitter"))
        ticket["merged_ticket_ids"].append(None)
        ticket["recipient"].append("support@acme.example" if channel == "email" else None)
        ticket["url"].append(f"https://acme.zendesk.com/api/v2/tickets/{t.ticket_id}.json")
        ticket["_fivetran_synced"].append(self.synced)
        ticket["_fivetran_deleted"].append(rnd.random() < FIVETRAN_DELETED)

    def tables(self) -> dict[str, pa.Table]:
        return {table: columns.build(table, rows) for table, rows in self.rows.items()}


__all__ = ["GROUPS", "ChunkBuilder"]
