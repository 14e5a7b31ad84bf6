"""A NUL character in any contract field marks a corrupt export: the row is set aside, never loaded."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from support_kpis.contract import TABLES
from support_kpis.loading import load_folder
from tests.reliability.loader_inputs import GOOD_EVENT, GOOD_TICKET, folder_with, header, reconciles, records, rows


def test_rows_with_a_nul_character_are_quarantined(tmp_path: Path) -> None:
    tickets = header("tickets") + records(
        "tickets",
        [
            GOOD_TICKET,
            {**GOOD_TICKET, "ticket_id": "T2", "category": "gen\0eral"},
            {**GOOD_TICKET, "ticket_id": "T3", "channel": "em\0ail"},
            {**GOOD_TICKET, "ticket_id": "T4\0", "subject": "\0"},
        ],
    )
    events = header("ticket_events") + records(
        "ticket_events", [GOOD_EVENT, {**GOOD_EVENT, "event_id": "E2", "body": "hi\0"}]
    )
    warehouse = tmp_path / "w.duckdb"
    load_folder(folder_with(tmp_path / "data", **{"tickets.csv": tickets, "ticket_events.csv": events}), warehouse)
    assert rows(
        warehouse, "select ticket_id, category, channel, _rules from quarantine.tickets order by _source_row"
    ) == [
        ("T2", "gen\0eral", "email", "nul_character(category)"),  # kept as read
        ("T3", None, "em\0ail", "nul_character(channel)"),  # not unknown_enum: the NUL is the fault
        ("T4\0", None, "email", "nul_character(ticket_id); nul_character(subject)"),
    ]
    (message,) = rows(warehouse, "select _message from quarantine.tickets where ticket_id = 'T2'")[0]
    assert message == "category 'gen\\0eral' holds a NUL character (\\0), which no text column can store"
    assert rows(warehouse, "select event_id, _rules from quarantine.ticket_events") == [("E2", "nul_character(body)")]
    for table in TABLES:
        text_columns = [c.name for c in TABLES[table].columns if c.type in ("string", "enum")]
        if text_columns:
            found = " or ".join(f"contains({c}, chr(0))" for c in text_columns)
            assert rows(warehouse, f"select count(*) from raw.{table} where {found}") == [(0,)], table
    assert reconciles(warehouse)


def test_a_nul_character_in_parquet_is_quarantined_too(tmp_path: Path) -> None:
    folder = folder_with(tmp_path / "data")
    (folder / "tickets.csv").unlink()
    table = pa.table({**{k: [v, v] for k, v in GOOD_TICKET.items()}, "ticket_id": ["T1", "T2"], "team": ["a", "b\0"]})
    pq.write_table(table, folder / "tickets.parquet")
    warehouse = tmp_path / "w.duckdb"
    load_folder(folder, warehouse)
    assert rows(warehouse, "select ticket_id from raw.tickets") == [("T1",)]
    assert rows(warehouse, "select ticket_id, team, _rules from quarantine.tickets") == [
        ("T2", "b\0", "nul_character(team)")
    ]
