"""The sample-data generator: deterministic, shaped exactly like the contract, internally consistent, realistic."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from support_kpis.commands import generate
from support_kpis.contract import CONFIGURATION_TABLES, SOLVED_STATUSES, TABLES
from support_kpis.errors import UserError
from support_kpis.sample import SampleConfig, generate_sample
from support_kpis.sample.pipeline import WRITTEN_TABLES

Rows = list[dict[str, str]]
TICKETS = 600
RANGE_END = "2026-10-31T23:59:59Z"  # default --end, last second
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
# Contract order for events of one ticket at the same second.
TIE_RANK = {("message", "customer"): 0, "message": 1, "status_change": 2}


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    generate.add_arguments(parser)
    return generate.run(parser.parse_args(list(argv)))


def _read(folder: Path, table: str) -> Rows:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _tie_rank(event: dict[str, str]) -> int:
    return TIE_RANK.get((event["event_type"], event["actor_type"]), TIE_RANK.get(event["event_type"], 3))


def _events_by_ticket(events: Rows) -> dict[str, Rows]:
    """Each ticket's events in the contract's order: time, then the tie rule (file order last)."""
    grouped: dict[str, Rows] = defaultdict(list)
    for event in events:
        grouped[event["ticket_id"]].append(event)
    for history in grouped.values():
        history.sort(key=lambda e: (e["occurred_at"], _tie_rank(e)))  # sort is stable: file order last
    return grouped


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Small chunks so that ids, sessions and surveys are proven to continue across chunk boundaries.
    out = tmp_path_factory.mktemp("sample")
    config = SampleConfig(tickets=TICKETS, seed=42, tickets_per_chunk=250)
    generate_sample(config, out, "csv")
    return out


@pytest.fixture(scope="module")
def tables(sample: Path) -> dict[str, Rows]:
    return {table: _read(sample, table) for table in WRITTEN_TABLES}


@pytest.fixture(scope="module")
def histories(tables: dict[str, Rows]) -> dict[str, Rows]:
    return _events_by_ticket(tables["ticket_events"])


def test_same_arguments_give_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        assert _cli("--tickets", "300", "--seed", seed, "--out", str(tmp_path / name)) == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(f"{t}.csv" for t in WRITTEN_TABLES)
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    for table in ("tickets", "ticket_events", "surveys", "customers"):
        assert (tmp_path / "a" / f"{table}.csv").read_bytes() != (tmp_path / "c" / f"{table}.csv").read_bytes()


def test_only_data_tables_and_the_sla_policies_are_written(sample: Path) -> None:
    written = {p.name for p in sample.iterdir()}
    assert written == {f"{t}.csv" for t in WRITTEN_TABLES}
    # Its tickets' own SLA targets turn the shipped policies seed off, so the sample carries the policies.
    assert {t for t in CONFIGURATION_TABLES if f"{t}.csv" in written} == {"sla_policies"}


def test_every_file_has_exactly_the_contract_columns_in_order(sample: Path) -> None:
    for table in WRITTEN_TABLES:
        with (sample / f"{table}.csv").open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            widths = {len(row) for row in reader}
        assert tuple(header) == TABLES[table].column_names, table
        # Every record parses to the header's width: texts with commas, quotes and newlines are quoted right.
        assert widths == {len(header)}, table


def test_every_table_has_rows_and_unique_primary_keys(tables: dict[str, Rows]) -> None:
    for table, rows in tables.items():
        assert rows, table
        key = TABLES[table].primary_key
        values = [tuple(row[c] for c in key) for row in rows]
        assert all(all(v) for v in values), f"{table}: empty key"
        assert len(set(values)) == len(values), f"{table}: duplicate key"


def test_values_have_the_contract_formats_and_enumerations(tables: dict[str, Rows]) -> None:
    for table, rows in tables.items():
        for column in TABLES[table].columns:
            values = {row[column.name] for row in rows} - {""}
            if column.enum:
                assert values <= set(column.enum), f"{table}.{column.name}: {values - set(column.enum)}"
            if column.type == "timestamp":
                assert all(TIMESTAMP.match(v) for v in values), f"{table}.{column.name}"
            if column.type in ("date", "month"):
                assert all(DATE.match(v) for v in values), f"{table}.{column.name}"
            if column.type == "month":
                assert {v[-2:] for v in values} == {"01"}, f"{table}.{column.name}"
            if column.type == "boolean":
                assert values <= {"true", "false"}, f"{table}.{column.name}"
            if column.required:
                assert all(row[column.name] for row in rows), f"{table}.{column.name} is required"
    tickets = tables["tickets"]
    assert {t["category"] for t in tickets} == {"billing", "bug", "how-to", "account", "feature_request", ""}
    assert {t["schedule_id"] for t in tickets} == {"", "emea", "americas", "apac", "always_on"}
    assert {t["team"] for t in tickets} == {"billing", "technical", "general", ""}
    assert "" in {t["priority"] for t in tickets}
    assert "" in {t["customer_id"] for t in tickets}
    customers = tables["customers"]
    assert {c["segment"] for c in customers} == {"smb", "mid_market", "enterprise"}
    assert {c["region"] for c in customers} == {"emea", "americas", "apac"}
    assert {a["tier"] for a in tables["agents"]} == {"1", "2", "3"}
    assert all(re.fullmatch(r"T\d{7}", t["ticket_id"]) for t in tickets)


def test_events_belong_to_tickets_and_stay_inside_their_lifetime(tables: dict[str, Rows]) -> None:
    created = {t["ticket_id"]: t["created_at"] for t in tables["tickets"]}
    for event in tables["ticket_events"]:
        assert event["ticket_id"] in created
        # Same-format UTC timestamps compare correctly as strings.
        assert created[event["ticket_id"]] <= event["occurred_at"] <= RANGE_END, event["event_id"]
    assert all("2025-10-01T00:00:00Z" <= c <= RANGE_END for c in created.values())


def test_ticket_row_matches_its_history(tables: dict[str, Rows], histories: dict[str, Rows]) -> None:
    for ticket in tables["tickets"]:
        history = histories[ticket["ticket_id"]]
        changes = [e for e in history if e["event_type"] == "status_change"]
        # Status changes of a ticket never share a second, so "the last one" needs no tie rule.
        assert len({e["occurred_at"] for e in changes}) == len(changes), ticket["ticket_id"]
        assert ticket["status"] == (changes[-1]["new_status"] if changes else "new"), ticket["ticket_id"]
        assert ticket["updated_at"] == max(e["occurred_at"] for e in history)
        assignments = [e for e in history if e["event_type"] == "assignment"]
        if assignments:
            assert (ticket["assignee_id"], ticket["team"]) == (
                assignments[-1]["new_assignee_id"],
                assignments[-1]["new_team"],
            )
        else:
            assert (ticket["assignee_id"], ticket["team"]) == ("", "")


def test_event_columns_are_filled_by_event_kind(tables: dict[str, Rows]) -> None:
    agents = {a["agent_id"] for a in tables["agents"]}
    for e in tables["ticket_events"]:
        kind, actor = e["event_type"], e["actor_type"]
        assert (e["actor_id"] != "") == (actor == "agent"), e["event_id"]
        assert e["actor_id"] in agents | {""}
        assert (e["is_public"] != "") == (kind == "message")
        assert (e["new_status"] != "") == (kind == "status_change")
        assert (e["new_tier"] in ("2", "3")) == (kind == "escalation")
        assert e["new_assignee_id"] in agents | {""}
        if kind != "assignment":
            assert e["new_assignee_id"] == e["new_team"] == ""
        # Handle time is agent work on messages (replies, notes, calls); never negative.
        if e["handle_seconds"]:
            assert kind == "message" and actor == "agent" and int(e["handle_seconds"]) >= 0
        if kind == "message" and actor == "agent":
            assert e["handle_seconds"] != ""
        if actor == "bot":
            assert kind == "status_change" or e["is_public"] == "true"


def test_event_ids_and_file_order(tables: dict[str, Rows]) -> None:
    events = tables["ticket_events"]
    keys = [(e["ticket_id"], e["occurred_at"]) for e in events]
    out_of_order = sum(1 for a, b in pairwise(keys) if b < a)
    # Mostly sorted by ticket and time, but not always: readers must sort themselves.
    assert 0 < out_of_order < len(events) * 0.1


def test_realistic_mix_of_ticket_histories(tables: dict[str, Rows], histories: dict[str, Rows]) -> None:
    tickets = tables["tickets"]
    n = len(tickets)

    def share(predicate: Callable[[Rows, dict[str, str]], bool]) -> float:
        return sum(1 for t in tickets if predicate(histories[t["ticket_id"]], t)) / n

    def first_public_actor(history: Rows) -> str:
        talk = [e for e in history if e["event_type"] == "message" and e["is_public"] == "true"]
        talk = [e for e in talk if e["actor_type"] in ("customer", "agent")]
        return talk[0]["actor_type"] if talk else "none"

    def reopened(history: Rows) -> bool:
        statuses = ["new"] + [e["new_status"] for e in history if e["event_type"] == "status_change"]
        return any(a in SOLVED_STATUSES and b not in SOLVED_STATUSES for a, b in pairwise(statuses))

    def answered(history: Rows) -> bool:
        return any(e["actor_type"] == "agent" and e["is_public"] == "true" for e in history)

    assert 0.01 < share(lambda h, t: first_public_actor(h) == "agent") < 0.10
    assert 0.02 < share(lambda h, t: reopened(h)) < 0.15
    assert 0.02 < share(lambda h, t: any(e["event_type"] == "escalation" for e in h)) < 0.15
    assert 0.02 < share(lambda h, t: not answered(h)) < 0.15
    # Some tickets are still open at the end, and only recent ones: automation solves a
    # ticket left waiting for 4-10 days, so the backlog cannot grow without bound.
    still_open = [t for t in tickets if t["status"] not in SOLVED_STATUSES]
    assert still_open
    range_end = max(e["occurred_at"] for e in tables["ticket_events"])
    cutoff = (dt.datetime.fromisoformat(range_end) - dt.timedelta(days=10)).isoformat().replace("+00:00", "Z")
    assert all(max(e["occurred_at"] for e in histories[t["ticket_id"]]) >= cutoff for t in still_open)
    assert share(lambda h, t: t["status"] == "closed") > 0.2
    assert share(lambda h, t: any(e["is_public"] == "false" for e in h)) > 0.05
    # A reply and the status it sets in the same second: exercises the contract's tie rule.
    assert share(lambda h, t: len({e["occurred_at"] for e in h}) < len(h)) > 0.2
    bot_channels = {t["channel"] for t in tickets if any(e["actor_type"] == "bot" for e in histories[t["ticket_id"]])}
    assert bot_channels == {"chat", "messaging"}
    assert {t["channel"] for t in tickets} == {"email", "chat", "phone", "web", "social", "messaging", "other"}
    events_per_ticket = len(tables["ticket_events"]) / n
    assert 6 < events_per_ticket < 12


def test_arrivals_peak_on_weekdays(tables: dict[str, Rows]) -> None:
    weekdays = [dt.date.fromisoformat(t["created_at"][:10]).weekday() for t in tables["tickets"]]
    weekend_share = sum(1 for d in weekdays if d >= 5) / len(weekdays)
    assert weekend_share < 2 / 7 * 0.6  # a flat week would put 2/7 of tickets on weekends


def test_surveys_link_to_existing_rows_and_respect_their_scales(tables: dict[str, Rows]) -> None:
    tickets = {t["ticket_id"]: t for t in tables["tickets"]}
    customers = {c["customer_id"] for c in tables["customers"]}
    surveys = tables["surveys"]
    for s in surveys:
        assert s["ticket_id"] == "" or s["ticket_id"] in tickets
        assert s["customer_id"] == "" or s["customer_id"] in customers
        assert s["responded_at"] <= RANGE_END
        defaults = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}[s["survey_type"]]
        low = int(s["scale_min"]) if s["scale_min"] else defaults[0]
        high = int(s["scale_max"]) if s["scale_max"] else defaults[1]
        assert low <= float(s["score"]) <= high, s["response_id"]
        if s["survey_type"] != "csat":
            assert (low, high) == defaults
        if s["ticket_id"] and s["survey_type"] == "csat":
            assert s["responded_at"] >= tickets[s["ticket_id"]]["created_at"]
    csat = [s for s in surveys if s["survey_type"] == "csat"]
    solved = sum(1 for t in tickets.values() if t["status"] in SOLVED_STATUSES)
    assert 0.1 < len(csat) / solved < 0.3
    assert any(s["scale_max"] == "10" for s in csat)
    assert any(s["scale_max"] == "" for s in csat) and any(s["scale_max"] == "5" for s in csat)
    nps = [s for s in surveys if s["survey_type"] == "nps"]
    assert any(s["ticket_id"] for s in nps) and any(not s["ticket_id"] for s in nps)
    assert any(s["survey_type"] == "ces" for s in surveys)


def test_side_tables_reference_existing_rows(tables: dict[str, Rows]) -> None:
    tickets = {t["ticket_id"] for t in tables["tickets"]}
    customers = {c["customer_id"] for c in tables["customers"]}
    articles = {a["article_id"]: a for a in tables["kb_articles"]}
    agents = {a["agent_id"] for a in tables["agents"]}
    sessions = tables["self_service_sessions"]
    for s in sessions:
        assert s["ticket_id"] == "" or s["ticket_id"] in tickets
        assert s["customer_id"] == "" or s["customer_id"] in customers
        if s["article_id"]:
            article = articles[s["article_id"]]
            assert article["published_at"] and article["published_at"] <= s["started_at"]
    assert any(s["ticket_id"] for s in sessions) and any(s["resolved"] == "true" for s in sessions)
    assert {s["helpful"] for s in sessions} == {"true", "false", ""}
    assert any(not a["published_at"] for a in articles.values())
    assert any(a["archived_at"] for a in articles.values())
    assert all(r["customer_id"] == "" or r["customer_id"] in customers for r in tables["reviews"])
    assert {r["rating"] for r in tables["reviews"]} <= {"1", "2", "3", "4", "5"}
    assert all(r["agent_id"] in agents for r in tables["agent_activity"] + tables["engagement_surveys"])
    assert all(0 <= float(r["score"]) <= 10 for r in tables["engagement_surveys"])
    months = {r["month"] for r in tables["marketing_spend"]}
    assert len(months) == 13  # October 2025 .. October 2026
    costs = {(r["month"], r["category"]) for r in tables["support_costs"]}
    assert costs == {(m, c) for m in months for c in ("salaries", "tooling", "outsourcing", "overhead", "other")}


def test_logged_in_time_covers_the_handle_time_of_each_agent_day(tables: dict[str, Rows]) -> None:
    handled: dict[tuple[str, str], int] = defaultdict(int)
    for e in tables["ticket_events"]:
        if e["handle_seconds"]:
            handled[(e["actor_id"], e["occurred_at"][:10])] += int(e["handle_seconds"])
    logged = {(r["agent_id"], r["activity_date"]): int(r["logged_in_seconds"]) for r in tables["agent_activity"]}
    for key, seconds in handled.items():
        assert logged[key] >= seconds, key
    scheduled = [int(r["scheduled_seconds"]) for r in tables["agent_activity"]]
    assert set(scheduled) <= {0, 4 * 3600, 8 * 3600}


def test_revenue_follows_customers(tables: dict[str, Rows]) -> None:
    months_of: dict[str, list[str]] = defaultdict(list)
    for r in tables["customer_revenue"]:
        assert float(r["mrr"]) > 0
        months_of[r["customer_id"]].append(r["month"])
    all_months = sorted({m for months in months_of.values() for m in months})
    for c in tables["customers"]:
        months = sorted(months_of[c["customer_id"]])
        expected_first = max(c["created_at"][:7] + "-01", "2025-10-01")
        assert months[0] == expected_first, c["customer_id"]
    # Some customers churn (a month without revenue after one with), some of those come back.
    gaps = [ms for ms in months_of.values() if all_months.index(ms[-1]) - all_months.index(ms[0]) + 1 > len(ms)]
    churned = [ms for ms in months_of.values() if ms[-1] != all_months[-1]]
    assert gaps and churned


def test_parquet_holds_the_same_data_with_proper_types(tmp_path: Path) -> None:
    assert _cli("--tickets", "200", "--out", str(tmp_path / "csv")) == 0
    for name in ("pq", "pq_again"):
        assert _cli("--tickets", "200", "--out", str(tmp_path / name), "--format", "parquet") == 0
    for table in WRITTEN_TABLES:
        again = (tmp_path / "pq_again" / f"{table}.parquet").read_bytes()
        assert (tmp_path / "pq" / f"{table}.parquet").read_bytes() == again, table
    assert {p.name for p in (tmp_path / "pq").iterdir()} == {f"{t}.parquet" for t in WRITTEN_TABLES}
    expected_type = {
        "string": pa.string(),
        "enum": pa.string(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "date": pa.date32(),
        "month": pa.date32(),
        "boolean": pa.bool_(),
        "integer": pa.int64(),
        "number": pa.float64(),
    }
    for table in WRITTEN_TABLES:
        data = pq.read_table(tmp_path / "pq" / f"{table}.parquet")
        assert tuple(data.column_names) == TABLES[table].column_names
        for column in TABLES[table].columns:
            assert data.schema.field(column.name).type == expected_type[column.type], f"{table}.{column.name}"
        assert data.num_rows == len(_read(tmp_path / "csv", table)), table
    tickets = pq.read_table(tmp_path / "pq" / "tickets.parquet").to_pylist()
    from_csv = _read(tmp_path / "csv", "tickets")
    assert [t["status"] for t in tickets] == [t["status"] for t in from_csv]
    first = tickets[0]["created_at"]
    assert first.strftime("%Y-%m-%dT%H:%M:%SZ") == from_csv[0]["created_at"]


def test_default_range_is_the_13_months_ending_with_end() -> None:
    # October 2025 .. October 2026 inclusive is 13 months.
    assert generate.default_start(dt.date(2026, 10, 31)) == dt.date(2025, 10, 1)
    # March 2024 back 12 months: March 2023.
    assert generate.default_start(dt.date(2024, 3, 15)) == dt.date(2023, 3, 1)


def test_custom_range_keeps_everything_inside_it(tmp_path: Path) -> None:
    assert _cli("--tickets", "150", "--start", "2024-01-01", "--end", "2024-03-31", "--out", str(tmp_path)) == 0
    for table in ("tickets", "ticket_events", "surveys", "self_service_sessions", "reviews"):
        for row in _read(tmp_path, table):
            stamps = [v for v in row.values() if TIMESTAMP.match(v)]
            assert all("2024-01-01T00:00:00Z" <= s <= "2024-03-31T23:59:59Z" for s in stamps), table
    assert sorted({r["month"] for r in _read(tmp_path, "marketing_spend")}) == [
        "2024-01-01",
        "2024-02-01",
        "2024-03-01",
    ]


def test_start_after_end_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="--start 2026-01-01 is after --end 2025-12-01"):
        _cli("--tickets", "10", "--start", "2026-01-01", "--end", "2025-12-01", "--out", str(tmp_path))
    assert not any(tmp_path.iterdir())


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    occupied = tmp_path / "tickets.csv"
    occupied.write_text("not a folder\n")
    with pytest.raises(UserError, match="exists and is not a folder"):
        _cli("--tickets", "10", "--out", str(occupied))
