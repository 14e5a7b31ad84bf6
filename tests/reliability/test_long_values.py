"""A value over 2 MB sets its row aside whole instead of refusing the file; files without one keep the fast path."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from support_kpis.loading import load_folder
from support_kpis.loading.type_rules import MAX_VALUE_BYTES
from tests.reliability.loader_inputs import GOOD_EVENT, GOOD_TICKET, folder_with, header, reconciles, records, rows
from tests.reliability.reliability_cli import error_lines, load

HUGE = "é" * (MAX_VALUE_BYTES // 2) + "the end"  # 2 bytes a character: just over the limit in UTF-8


def test_a_huge_value_is_quarantined_with_its_full_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tickets = header("tickets") + records(
        "tickets",
        [
            GOOD_TICKET,
            {**GOOD_TICKET, "ticket_id": "T2", "subject": HUGE},
            {**GOOD_TICKET, "ticket_id": "T3", "channel": "x" * (MAX_VALUE_BYTES + 1)},
            {**GOOD_TICKET, "ticket_id": "T4", "subject": "a" * MAX_VALUE_BYTES},  # at the limit: fine
        ],
    )
    warehouse = tmp_path / "w.duckdb"
    report = load_folder(folder_with(tmp_path / "data", **{"tickets.csv": tickets}), warehouse)
    assert rows(warehouse, "select ticket_id, _source_row, length(subject) from raw.tickets order by 2") == [
        ("T1", 2, None),
        ("T4", 5, MAX_VALUE_BYTES),
    ]
    quarantined = rows(
        warehouse,
        "select ticket_id, _source_row, _rules, _message, subject = ?, length(channel) "
        "from quarantine.tickets order by _source_row",
        [HUGE],
    )
    # Nothing is lost: the quarantine keeps the whole value; the message quotes only its start.
    assert [(t, r, rules, same, channel) for t, r, rules, _, same, channel in quarantined] == [
        ("T2", 3, "value_too_long(subject)", True, 5),
        ("T3", 4, "value_too_long(channel)", None, MAX_VALUE_BYTES + 1),  # not also unknown_enum(channel)
    ]
    messages = [message for *_, message, _, _ in quarantined]
    assert messages[0].startswith("subject 'ééé") and f"is {2 * (MAX_VALUE_BYTES // 2) + 7} bytes long" in messages[0]
    assert all(len(message) < 200 for message in messages)
    assert report.table("tickets").rows_quarantined == 2 and reconciles(warehouse)
    assert "a record is longer than DuckDB's 2 MB line limit" in capsys.readouterr().err


def test_files_without_a_huge_value_are_read_by_the_fast_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_but_fine = {**GOOD_EVENT, "event_id": "E2", "body": "word " * 200_000}  # 1 MB
    events = header("ticket_events") + records("ticket_events", [GOOD_EVENT, long_but_fine])
    warehouse = tmp_path / "w.duckdb"
    load_folder(folder_with(tmp_path / "data", **{"ticket_events.csv": events}), warehouse)
    assert rows(warehouse, "select event_id, length(body) from raw.ticket_events order by 1") == [
        ("E1", 5),
        ("E2", 1_000_000),
    ]
    assert "Python's csv reader" not in capsys.readouterr().err


def test_a_huge_value_in_parquet_is_quarantined_too(tmp_path: Path) -> None:
    folder = folder_with(tmp_path / "data")
    (folder / "tickets.csv").unlink()
    table = pa.table({k: [v, v] for k, v in GOOD_TICKET.items()})
    table = table.set_column(0, "ticket_id", pa.array(["T1", "T2"]))
    table = table.append_column("subject", pa.array(["short", HUGE]))
    pq.write_table(table, folder / "tickets.parquet")
    warehouse = tmp_path / "w.duckdb"
    load_folder(folder, warehouse)
    assert rows(warehouse, "select ticket_id from raw.tickets") == [("T1",)]
    assert rows(warehouse, "select ticket_id, _rules, subject = ? from quarantine.tickets", [HUGE]) == [
        ("T2", "value_too_long(subject)", True)
    ]


def test_cli_a_file_with_a_huge_value_loads(tmp_path: Path) -> None:
    events = header("ticket_events") + records(
        "ticket_events", [GOOD_EVENT, {**GOOD_EVENT, "event_id": "E2", "body": HUGE}]
    )
    result = load(folder_with(tmp_path / "data", **{"ticket_events.csv": events}), tmp_path / "w.duckdb")
    assert result.returncode == 0, result.stderr
    assert error_lines(result) == []
    events_line = next(line for line in result.stdout.splitlines() if line.startswith("ticket_events "))
    assert events_line.split()[1:4] == ["ticket_events.csv", "2", "1"]
