"""Tiny input folders for the reference sanity tests, and lookups in its rows: the vocabulary the tests share."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from reference import KpiRow

TICKET_HEADER = (
    "ticket_id",
    "created_at",
    "updated_at",
    "customer_id",
    "channel",
    "priority",
    "category",
    "product",
    "status",
    "assignee_id",
    "team",
    "subject",
    "schedule_id",
)
EVENT_HEADER = (
    "event_id",
    "ticket_id",
    "occurred_at",
    "event_type",
    "actor_type",
    "actor_id",
    "is_public",
    "new_status",
    "handle_seconds",
)

Row = dict[str, str]


def ticket(ticket_id: str, created_at: str, status: str = "open", channel: str = "email", **other: str) -> Row:
    return {"ticket_id": ticket_id, "created_at": created_at, "status": status, "channel": channel, **other}


def customer_message(ticket_id: str, at: str, **other: str) -> Row:
    return {"ticket_id": ticket_id, "occurred_at": at, "event_type": "message", "actor_type": "customer",
            "is_public": "true", **other}  # fmt: skip


def agent_reply(ticket_id: str, at: str, **other: str) -> Row:
    return {"ticket_id": ticket_id, "occurred_at": at, "event_type": "message", "actor_type": "agent",
            "actor_id": "a1", "is_public": "true", **other}  # fmt: skip


def internal_note(ticket_id: str, at: str, **other: str) -> Row:
    return agent_reply(ticket_id, at, **{"is_public": "false", **other})


def bot_message(ticket_id: str, at: str) -> Row:
    return {"ticket_id": ticket_id, "occurred_at": at, "event_type": "message", "actor_type": "bot",
            "is_public": "true"}  # fmt: skip


def status_change(ticket_id: str, at: str, new_status: str, **other: str) -> Row:
    return {"ticket_id": ticket_id, "occurred_at": at, "event_type": "status_change", "actor_type": "agent",
            "new_status": new_status, **other}  # fmt: skip


def escalation(ticket_id: str, at: str) -> Row:
    return {"ticket_id": ticket_id, "occurred_at": at, "event_type": "escalation", "actor_type": "system"}


def write_csv(path: Path, header: tuple[str, ...], rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def write_folder(folder: Path, tickets: list[Row], events: list[Row], customers: list[Row] | None = None) -> Path:
    """Events are numbered e1, e2, ... in list (= file) order unless they carry an event_id."""
    numbered = [{"event_id": f"e{i}", **event} for i, event in enumerate(events, start=1)]
    write_csv(folder / "tickets.csv", TICKET_HEADER, tickets)
    write_csv(folder / "ticket_events.csv", EVENT_HEADER, numbered)
    if customers is not None:
        write_csv(folder / "customers.csv", ("customer_id", "segment", "region"), customers)
    return folder


def find(rows: list[KpiRow], kpi_id: str, grain: str, period: str, dimension: str = "all", value: str = "all"):
    matches = [
        r
        for r in rows
        if (r.kpi_id, r.grain, r.period_start, r.dimension, r.dimension_value)
        == (kpi_id, grain, date.fromisoformat(period), dimension, value)
    ]
    assert len(matches) <= 1, "the key of kpi_values must be unique"
    return matches[0] if matches else None


def series(rows: list[KpiRow], kpi_id: str, grain: str, dimension: str = "all", value: str = "all") -> dict[str, float]:
    """{period_start: value} of one KPI, grain and segment."""
    return {
        r.period_start.isoformat(): r.value
        for r in rows
        if (r.kpi_id, r.grain, r.dimension, r.dimension_value) == (kpi_id, grain, dimension, value)
    }


def write_table(folder: Path, table: str, rows: list[Row], header: tuple[str, ...] = ()) -> None:
    """One optional table; the header is `header` or the keys of the rows in first-seen order."""
    columns = header or tuple(dict.fromkeys(key for row in rows for key in row))
    write_csv(folder / f"{table}.csv", columns, rows)


def kpis_of(rows: list[KpiRow]) -> set[str]:
    return {r.kpi_id for r in rows}


def parts(row: KpiRow | None) -> tuple[float | None, float | None, float | None, int] | None:
    """(value, numerator, denominator, sample_size) of a row, None when there is no row."""
    return None if row is None else (row.value, row.numerator, row.denominator, row.sample_size)
