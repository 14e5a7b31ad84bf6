"""Who and what tickets point at: brands, groups, organizations and users (end-users, agents, admins).

Users are split by role the way a Zendesk account is: many end-users (most in an
organization), a few dozen agents each in a home group, and a handful of admins who also
answer tickets now and then (the adapter must count an admin's reply as an agent's).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pyarrow as pa

from support_kpis.sample import clock, vocab
from support_kpis.sample.config import SampleConfig
from support_kpis.sample.zendesk import columns, ids

BRANDS = (("Acme Cloud", "acme"), ("Acme Pay", "acmepay"), ("Acme Mobile", "acmemobile"))
GROUPS = ("Support", "Billing", "Technical", "Onboarding", "Escalations")
ESCALATIONS = len(GROUPS) - 1
REGIONS = ("emea", "americas", "apac")  # the order of support_kpis.sample.arrivals.REGIONS
REGION_ZONES = {
    "emea": ("Berlin", "London"),
    "americas": ("Eastern Time (US & Canada)", "Central Time (US & Canada)", "Pacific Time (US & Canada)", "Arizona"),
    "apac": ("Sydney", "Tokyo"),
}
_ORG_SUFFIXES = ("GmbH", "Ltd", "Inc.", "Pty Ltd", "K.K.", "LLC", "& Sons", "Group")
ADMINS = 3
ENTERPRISE_SHARE = 0.15
# Every this-many-th end-user was deleted in Zendesk since; the connector keeps them, flagged,
# with their tickets and comments: an adapter must not drop those along with the user.
DELETED_END_USER_EVERY = 50  # organizations on the calendar-hours (enterprise) SLA policy


@dataclass(frozen=True)
class Directory:
    end_users_by_region: tuple[list[int], ...]
    user_organization: dict[int, int | None]
    enterprise_organizations: frozenset[int]
    agents_by_group: tuple[list[int], ...]
    admins: list[int]
    tables: dict[str, pa.Table]


def _url(kind: str, entity_id: int) -> str:
    return f"https://acme.zendesk.com/api/v2/{kind}/{entity_id}.json"


def _name(rnd: random.Random) -> str:
    return f"{rnd.choice(vocab.FIRST_NAMES)} {rnd.choice(vocab.LAST_NAMES)}"


def make_directory(config: SampleConfig, rnd: random.Random, synced: int) -> Directory:
    before = config.start_ts - 400 * clock.DAY  # the account existed long before the sample's range
    brand_rows = {
        "id": [ids.BRAND + i for i in range(len(BRANDS))],
        "name": [name for name, _ in BRANDS],
        "active": [True] * len(BRANDS),
        "default": [i == 0 for i in range(len(BRANDS))],
        "brand_url": [f"https://{sub}.zendesk.com" for _, sub in BRANDS],
        "subdomain": [sub for _, sub in BRANDS],
        "has_help_center": [True, True, False],
        "help_center_state": ["enabled", "enabled", "disabled"],
        "url": [_url("brands", ids.BRAND + i) for i in range(len(BRANDS))],
        "_fivetran_synced": [synced] * len(BRANDS),
        "_fivetran_deleted": [False] * len(BRANDS),
    }
    group_ids = [ids.GROUP + i for i in range(len(GROUPS))]
    group_rows = {
        "id": group_ids,
        "name": list(GROUPS),
        "created_at": [before + i * 30 * clock.DAY for i in range(len(GROUPS))],
        "updated_at": [before + 200 * clock.DAY] * len(GROUPS),
        "url": [_url("groups", g) for g in group_ids],
        "_fivetran_synced": [synced] * len(GROUPS),
        "_fivetran_deleted": [False] * len(GROUPS),
    }

    n_orgs = max(10, config.tickets // 200)
    org_ids = [ids.ORGANIZATION + i for i in range(n_orgs)]
    enterprise = frozenset(o for o in org_ids if rnd.random() < ENTERPRISE_SHARE)
    org_created = [before + rnd.randrange(300 * clock.DAY) for _ in org_ids]
    org_rows = {
        "id": org_ids,
        "name": [f"{rnd.choice(vocab.LAST_NAMES)} {rnd.choice(_ORG_SUFFIXES)} {i + 1}" for i in range(n_orgs)],
        "group_id": [group_ids[0] if o in enterprise else None for o in org_ids],
        "created_at": org_created,
        "updated_at": [c + rnd.randrange(90 * clock.DAY) for c in org_created],
        "external_id": [None] * n_orgs,
        "shared_comments": [False] * n_orgs,
        "shared_tickets": [o in enterprise for o in org_ids],
        "url": [_url("organizations", o) for o in org_ids],
        "_fivetran_synced": [synced] * n_orgs,
    }

    users: dict[str, list[object]] = {name: [] for name in columns.schema("user").names}
    by_region: tuple[list[int], ...] = tuple([] for _ in REGIONS)
    user_org: dict[int, int | None] = {}
    agents_by_group: tuple[list[int], ...] = tuple([] for _ in GROUPS)
    admins: list[int] = []

    def add(user_id: int, role: str, zone: str, org: int | None, created: int, gone: bool = False) -> None:
        name = _name(rnd)
        users["id"].append(user_id)
        users["name"].append(name)
        domain = "acme.example" if role != "end-user" else "customer.example"
        users["email"].append(f"{name.lower().replace(' ', '.')}.{user_id % 100_000}@{domain}")
        users["role"].append(role)
        users["organization_id"].append(org)
        users["created_at"].append(created)
        users["updated_at"].append(created + rnd.randrange(30 * clock.DAY))
        users["last_login_at"].append(
            None if role == "end-user" and rnd.random() < 0.6 else config.end_ts - rnd.randrange(20 * clock.DAY)
        )
        users["time_zone"].append(zone)
        users["locale"].append("de" if zone == "Berlin" else "ja" if zone == "Tokyo" else "en-US")
        users["phone"].append(f"+1555{user_id % 10_000_000:07d}" if rnd.random() < 0.3 else None)
        users["external_id"].append(None)
        users["active"].append(not gone)
        users["suspended"].append(role == "end-user" and rnd.random() < 0.01)
        users["verified"].append(role != "end-user" or rnd.random() < 0.8)
        users["restricted_agent"].append(role == "agent" and rnd.random() < 0.2)
        users["shared_agent"].append(False)
        users["moderator"].append(role == "admin")
        users["only_private_comments"].append(False)
        users["chat_only"].append(False)
        users["ticket_restriction"].append(
            "requested" if role == "end-user" else "assigned" if role == "agent" else None
        )
        users["url"].append(_url("users", user_id))
        users["_fivetran_synced"].append(synced)
        users["_fivetran_deleted"].append(gone)

    for i in range(ADMINS):
        admins.append(ids.ADMIN + i)
        add(ids.ADMIN + i, "admin", "Berlin", None, before)
    for i in range(config.n_agents):
        group = i % len(GROUPS)
        region = REGIONS[i % len(REGIONS)]
        agents_by_group[group].append(ids.AGENT + i)
        add(ids.AGENT + i, "agent", rnd.choice(REGION_ZONES[region]), None, before + rnd.randrange(500 * clock.DAY))
    for i in range(config.n_customers):
        region_index = i % len(REGIONS)
        org = rnd.choice(org_ids) if rnd.random() < 0.7 else None
        user_id = ids.END_USER + i
        by_region[region_index].append(user_id)
        user_org[user_id] = org
        created = before + rnd.randrange(config.start_ts - before)  # before any ticket they file
        gone = i % DELETED_END_USER_EVERY == DELETED_END_USER_EVERY - 1
        add(user_id, "end-user", rnd.choice(REGION_ZONES[REGIONS[region_index]]), org, created, gone)

    tables = {
        "brand": columns.build("brand", brand_rows),
        "group": columns.build("group", group_rows),
        "organization": columns.build("organization", org_rows),
        "user": columns.build("user", users),
    }
    return Directory(by_region, user_org, enterprise, agents_by_group, admins, tables)
