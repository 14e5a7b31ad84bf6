"""The operational marts against the independent reference, on the session's generated sample (default settings).

- fct_sla_breaches holds exactly the breached SLA targets the reference finds (first response, resolution and each
  next reply), with their targets, breach instants, the instant each was met and how late.
- fct_open_backlog holds exactly the tickets the reference finds open at the as-of time, and as many as
  backlog_open_tickets counts then; ages and age buckets are recomputed here.
- fct_tickets' first response and resolution time buckets are recomputed here from the reference's instants.

The buckets' boundaries (a bucket holds its lower bound) are hand cases in the marts' dbt unit tests.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from reference.inputs import read_data_folder
from reference.lifecycle import INITIAL_STATUS, SOLVED, TicketFacts, status_changes
from reference.scope import events_of_known_tickets, facts_as_of, resolve_as_of
from reference.sla import TicketSlaMeasures, ticket_sla_measures
from tests.warehouses import query

RESPONSE_BOUNDS_HOURS = (1, 8, 24)
AGE_BOUNDS_DAYS = (1, 3, 7, 30)


def _bucket(seconds: float | None, bounds: tuple[int, ...], unit: str, unit_seconds: int) -> str | None:
    """The spec's buckets ('0–1 h', '1–8 h', '8–24 h', '> 24 h'): lower bound in, upper bound out."""
    if seconds is None:
        return None
    lower = 0
    for upper in bounds:
        if seconds < upper * unit_seconds:
            return f"{lower}–{upper} {unit}"
        lower = upper
    return f"> {bounds[-1]} {unit}"


def _status_at_as_of(facts: TicketFacts) -> str:
    changes = status_changes(facts.events)
    return changes[-1][1] if changes else INITIAL_STATUS


def _agent_names(data: Path) -> dict[str, str]:
    with (data / "agents.csv").open(encoding="utf-8", newline="") as handle:
        return {row["agent_id"]: row["name"] for row in csv.DictReader(handle) if row["name"]}


def _assignee_name(assignee_id: str | None, names: dict[str, str]) -> str:
    if assignee_id is None:
        return "unassigned"
    return names.get(assignee_id, assignee_id)


class Reference:
    def __init__(self, data: Path) -> None:
        raw = read_data_folder(data)
        events = events_of_known_tickets(raw.tickets, raw.events)
        as_of = resolve_as_of(raw.tickets, events, None)
        assert as_of is not None
        self.as_of: datetime = as_of
        self.facts = {f.ticket.ticket_id: f for f in facts_as_of(raw.tickets, events, as_of)}
        self.sla: dict[str, TicketSlaMeasures] = ticket_sla_measures(data)
        self.names = _agent_names(data)


@pytest.fixture(scope="module")
def reference(sample_data: Path) -> Reference:
    return Reference(sample_data)


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else (end - start).total_seconds() / 60


def _expected_breaches(ref: Reference) -> dict[tuple[str, str, datetime], tuple[Any, ...]]:
    expected: dict[tuple[str, str, datetime], tuple[Any, ...]] = {}
    for ticket_id, measures in ref.sla.items():
        facts = ref.facts[ticket_id]
        status = _status_at_as_of(facts)
        created = facts.ticket.created_at
        sla = measures.sla
        candidates = [
            ("first_response", created, sla.first_response_status, sla.first_response_target,
             measures.first_response_breach_at, facts.first_response_at),
            ("resolution", created, sla.resolution_status, sla.resolution_target,
             measures.resolution_breach_at, facts.first_resolved_at),
            *(
                ("next_response", reply.started_at, reply.status, reply.target, reply.breach_at, reply.replied_at)
                for reply in measures.next_replies
            ),
        ]  # fmt: skip
        for metric, started_at, sla_status, target, breach_at, met_at in candidates:
            if sla_status != "breached":
                continue
            assert target is not None
            still_waiting = met_at is None and status not in SOLVED
            late = _minutes(breach_at, met_at if met_at is not None else ref.as_of if still_waiting else None)
            expected[(ticket_id, metric, started_at)] = (
                target.minutes,
                target.source,
                target.business_hours,
                breach_at,
                met_at,
                still_waiting,
                late,
                status,
                _assignee_name(facts.ticket.assignee_id, ref.names),
            )
    return expected


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float | int):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


def _mismatches(expected: dict[Any, tuple[Any, ...]], actual: dict[Any, tuple[Any, ...]]) -> list[str]:
    problems = [f"missing {key}" for key in expected.keys() - actual.keys()]
    problems += [f"unexpected {key}" for key in actual.keys() - expected.keys()]
    for key in expected.keys() & actual.keys():
        if not all(_close(a, e) for a, e in zip(actual[key], expected[key], strict=True)):
            problems.append(f"{key}: warehouse {actual[key]} != reference {expected[key]}")
    return problems


def test_the_breach_list_is_every_breached_target_with_how_late(sample_warehouse: Path, reference: Reference) -> None:
    rows = query(
        sample_warehouse,
        "select ticket_id, sla_metric, started_at, target_minutes, target_source, is_business_hours, breach_at, "
        "met_at, is_still_waiting, minutes_late, status_at_as_of, assignee_name from main.fct_sla_breaches",
    )
    actual = {(r[0], r[1], r[2]): tuple(r[3:]) for r in rows}
    assert len(actual) == len(rows), "one row per breached target"
    expected = _expected_breaches(reference)
    metrics = {key[1] for key in expected}
    # The sample exercises every kind of breach, still-waiting ones and ones with no end to measure.
    assert metrics == {"first_response", "resolution", "next_response"}
    assert any(row[5] for row in expected.values()) and any(row[6] is None for row in expected.values())
    problems = _mismatches(expected, actual)
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:30])


def test_the_open_backlog_is_the_tickets_open_at_the_as_of_time(sample_warehouse: Path, reference: Reference) -> None:
    rows = query(
        sample_warehouse,
        "select ticket_id, status_at_as_of, assignee_name, age_hours, age_bucket from main.fct_open_backlog",
    )
    actual = {r[0]: tuple(r[1:]) for r in rows}
    expected = {}
    for ticket_id, facts in reference.facts.items():
        status = _status_at_as_of(facts)
        if status in SOLVED:
            continue
        age = (reference.as_of - facts.ticket.created_at).total_seconds()
        expected[ticket_id] = (
            status,
            _assignee_name(facts.ticket.assignee_id, reference.names),
            age / 3600,
            _bucket(age, AGE_BOUNDS_DAYS, "d", 86_400),
        )
    assert len({row[3] for row in expected.values()}) > 1, "the sample's backlog spans several age buckets"
    problems = _mismatches(expected, actual)
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:30])
    # The same tickets the KPI counts at its latest instant.
    [(backlog,)] = query(
        sample_warehouse,
        "select value from main.kpi_values where kpi_id = 'backlog_open_tickets' and grain = 'day' "
        "and dimension = 'all' order by period_start desc limit 1",
    )
    assert backlog == len(expected)


def test_response_and_resolution_time_buckets(sample_warehouse: Path, reference: Reference) -> None:
    rows = query(
        sample_warehouse, "select ticket_id, first_response_time_bucket, resolution_time_bucket from main.fct_tickets"
    )
    actual = {r[0]: tuple(r[1:]) for r in rows}
    expected = {}
    for ticket_id, facts in reference.facts.items():
        created = facts.ticket.created_at
        responded = None if facts.is_agent_initiated else facts.first_response_at
        resolved = facts.first_resolved_at
        expected[ticket_id] = (
            _bucket(None if responded is None else (responded - created).total_seconds(), RESPONSE_BOUNDS_HOURS, "h",
                    3600),
            _bucket(None if resolved is None else (resolved - created).total_seconds(), RESPONSE_BOUNDS_HOURS, "h",
                    3600),
        )  # fmt: skip
    for column in (0, 1):
        assert len({row[column] for row in expected.values()}) == 5, "every bucket, and null, occurs in the sample"
    problems = _mismatches(expected, actual)
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:30])
