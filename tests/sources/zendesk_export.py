"""Write a data-contract sample out as the Fivetran Zendesk connector's tables, for the adapter's round trip.

Everything the contract says that Zendesk can hold is written the way Zendesk holds it; what Zendesk cannot hold
is dropped, and `DROPPED` names it (the round trip leaves the KPIs that read it out):

- ids become integers (Zendesk's are): ticket `T0000042` -> 42, agent `A0007` -> 1_000_007, customer
  `C000050` -> 2_000_050; `ExportIds` maps them back;
- a ticket's channel becomes a `via_channel` the adapter maps back (phone as `voice_inbound`, social as
  `twitter_dm`, ...), `on_hold` becomes `hold`, the category is the ticket `type`, the team a group, the product
  a brand;
- messages are comments (an agent's author is the agent user, a customer's the requester), status changes and
  assignments are `ticket_field_history` rows (`status`, `assignee_id`, `group_id`);
- CSAT responses are `satisfaction_score` rows: `good` when the contract calls the response satisfied
  (normalized score >= 0.75), else `bad`; an `offered` row an hour before each (not a response);
- schedules are `schedule` rows in a Rails time-zone name whose IANA zone (seeds/zendesk_time_zones.csv) is the
  contract schedule's zone, the contract's `default` being the earliest created (Zendesk's default); holidays are
  `schedule_holiday` spans of consecutive dates; a ticket's schedule is a `ticket_schedule` row stamped a few
  seconds after creation, and some tickets get a second, later row (a schedule change after creation, which the
  contract's one-schedule-per-ticket rule ignores);
- SLA targets are the field history's `first_reply_time`, `next_reply_time` and `total_resolution_time` rows,
  value `{"minutes": N, "in_business_hours": bool}`: the targets of the ticket's priority x channel policy at its
  creation (as Zendesk applies a policy), then its contract v2 `ticket_sla_targets` rows;
- deleted tickets are added (status `deleted`, or `_fivetran_deleted`), with comments and ratings, which the
  adapter must leave out.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from support_kpis.sample.zendesk import columns
from support_kpis.settings import PROJECT_ROOT

AGENT_BASE = 1_000_000
CUSTOMER_BASE = 2_000_000
DELETED_BASE = 900_000
SCHEDULE_BASE = 500

VIA_CHANNEL = {
    "email": "email",
    "web": "web_form",
    "chat": "chat",
    "phone": "voice_inbound",
    "messaging": "whatsapp",
    "social": "twitter_dm",
    "other": "api",
}

SLA_FIELDS = {
    "first_response": "first_reply_time",
    "next_response": "next_reply_time",
    "resolution": "total_resolution_time",
}

DROPPED = {
    "handle_seconds": "Zendesk records no agent working time per event",
    "bot messages": "ticket comments carry no bot author type",
    "escalation events": "Zendesk has no tiers (zendesk_escalation_groups not set)",
    "nps and ces surveys": "Zendesk CSAT is good/bad only",
    "csat scores": "a 1-5 or 1-10 score becomes good/bad (satisfied or not)",
    "customer segment, region, country, plan": "the adapter maps no organization fields",
    "agent team, tier, hourly cost": "not in the connector's user table",
    "agent_activity, reviews, kb, self-service, money, engagement tables": "not Zendesk data",
}


@dataclass
class ExportIds:
    """Contract id -> Zendesk id, and back for the ids that reach kpi_values (agents)."""

    agents: dict[str, int] = field(default_factory=dict)
    schedules: dict[str, int] = field(default_factory=dict)
    deleted_tickets: list[int] = field(default_factory=list)

    def agent_back(self) -> dict[str, str]:
        return {str(zendesk): contract for contract, zendesk in self.agents.items()}


def _number(contract_id: str) -> int:
    digits = re.sub(r"\D", "", contract_id)
    if not digits:
        raise ValueError(f"contract id without digits: {contract_id!r}")
    return int(digits)


def _ts(text: str) -> dt.datetime | None:
    if not text:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC).replace(tzinfo=None)


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _seed(name: str) -> list[dict[str, str]]:
    with (PROJECT_ROOT / "seeds" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rails_zone(iana: str) -> str:
    """A Rails name the seed maps to `iana` (UTC is Etc/UTC there), preferring one that differs from it."""
    wanted = {"UTC": "Etc/UTC"}.get(iana, iana)
    names = sorted(row["rails_name"] for row in _seed("zendesk_time_zones") if row["iana_name"] == wanted)
    if not names:
        raise ValueError(f"no Rails time zone maps to {iana}")
    return names[-1] if names[-1] != iana else names[0]


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


class _Table:
    def __init__(self, name: str) -> None:
        self.name = name
        self.names = columns.schema(name).names
        self.rows: list[dict[str, object]] = []

    def add(self, **values: object) -> None:
        unknown = set(values) - set(self.names)
        if unknown:
            raise ValueError(f"{self.name}: unknown columns {sorted(unknown)}")
        self.rows.append(values)

    def write(self, folder: Path) -> None:
        table = columns.build(self.name, {name: [row.get(name) for row in self.rows] for name in self.names})
        pq.write_table(table, folder / f"{self.name}.parquet")


def write_tables(folder: Path, tables: dict[str, list[dict[str, object]]]) -> None:
    """Write hand-made connector rows (a dict per row; columns left out are null) as `<table>.parquet` files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        table = _Table(name)
        for row in rows:
            table.add(**row)
        table.write(folder)


def export_zendesk(contract: Path, out: Path, deleted_tickets: int = 12) -> ExportIds:
    """Write the Zendesk tables for the contract sample in `contract` into `out` (parquet, one file a table)."""
    out.mkdir(parents=True, exist_ok=True)
    ids = ExportIds()
    tables = {
        name: _Table(name)
        for name in (
            "ticket",
            "ticket_comment",
            "ticket_field_history",
            "ticket_schedule",
            "user",
            "group",
            "brand",
            "schedule",
            "schedule_holiday",
        )
    }
    synced = dt.datetime(2026, 11, 1)

    # Users: agents (tier 3 agents are admins, also agents for the contract), then customers (end-users).
    for agent in _rows(contract, "agents"):
        ids.agents[agent["agent_id"]] = AGENT_BASE + _number(agent["agent_id"])
        hired = dt.datetime.fromisoformat(agent["hired_at"])
        tables["user"].add(
            id=ids.agents[agent["agent_id"]],
            name=agent["name"],
            email=agent["email"],
            role="admin" if agent["tier"] == "3" else "agent",
            created_at=hired,
            updated_at=hired,
            active=not agent["terminated_at"],
            suspended=False,
            _fivetran_deleted=False,
            _fivetran_synced=synced,
        )
    customers = {
        row["customer_id"]: CUSTOMER_BASE + _number(row["customer_id"]) for row in _rows(contract, "customers")
    }
    for customer in _rows(contract, "customers"):
        tables["user"].add(
            id=customers[customer["customer_id"]],
            name=f"Customer {customer['customer_id']}",
            role="end-user",
            created_at=_ts(customer["created_at"]),
            updated_at=_ts(customer["created_at"]),
            active=True,
            suspended=False,
            _fivetran_deleted=False,
            _fivetran_synced=synced,
        )

    # Schedules from the shipped seeds: `default` first created, the others later, in seed order.
    schedule_rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _seed("business_schedules"):
        schedule_rows[row["schedule_id"]].append(row)
    order = ["default", *[name for name in schedule_rows if name != "default"]]
    for position, name in enumerate(order):
        ids.schedules[name] = SCHEDULE_BASE + position
        zone = rails_zone(schedule_rows[name][0]["timezone"])
        for row in schedule_rows[name]:
            day = int(row["day_of_week"]) % 7  # Zendesk weeks start on Sunday
            tables["schedule"].add(
                id=ids.schedules[name],
                name=name,
                created_at=dt.datetime(2019, 1, 1) + dt.timedelta(days=30 * position),
                time_zone=zone,
                start_time=1440 * day + _minutes(row["start_time"]),
                end_time=1440 * day + _minutes(row["end_time"]),
                _fivetran_deleted=False,
                _fivetran_synced=synced,
            )
    holiday_dates: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for row in _seed("holidays"):
        holiday_dates[row["schedule_id"]].append((dt.date.fromisoformat(row["holiday_date"]), row["name"]))
    holiday_id = 0
    for name, dates in holiday_dates.items():
        spans: list[list[object]] = []
        for day, title in sorted(dates):
            if spans and spans[-1][1] == day - dt.timedelta(days=1):
                spans[-1][1] = day  # consecutive dates: one Zendesk holiday spanning them
            else:
                spans.append([day, day, title])
        for start, end, title in spans:
            holiday_id += 1
            tables["schedule_holiday"].add(
                id=holiday_id,
                schedule_id=ids.schedules[name],
                name=title,
                start_date=start,
                end_date=end,
                _fivetran_deleted=False,
                _fivetran_synced=synced,
            )

    tickets = _rows(contract, "tickets")
    groups = {team: 300 + i for i, team in enumerate(sorted({t["team"] for t in tickets if t["team"]}))}
    brands = {product: 400 + i for i, product in enumerate(sorted({t["product"] for t in tickets if t["product"]}))}
    for team, group_id in groups.items():
        tables["group"].add(id=group_id, name=team, _fivetran_deleted=False, _fivetran_synced=synced)
    for product, brand_id in brands.items():
        tables["brand"].add(id=brand_id, name=product, _fivetran_deleted=False, _fivetran_synced=synced)

    requester: dict[str, int | None] = {}
    created: dict[str, dt.datetime] = {}
    for position, ticket in enumerate(tickets):
        ticket_id = _number(ticket["ticket_id"])
        requester[ticket["ticket_id"]] = customers.get(ticket["customer_id"]) if ticket["customer_id"] else None
        created[ticket["ticket_id"]] = _ts(ticket["created_at"])
        tables["ticket"].add(
            id=ticket_id,
            created_at=created[ticket["ticket_id"]],
            updated_at=_ts(ticket["updated_at"]),
            status="hold" if ticket["status"] == "on_hold" else ticket["status"],
            priority=ticket["priority"] or None,
            type=ticket["category"] or None,
            subject=ticket["subject"],
            via_channel=VIA_CHANNEL[ticket["channel"]],
            requester_id=requester[ticket["ticket_id"]],
            submitter_id=requester[ticket["ticket_id"]],
            assignee_id=ids.agents.get(ticket["assignee_id"]),
            group_id=groups.get(ticket["team"]),
            brand_id=brands.get(ticket["product"]),
            _fivetran_deleted=False,
            _fivetran_synced=synced,
        )
        if ticket["schedule_id"]:
            # Zendesk stamps the trigger-applied schedule a moment after creation.
            tables["ticket_schedule"].add(
                ticket_id=ticket_id,
                created_at=created[ticket["ticket_id"]] + dt.timedelta(seconds=position % 4),
                schedule_id=ids.schedules[ticket["schedule_id"]],
                _fivetran_synced=synced,
            )
            if position % 5 == 0:  # moved to another schedule two days later: not the schedule at creation
                tables["ticket_schedule"].add(
                    ticket_id=ticket_id,
                    created_at=created[ticket["ticket_id"]] + dt.timedelta(days=2),
                    schedule_id=ids.schedules["default"],
                    _fivetran_synced=synced,
                )

    comment_id = 0
    for event in _rows(contract, "ticket_events"):
        ticket_id = _number(event["ticket_id"])
        at = _ts(event["occurred_at"])
        actor = event["actor_type"]
        user_id = (
            ids.agents[event["actor_id"]]
            if actor == "agent"
            else requester[event["ticket_id"]]
            if actor == "customer"
            else None
        )
        if event["event_type"] == "message" and actor in ("agent", "customer"):
            comment_id += 1
            tables["ticket_comment"].add(
                id=comment_id,
                ticket_id=ticket_id,
                user_id=user_id,
                created=at,
                public=event["is_public"] == "true" if event["is_public"] else None,
                body=event["body"],
                _fivetran_deleted=False,
                _fivetran_synced=synced,
            )
        elif event["event_type"] == "status_change":
            status = "hold" if event["new_status"] == "on_hold" else event["new_status"]
            history(tables, ticket_id, "status", at, status, user_id)
        elif event["event_type"] == "assignment":
            history(tables, ticket_id, "assignee_id", at, _text(ids.agents.get(event["new_assignee_id"])), user_id)
            history(tables, ticket_id, "group_id", at, _text(groups.get(event["new_team"])), user_id)

    for survey in _rows(contract, "surveys"):
        if survey["survey_type"] != "csat" or not survey["ticket_id"]:
            continue
        low = float(survey["scale_min"] or 1)
        high = float(survey["scale_max"] or 5)
        satisfied = (float(survey["score"]) - low) / (high - low) >= 0.75
        rating = ("good" if satisfied else "bad") + ("withcomment" if survey["comment"] else "")
        at = _ts(survey["responded_at"])
        ticket_id = _number(survey["ticket_id"])
        user_id = requester.get(survey["ticket_id"])
        history(tables, ticket_id, "satisfaction_score", at - dt.timedelta(hours=1), "offered", None)
        history(tables, ticket_id, "satisfaction_score", at, rating, user_id)
        if survey["comment"]:
            history(tables, ticket_id, "satisfaction_comment", at, survey["comment"], user_id)

    # SLA targets are the field history's SLA rows. Zendesk applies its policy's targets when the ticket is created:
    # the contract's priority x channel rule becomes one row per ticket and metric at creation (unless the ticket's
    # own target already applies by then), and contract v2 per-ticket targets are later rows.
    own_targets = _rows(contract, "ticket_sla_targets") if (contract / "ticket_sla_targets.csv").exists() else []
    own_by_creation = {
        (target["ticket_id"], target["metric"])
        for target in own_targets
        if _ts(target["applied_at"]) <= created[target["ticket_id"]]
    }
    policies = _rows(contract, "sla_policies") if (contract / "sla_policies.csv").exists() else []
    for ticket in tickets:
        # A ticket without a priority is `normal`, on the contract path and in Zendesk.
        policy = _matching_policy(policies, ticket["priority"] or "normal", ticket["channel"])
        for metric, column in (
            ("first_response", "first_response_minutes"),
            ("next_response", "next_response_minutes"),
            ("resolution", "resolution_minutes"),
        ):
            if policy is None or not policy.get(column) or (ticket["ticket_id"], metric) in own_by_creation:
                continue
            history(
                tables,
                _number(ticket["ticket_id"]),
                SLA_FIELDS[metric],
                _ts(ticket["created_at"]),
                _sla_value(policy[column], policy["business_hours"]),
                None,
            )
    for target in own_targets:
        history(
            tables,
            _number(target["ticket_id"]),
            SLA_FIELDS[target["metric"]],
            _ts(target["applied_at"]),
            _sla_value(target["target_minutes"], target["business_hours"]),
            None,
        )

    # Deleted tickets, with a comment, a status history and a rating: all must be left out.
    first = min(created.values())
    for n in range(deleted_tickets):
        ticket_id = DELETED_BASE + n
        ids.deleted_tickets.append(ticket_id)
        at = first + dt.timedelta(days=3 * n, hours=5)
        by_status = n % 2 == 0
        tables["ticket"].add(
            id=ticket_id,
            created_at=at,
            updated_at=at + dt.timedelta(hours=2),
            status="deleted" if by_status else "open",
            via_channel="email",
            requester_id=next(iter(customers.values())),
            _fivetran_deleted=not by_status,
            _fivetran_synced=synced,
        )
        comment_id += 1
        tables["ticket_comment"].add(
            id=comment_id,
            ticket_id=ticket_id,
            user_id=next(iter(customers.values())),
            created=at,
            public=True,
            body="spam",
            _fivetran_deleted=False,
            _fivetran_synced=synced,
        )
        history(tables, ticket_id, "status", at, "new", None)
        history(tables, ticket_id, "satisfaction_score", at + dt.timedelta(hours=1), "bad", None)
        if by_status:
            history(tables, ticket_id, "status", at + dt.timedelta(hours=2), "deleted", None)

    for table in tables.values():
        table.write(out)
    return ids


def _matching_policy(policies: list[dict[str, str]], priority: str, channel: str) -> dict[str, str] | None:
    """The contract's rule: the policy of the ticket's priority, an exact channel beating `*`."""
    matches = [p for p in policies if p["priority"] == priority and p["channel"] in (channel, "*")]
    return min(matches, key=lambda p: p["channel"] == "*", default=None)


def _sla_value(minutes_text: str, business_hours: str) -> str:
    minutes = float(minutes_text)
    value = {
        "minutes": int(minutes) if minutes.is_integer() else minutes,  # Zendesk writes whole minutes
        "in_business_hours": business_hours != "false",  # null means business minutes, as in the contract
    }
    return json.dumps(value)


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)


def history(
    tables: dict[str, _Table], ticket_id: int, name: str, at: dt.datetime, value: str | None, user_id: int | None
) -> None:
    tables["ticket_field_history"].add(
        ticket_id=ticket_id, field_name=name, updated=at, value=value, user_id=user_id, _fivetran_synced=synced_at(at)
    )


def synced_at(at: dt.datetime) -> dt.datetime:
    return at + dt.timedelta(minutes=15)
