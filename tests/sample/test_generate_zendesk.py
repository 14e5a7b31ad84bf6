"""The Zendesk sample generator: the connector's tables, deterministic, consistent, and every trap present."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from support_kpis.commands import generate
from support_kpis.sample import SampleConfig
from support_kpis.sample.zendesk import calendars, columns, generate_zendesk_sample

Rows = list[dict[str, str]]
TICKETS = 2_000
START, END = "2025-10-01T00:00:00", "2026-10-31T23:59:59"  # the default range
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")  # ISO 8601, UTC without an offset
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
AGENT_ROLES = {"agent", "admin"}


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    generate.add_arguments(parser)
    return generate.run(parser.parse_args(list(argv)))


def _read(folder: Path, table: str) -> Rows:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Small chunks: ticket and comment ids must continue across chunk boundaries.
    out = tmp_path_factory.mktemp("zendesk")
    generate_zendesk_sample(SampleConfig(tickets=TICKETS, seed=42, tickets_per_chunk=700), out, "csv")
    return out


@pytest.fixture(scope="module")
def tables(sample: Path) -> dict[str, Rows]:
    return {table: _read(sample, table) for table in columns.TABLES}


@pytest.fixture(scope="module")
def history(tables: dict[str, Rows]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(ticket, field) -> [(updated, value)] in time order (file order breaks ties)."""
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for row in tables["ticket_field_history"]:
        grouped[(row["ticket_id"], row["field_name"])].append((row["updated"], row["value"]))
    for changes in grouped.values():
        changes.sort(key=lambda change: change[0])
    return grouped


@pytest.fixture(scope="module")
def roles(tables: dict[str, Rows]) -> dict[str, str]:
    return {user["id"]: user["role"] for user in tables["user"]}


def test_one_file_per_declared_table_with_the_declared_columns(sample: Path, tables: dict[str, Rows]) -> None:
    assert sorted(p.name for p in sample.iterdir()) == sorted(f"{t}.csv" for t in columns.TABLES)
    for table in columns.TABLES:
        with (sample / f"{table}.csv").open(encoding="utf-8") as f:
            assert f.readline().rstrip("\n").split(",") == columns.schema(table).names, table
        assert tables[table], f"{table} is empty"


def test_the_tables_dbt_zendesk_reads_are_all_there() -> None:
    expected = {"ticket", "ticket_comment", "ticket_field_history", "ticket_schedule", "ticket_tag", "user"}
    expected |= {"organization", "group", "brand", "schedule", "schedule_holiday", "time_zone", "daylight_time"}
    assert expected | {"sla_policy_metric_history"} == set(columns.TABLES)
    assert {"id", "via_channel", "requester_id", "submitter_id", "merged_ticket_ids", "_fivetran_deleted"} <= set(
        columns.schema("ticket").names
    )
    history_columns = ["ticket_id", "field_name", "updated", "value", "user_id"]
    assert columns.schema("ticket_field_history").names[:5] == history_columns


def test_parquet_is_deterministic_with_the_declared_columns_and_naive_timestamps(tmp_path: Path) -> None:
    for name in ("a", "b"):
        generate_zendesk_sample(SampleConfig(tickets=200, seed=3), tmp_path / name, "parquet")
    for table in columns.TABLES:
        a, b = (tmp_path / name / f"{table}.parquet" for name in ("a", "b"))
        assert a.read_bytes() == b.read_bytes(), table
        read = pq.read_schema(a)
        assert read.names == columns.schema(table).names, table
        for field in read:
            if pa.types.is_timestamp(field.type):
                assert field.type.tz is None, (table, field.name)


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        assert _cli("--source", "zendesk", "--tickets", "300", "--seed", seed, "--out", str(tmp_path / name)) == 0
    for table in columns.TABLES:
        a, b = (tmp_path / d / f"{table}.csv" for d in ("a", "b"))
        assert a.read_bytes() == b.read_bytes(), table
    assert (tmp_path / "a" / "ticket.csv").read_bytes() != (tmp_path / "c" / "ticket.csv").read_bytes()


def test_ids_are_unique(tables: dict[str, Rows]) -> None:
    for table in ("ticket", "ticket_comment", "user", "organization", "group", "brand", "schedule_holiday"):
        ids = [row["id"] for row in tables[table]]
        assert len(ids) == len(set(ids)), table
    assert len(tables["ticket"]) == TICKETS


def test_every_reference_points_at_an_existing_row(tables: dict[str, Rows], roles: dict[str, str]) -> None:
    tickets = {t["id"] for t in tables["ticket"]}
    orgs = {o["id"] for o in tables["organization"]}
    groups = {g["id"] for g in tables["group"]}
    brands = {b["id"] for b in tables["brand"]}
    schedules = {s["id"] for s in tables["schedule"]}
    for comment in tables["ticket_comment"]:
        assert comment["ticket_id"] in tickets and comment["user_id"] in roles
    for row in tables["ticket_field_history"]:
        assert row["ticket_id"] in tickets
        assert row["user_id"] == "" or row["user_id"] in roles
    for table in ("ticket_schedule", "ticket_tag"):
        assert {row["ticket_id"] for row in tables[table]} <= tickets
    assert {row["schedule_id"] for row in tables["ticket_schedule"]} <= schedules
    assert {row["schedule_id"] for row in tables["schedule_holiday"]} <= schedules
    for ticket in tables["ticket"]:
        assert roles[ticket["requester_id"]] == "end-user"
        assert ticket["submitter_id"] in roles
        assert ticket["assignee_id"] == "" or roles[ticket["assignee_id"]] in AGENT_ROLES
        assert ticket["organization_id"] == "" or ticket["organization_id"] in orgs
        assert ticket["group_id"] in groups and ticket["brand_id"] in brands
    for user in tables["user"]:
        assert user["organization_id"] == "" or user["organization_id"] in orgs
    zones = {z["time_zone"] for z in tables["time_zone"]}
    assert {s["time_zone"] for s in tables["schedule"]} | {u["time_zone"] for u in tables["user"]} <= zones
    assert {d["time_zone"] for d in tables["daylight_time"]} <= zones


def test_timestamps_are_utc_iso_without_offset_and_inside_the_range(tables: dict[str, Rows]) -> None:
    for table in columns.TABLES:
        for field in columns.schema(table):
            values = [row[field.name] for row in tables[table] if row[field.name] != ""]
            if pa.types.is_timestamp(field.type):
                assert all(TIMESTAMP.match(v) for v in values), (table, field.name)
            elif pa.types.is_date(field.type):
                assert all(DATE.match(v) for v in values), (table, field.name)
    for ticket in tables["ticket"]:
        assert START <= ticket["created_at"] <= ticket["updated_at"] <= END
    assert all(START <= c["created"] <= END for c in tables["ticket_comment"])
    assert all(START <= h["updated"] <= END for h in tables["ticket_field_history"])


def test_ticket_state_is_the_last_change_in_its_history(
    tables: dict[str, Rows], history: dict[tuple[str, str], list[tuple[str, str]]]
) -> None:
    for ticket in tables["ticket"]:
        assert history[(ticket["id"], "status")][-1][1] == ticket["status"]
        assert history[(ticket["id"], "group_id")][-1][1] == ticket["group_id"]
        assignments = history.get((ticket["id"], "assignee_id"))
        assert (assignments[-1][1] if assignments else "") == ticket["assignee_id"]


def test_users_have_every_role(roles: dict[str, str]) -> None:
    assert set(roles.values()) == {"end-user", "agent", "admin"}


def test_agent_created_tickets_occur(tables: dict[str, Rows], roles: dict[str, str]) -> None:
    first_comment: dict[str, dict[str, str]] = {}
    for comment in tables["ticket_comment"]:
        earlier = first_comment.get(comment["ticket_id"])
        if earlier is None or (comment["created"], int(comment["id"])) < (earlier["created"], int(earlier["id"])):
            first_comment[comment["ticket_id"]] = comment
    agent_created = [t for t in tables["ticket"] if roles[t["submitter_id"]] in AGENT_ROLES]
    assert agent_created
    assert all(roles[first_comment[t["id"]]["user_id"]] in AGENT_ROLES for t in agent_created)


def test_internal_notes_and_tickets_answered_with_internal_notes_only(
    tables: dict[str, Rows], roles: dict[str, str]
) -> None:
    public_agent, private_agent = set(), set()
    for comment in tables["ticket_comment"]:
        if roles[comment["user_id"]] in AGENT_ROLES:
            (public_agent if comment["public"] == "true" else private_agent).add(comment["ticket_id"])
    solved = {t["id"] for t in tables["ticket"] if t["status"] in ("solved", "closed")}
    assert private_agent - public_agent & solved


def test_reopens_after_solve_occur(history: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
    def reopened(changes: list[tuple[str, str]]) -> bool:
        values = [value for _, value in changes]
        return any(a == "solved" and b == "open" for a, b in pairwise(values))

    assert any(reopened(changes) for (_, name), changes in history.items() if name == "status")


def test_merged_tickets_are_closed_and_listed_by_their_target(tables: dict[str, Rows]) -> None:
    by_id = {t["id"]: t for t in tables["ticket"]}
    tags = defaultdict(set)
    for row in tables["ticket_tag"]:
        tags[row["ticket_id"]].add(row["tag"])
    targets = [t for t in tables["ticket"] if t["merged_ticket_ids"]]
    merged = [(target, source) for target in targets for source in json.loads(target["merged_ticket_ids"])]
    assert merged
    for target, source in merged:
        away = by_id[str(source)]
        assert away["status"] == "closed" and "closed_by_merge" in tags[away["id"]]
        assert away["created_at"] <= target["updated_at"] and away["requester_id"] == target["requester_id"]


def test_deleted_tickets_occur_both_ways(tables: dict[str, Rows]) -> None:
    assert any(t["status"] == "deleted" for t in tables["ticket"])
    assert any(t["_fivetran_deleted"] == "true" for t in tables["ticket"])


def test_schedules_cross_dst_changes_in_both_hemispheres(tables: dict[str, Rows]) -> None:
    periods = defaultdict(list)
    for row in tables["daylight_time"]:
        periods[row["time_zone"]].append((row["daylight_start_utc"], row["daylight_end_utc"]))
        assert row["daylight_start_utc"] < row["daylight_end_utc"] and int(row["daylight_offset"]) > 0
    schedule_zones = {s["time_zone"] for s in tables["schedule"]}
    crossing = {
        zone for zone in schedule_zones for begin, end in periods[zone] if START <= begin <= END or START <= end <= END
    }
    assert len(crossing) >= 2
    # A southern-hemisphere zone: its daylight period runs over the new year.
    assert any(begin[:4] < end[:4] for zone in crossing for begin, end in periods[zone])
    for schedule in tables["schedule"]:
        assert 0 <= int(schedule["start_time"]) < int(schedule["end_time"]) <= 7 * 24 * 60


def test_a_holiday_spans_two_days_inside_the_range(tables: dict[str, Rows]) -> None:
    two_day = [
        h
        for h in tables["schedule_holiday"]
        if dt.date.fromisoformat(h["end_date"]) - dt.date.fromisoformat(h["start_date"]) == dt.timedelta(days=1)
        and START[:10] <= h["start_date"] <= END[:10]
    ]
    assert two_day


def test_tickets_change_schedule(tables: dict[str, Rows]) -> None:
    schedules = defaultdict(list)
    for row in sorted(tables["ticket_schedule"], key=lambda r: r["created_at"]):
        schedules[row["ticket_id"]].append(row["schedule_id"])
    assert set(schedules) == {t["id"] for t in tables["ticket"]}  # every ticket gets one at creation
    assert any(len(set(ids)) > 1 for ids in schedules.values())


def test_sla_targets_are_json_and_change_mid_life(
    tables: dict[str, Rows], history: dict[tuple[str, str], list[tuple[str, str]]]
) -> None:
    changed = by_policy = 0
    for (ticket, name), changes in history.items():
        if name not in ("first_reply_time", "next_reply_time", "total_resolution_time"):
            continue
        targets = [json.loads(value) for _, value in changes]
        for target in targets:
            assert set(target) == {"minutes", "in_business_hours"}
            assert target["minutes"] > 0 and isinstance(target["in_business_hours"], bool)
        if name == "first_reply_time" and len({t["minutes"] for t in targets}) > 1 and changes[0][0] < changes[-1][0]:
            changed += 1
            priority_changes = {when for when, _ in history.get((ticket, "priority"), [])}
            by_policy += changes[-1][0] not in priority_changes
    assert changed and by_policy  # both a priority change and the policy's own change re-target tickets
    # The policies themselves are tightened once: consecutive versions meet without a gap.
    versions = defaultdict(list)
    for row in tables["sla_policy_metric_history"]:
        versions[(row["sla_policy_id"], row["metric"], row["priority"])].append(row)
    assert any(len({v["target"] for v in rows}) > 1 for rows in versions.values())
    for rows in versions.values():
        rows.sort(key=lambda r: r["valid_starting_at"])
        assert all(a["valid_ending_at"] == b["valid_starting_at"] for a, b in pairwise(rows))
        assert rows[-1]["valid_ending_at"] == ""


def test_csat_is_offered_rated_and_a_bad_rating_turns_good(
    history: dict[tuple[str, str], list[tuple[str, str]]],
) -> None:
    ratings = [[v for _, v in changes] for (_, name), changes in history.items() if name == "satisfaction_score"]
    values = {value for rated in ratings for value in rated}
    assert {"offered", "good", "bad"} <= values <= {"offered", "good", "goodwithcomment", "bad", "badwithcomment"}
    assert any(rated == ["offered"] for rated in ratings)  # offered, never answered

    def bad_then_good(rated: list[str]) -> bool:
        bad = [i for i, v in enumerate(rated) if v.startswith("bad")]
        return bool(bad) and any(v.startswith("good") for v in rated[bad[0] + 1 :])

    assert any(bad_then_good(rated) for rated in ratings)


def test_tags_and_channels(tables: dict[str, Rows]) -> None:
    assert all(row["tag"] for row in tables["ticket_tag"])
    assert len({row["tag"] for row in tables["ticket_tag"]}) >= 5
    assert {"email", "web", "chat", "voice"} <= {t["via_channel"] for t in tables["ticket"]}


def test_a_field_changes_at_most_once_per_instant(tables: dict[str, Rows]) -> None:
    # One Zendesk update records each field once; same-second rows would leave the order to chance.
    keys = [(row["ticket_id"], row["field_name"], row["updated"]) for row in tables["ticket_field_history"]]
    assert len(keys) == len(set(keys))


def test_shares_follow_the_declared_mix(tables: dict[str, Rows]) -> None:
    channels = defaultdict(int)
    for ticket in tables["ticket"]:
        channels[ticket["via_channel"]] += 1
    # Email is the biggest channel by far; a flat mix would mean the weights were ignored.
    assert max(channels, key=lambda c: channels[c]) == "email"
    assert channels["email"] > 3 * channels["twitter"]


def test_agents_reply_within_their_schedules_hours_in_local_time(
    tables: dict[str, Rows], roles: dict[str, str]
) -> None:
    """Checked against the schedule table itself (minutes from Sunday, local time), DST included."""
    weekly = defaultdict(list)
    zone_of = {}
    for row in tables["schedule"]:
        weekly[row["id"]].append((int(row["start_time"]), int(row["end_time"])))
        zone_of[row["id"]] = ZoneInfo(calendars.ZONES[row["time_zone"]])
    schedules = defaultdict(list)
    for row in sorted(tables["ticket_schedule"], key=lambda r: r["created_at"]):
        schedules[row["ticket_id"]].append((row["created_at"], row["schedule_id"]))
    calm = {t["id"] for t in tables["ticket"] if t["priority"] != "urgent" and not t["merged_ticket_ids"]}
    inside = outside = 0
    for comment in tables["ticket_comment"]:
        if comment["ticket_id"] not in calm or roles[comment["user_id"]] not in AGENT_ROLES:
            continue
        schedule = [sid for since, sid in schedules[comment["ticket_id"]] if since <= comment["created"]][-1]
        moment = dt.datetime.fromisoformat(comment["created"]).replace(tzinfo=dt.UTC).astimezone(zone_of[schedule])
        minute = (moment.isoweekday() % 7) * 1440 + moment.hour * 60 + moment.minute
        if any(start <= minute < end for start, end in weekly[schedule]):
            inside += 1
        else:
            outside += 1
    assert inside > 9 * outside


def test_incidents_link_to_problem_tickets(tables: dict[str, Rows]) -> None:
    by_id = {t["id"]: t for t in tables["ticket"]}
    linked = [t for t in tables["ticket"] if t["problem_id"]]
    assert linked
    for incident in linked:
        problem = by_id[incident["problem_id"]]
        assert incident["type"] == "incident" and problem["type"] == "problem"
        assert problem["has_incidents"] == "true" and problem["created_at"] <= incident["created_at"]


def test_deleted_end_users_keep_their_tickets(tables: dict[str, Rows]) -> None:
    gone = {u["id"] for u in tables["user"] if u["_fivetran_deleted"] == "true"}
    assert gone and all(u["role"] == "end-user" for u in tables["user"] if u["id"] in gone)
    assert any(t["requester_id"] in gone for t in tables["ticket"])
