"""The gate on a warehouse of appended batches (`load --append`): a finding names its row by batch and file row.

File rows repeat across batches: every batch's ticket_events.csv has a row 2, 3, ... So the batches here are built
so that the rows the gate must set aside share their file row numbers with rows it must keep, in both directions,
and one batch makes rows of an earlier batch invalid (a re-sent ticket created later than its old events). The
expected rows are worked out from how the batches were written; real loader, DuckDB and GX throughout.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from support_kpis.loading import load_folder
from support_kpis.settings import QUARANTINE_SCHEMA
from support_kpis.validation.gate import validate_warehouse
from support_kpis.validation.options import ValidationOptions
from tests.validation.bad_inputs.base import BASE, Row, write_folder, write_table

FIRST_ROW = 2  # a file's first data row, as a spreadsheet counts it (the header is row 1)


def query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def options(work: Path) -> ValidationOptions:
    return ValidationOptions(report_dir=work, as_of=datetime(2026, 3, 3))


def event(event_id: str, ticket_id: str, **changes: str) -> Row:
    return {**BASE["ticket_events"][1], "event_id": event_id, "ticket_id": ticket_id, **changes}


# Batch 2: a new ticket T3 and T4, which the loader quarantines (unknown channel). Its events: four valid ones
# (file rows 2-5, the rows of the base's E1-E4), then three the gate sets aside (rows 6-8; the base's E5 and E6,
# which stay, are rows 6 and 7).
BATCH_2_TICKETS = [
    {**BASE["tickets"][0], "ticket_id": "T3"},
    {**BASE["tickets"][0], "ticket_id": "T4", "channel": "fax"},
]
BATCH_2_EVENTS = [
    event("E22", "T3"),
    event("E24", "T3", occurred_at="2026-03-02T10:00:00Z"),
    event("E25", "T2"),
    event("E26", "T1", occurred_at="2026-03-02T12:30:00Z"),
    event("E20", "T404"),  # orphan_event
    event("E21", "T3", handle_seconds="-5"),  # out_of_range(handle_seconds)
    event("E23", "T4"),  # orphan_event: its ticket is in quarantine
]
BATCH_2_SET_ASIDE = {"E20": "orphan_event", "E21": "out_of_range(handle_seconds)", "E23": "orphan_event"}
# Batch 3 re-sends T1, newer and created at 11:00: the base's events of T1 before 10:55 (five minutes' tolerance)
# now precede their ticket. E5 (12:00) and batch 2's E26 (12:30) do not.
BATCH_3_TICKETS = [{**BASE["tickets"][0], "created_at": "2026-03-02T11:00:00Z", "updated_at": "2026-03-02T13:00:00Z"}]
BASE_SET_ASIDE = {e: "event_before_ticket_created" for e in ("E1", "E2", "E3", "E4")}


def batches(root: Path) -> tuple[Path, Path, Path]:
    base = write_folder(root / "base", BASE)
    second = root / "batch2"
    write_table(second, "tickets", BATCH_2_TICKETS)
    write_table(second, "ticket_events", BATCH_2_EVENTS)
    third = root / "batch3"
    write_table(third, "tickets", BATCH_3_TICKETS)
    return base, second, third


def concatenation(root: Path) -> Path:
    """One folder holding the three batches' rows, in batch order: the same export delivered at once."""
    folder = write_folder(root / "whole", BASE)
    write_table(folder, "tickets", [*BASE["tickets"], *BATCH_2_TICKETS, *BATCH_3_TICKETS])
    write_table(folder, "ticket_events", [*BASE["ticket_events"], *BATCH_2_EVENTS])
    return folder


def file_row(rows: list[Row], event_id: str) -> int:
    return FIRST_ROW + [r["event_id"] for r in rows].index(event_id)


def test_the_gate_sets_aside_exactly_the_bad_rows_of_each_batch(tmp_path: Path) -> None:
    base, second, third = batches(tmp_path / "data")
    warehouse = tmp_path / "appended.duckdb"
    loads = [load_folder(base, warehouse), *(load_folder(f, warehouse, append=True) for f in (second, third))]
    at = [load.loaded_at for load in loads]
    assert len(set(at)) == 3

    before = datetime.now(UTC).replace(tzinfo=None)
    report = validate_warehouse(warehouse, options(tmp_path / "report"))
    after = datetime.now(UTC).replace(tzinfo=None)

    expected = {(at[0], file_row(BASE["ticket_events"], e), e, rule) for e, rule in BASE_SET_ASIDE.items()} | {
        (at[1], file_row(BATCH_2_EVENTS, e), e, rule) for e, rule in BATCH_2_SET_ASIDE.items()
    }
    moved = query(
        warehouse, "select _loaded_at, _source_row, event_id, _rules, _set_aside_at from quarantine.ticket_events"
    )
    assert {row[:4] for row in moved} == expected and len(moved) == len(expected)
    # The row numbers collide across batches, and only the right batch's row went.
    assert {row[1] for row in moved} & {file_row(BASE["ticket_events"], e) for e in ("E5", "E6")}
    assert all(before <= row[4] <= after for row in moved)

    kept = {(at[0], file_row(BASE["ticket_events"], e["event_id"]), e["event_id"]) for e in BASE["ticket_events"]}
    kept |= {(at[1], file_row(BATCH_2_EVENTS, e["event_id"]), e["event_id"]) for e in BATCH_2_EVENTS}
    kept -= {row[:3] for row in expected}
    assert set(query(warehouse, "select _loaded_at, _source_row, event_id from raw.ticket_events")) == kept

    # Tickets: the loader quarantined T4 at load time (no _set_aside_at); the gate set no ticket aside.
    assert query(warehouse, "select ticket_id, _loaded_at, _set_aside_at from quarantine.tickets") == [
        ("T4", at[1], None)
    ]
    assert sorted(query(warehouse, "select ticket_id, _loaded_at from raw.tickets")) == [
        ("T1", at[2]),
        ("T2", at[0]),
        ("T3", at[1]),
    ]
    assert report.rows_set_aside_now == len(expected) and report.reconciles
    # The report names the batch of each example: its file row alone is ambiguous here.
    label = [f"(batch loaded {t:%Y-%m-%d %H:%M:%S.%f} UTC)" for t in at]
    events_lines = [line for line in report.summary().splitlines() if "ticket_events.csv row" in line]
    assert events_lines and all(label[0] in line or label[1] in line for line in events_lines)
    orphan = f"ticket_events.csv row {file_row(BATCH_2_EVENTS, 'E20')} {label[1]}: ticket_id 'T404'"
    assert orphan in report.summary()

    # The same rows, by content, as the gate sets aside after one load of the concatenated files.
    whole = tmp_path / "whole.duckdb"
    load_folder(concatenation(tmp_path / "data"), whole)
    validate_warehouse(whole, options(tmp_path / "whole-report"))
    by_content = "select event_id, _rules, _message from quarantine.ticket_events order by 1"
    assert query(whole, by_content) == query(warehouse, by_content)
    assert query(whole, "select ticket_id, _rules from quarantine.tickets") == [("T4", "unknown_enum(channel)")]

    # A second run finds nothing more to set aside.
    again = validate_warehouse(warehouse, options(tmp_path / "report-again"))
    assert again.rows_set_aside_now == 0
    assert len(query(warehouse, "select * from quarantine.ticket_events")) == len(expected)


def test_quarantine_tables_of_an_older_warehouse_gain_set_aside_at(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    folder = write_folder(tmp_path / "data", BASE)
    write_table(folder, "ticket_events", [*BASE["ticket_events"], event("E20", "T404")])
    write_table(folder, "tickets", [*BASE["tickets"], {**BASE["tickets"][0], "ticket_id": "T4", "channel": "fax"}])
    load_folder(folder, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        tables = [
            str(t)
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?", [QUARANTINE_SCHEMA]
            ).fetchall()
        ]
        for table in tables:  # as the loader wrote them before the column existed
            con.execute(f'alter table {QUARANTINE_SCHEMA}."{table}" drop column _set_aside_at')
    # An appended batch whose ticket the loader quarantines: the append path writes into the older table too.
    batch = write_table(tmp_path / "batch", "tickets", [{**BASE["tickets"][0], "ticket_id": "T5", "channel": "fax"}])
    load_folder(batch.parent, warehouse, append=True)

    report = validate_warehouse(warehouse, options(tmp_path / "report"))

    assert report.rows_set_aside_now == 1
    moved = query(warehouse, "select event_id, _rules, _set_aside_at is not null from quarantine.ticket_events")
    assert moved == [("E20", "orphan_event", True)]
    assert sorted(query(warehouse, "select ticket_id, _set_aside_at from quarantine.tickets")) == [
        ("T4", None),
        ("T5", None),
    ]
    # Every quarantine table has the column now, last, as a new warehouse's has it.
    last = query(
        warehouse,
        "select table_name, column_name from information_schema.columns where table_schema = 'quarantine' "
        "qualify ordinal_position = max(ordinal_position) over (partition by table_name)",
    )
    assert sorted(last) == sorted((table, "_set_aside_at") for table in tables)
