"""Files whose records end in LF and CRLF alike (concatenated exports) load; their faults are named by row.

DuckDB's strict reader refuses such a file whole; the loader then reads it with Python's csv reader, which must give
the same table, the same row numbers and the same one-line messages as the fast path.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from support_kpis.contract import TABLES
from support_kpis.errors import DataError
from support_kpis.loading import load_folder
from support_kpis.loading.csv_fallback import BATCH_ROWS, read_with_python
from support_kpis.loading.csv_header import read_header
from support_kpis.loading.discovery import SourceFile
from support_kpis.loading.warehouse import staging_connection
from tests.reliability.loader_inputs import GOOD_EVENT, GOOD_TICKET, folder_with, header, reconciles, records, rows
from tests.reliability.reliability_cli import error_lines, load

LATER = {**GOOD_TICKET, "ticket_id": "T2", "subject": "appended, with a comma"}
MULTI_LINE = {**GOOD_TICKET, "ticket_id": "T3", "subject": 'two\r\nlines, "quoted"'}
BAD_TIME = {**GOOD_TICKET, "ticket_id": "T4", "created_at": "2026-03-01 25:00"}
BAD_ENUM = {**GOOD_TICKET, "ticket_id": "T5", "channel": "fax"}


def _tickets(first_ending: str, then_ending: str) -> bytes:
    return (
        header("tickets", first_ending)
        + records("tickets", [GOOD_TICKET, BAD_TIME], first_ending)
        + records("tickets", [LATER, MULTI_LINE, BAD_ENUM], then_ending)
    )


@pytest.mark.parametrize(
    ("first", "then"), [("\n", "\r\n"), ("\r\n", "\n"), ("\r", "\n")], ids=["lf-crlf", "crlf-lf", "cr-lf"]
)
def test_a_file_with_mixed_line_endings_loads_and_quarantines_its_bad_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], first: str, then: str
) -> None:
    warehouse = tmp_path / "w.duckdb"
    report = load_folder(folder_with(tmp_path / "data", **{"tickets.csv": _tickets(first, then)}), warehouse)
    assert rows(warehouse, "select ticket_id, subject, _source_row from raw.tickets order by _source_row") == [
        ("T1", None, 2),
        ("T2", "appended, with a comma", 4),
        ("T3", 'two\r\nlines, "quoted"', 5),  # the quoted line break is kept as written
    ]
    assert rows(warehouse, "select ticket_id, _source_row, _rules from quarantine.tickets order by 2") == [
        ("T4", 3, "unparseable_timestamp(created_at)"),
        ("T5", 6, "unknown_enum(channel)"),
    ]
    tickets = report.table("tickets")
    assert (tickets.rows_read, tickets.rows_loaded, tickets.rows_quarantined) == (5, 3, 2)
    assert reconciles(warehouse)
    assert (
        "tickets.csv: read with Python's csv reader, slower, as its line endings are mixed" in capsys.readouterr().err
    )


def test_a_single_line_ending_keeps_the_fast_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crlf = header("tickets", "\r\n") + records("tickets", [GOOD_TICKET, LATER, MULTI_LINE], "\r\n")
    warehouse = tmp_path / "w.duckdb"
    load_folder(folder_with(tmp_path / "data", **{"tickets.csv": crlf}), warehouse)
    assert rows(warehouse, "select count(*) from raw.tickets") == [(3,)]
    assert "Python's csv reader" not in capsys.readouterr().err


def test_blank_lines_are_not_rows_in_a_mixed_file(tmp_path: Path) -> None:
    text = header("tickets") + records("tickets", [GOOD_TICKET]) + b"\r\n\n" + records("tickets", [BAD_ENUM], "\r\n")
    warehouse = tmp_path / "w.duckdb"
    load_folder(folder_with(tmp_path / "data", **{"tickets.csv": text}), warehouse)
    # As DuckDB's reader does for a file with one kind of line ending: blank lines are skipped, not counted.
    assert rows(warehouse, "select ticket_id, _source_row from quarantine.tickets") == [("T5", 3)]


# What Python's reader refuses, it names like DuckDB's: the record's row as a spreadsheet counts it.
MIXED_PREFIX = header("tickets") + records("tickets", [GOOD_TICKET]) + records("tickets", [MULTI_LINE], "\r\n")
FAULTS = {
    # The 4th record (row 4, though it starts on the file's 5th line) has one field too many: DuckDB's lenient
    # mode would drop it silently.
    "surplus_field": (
        MIXED_PREFIX + records("tickets", [LATER], "\r\n")[:-2] + b",surplus\r\n",
        "tickets.csv: row 4: not valid CSV: expected 13 fields like the header, found 14",
    ),
    "missing_field": (
        MIXED_PREFIX + b"T9,2026-03-01T09:00:00Z,,,email\n",
        "tickets.csv: row 4: not valid CSV: expected 13 fields like the header, found 5",
    ),
    "text_after_a_closing_quote": (
        MIXED_PREFIX + b'T9,2026-03-01T09:00:00Z,,,email,,"abc"def,,open,,,,\n',
        "tickets.csv: row 4: not valid CSV: a quoted value is never closed (unbalanced quotes)",
    ),
    "unbalanced_quote": (
        MIXED_PREFIX + b'T9,2026-03-01T09:00:00Z,,,email,,,,open,,,,"never closed\r\nT10,x\n',
        "tickets.csv: row 4: not valid CSV: a quoted value is never closed (unbalanced quotes)",
    ),
    "latin_1": (
        MIXED_PREFIX + "T9,2026-03-01T09:00:00Z,,,email,,,,open,,,,Café\n".encode("latin-1"),
        "tickets.csv: row 4: not UTF-8 encoded (byte 0xe9)",
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_fault_in_a_mixed_file_is_one_line_naming_its_row(tmp_path: Path, fault: str) -> None:
    content, expected = FAULTS[fault]
    warehouse = tmp_path / "w.duckdb"
    with pytest.raises(DataError) as caught:
        load_folder(folder_with(tmp_path / "data", **{"tickets.csv": content}), warehouse)
    message = str(caught.value)
    assert message.startswith(expected) and "\n" not in message
    assert not warehouse.exists()


@pytest.mark.parametrize("fault", ["surplus_field", "latin_1"])
def test_cli_a_fault_in_a_mixed_file_exits_2_in_one_line(tmp_path: Path, fault: str) -> None:
    content, expected = FAULTS[fault]
    result = load(folder_with(tmp_path / "data", **{"tickets.csv": content}), tmp_path / "w.duckdb")
    assert result.returncode == 2
    (line,) = error_lines(result)
    assert line.startswith(f"support-kpis load: error: {expected}")


def test_events_appended_in_crlf_keep_their_rows(tmp_path: Path) -> None:
    later = [{**GOOD_EVENT, "event_id": f"E{i}", "body": f"line one\nline {i}"} for i in range(2, 6)]
    text = header("ticket_events") + records("ticket_events", [GOOD_EVENT]) + records("ticket_events", later, "\r\n")
    warehouse = tmp_path / "w.duckdb"
    load_folder(folder_with(tmp_path / "data", **{"ticket_events.csv": text}), warehouse)
    assert rows(warehouse, "select event_id, _source_row, body from raw.ticket_events order by 2") == [
        ("E1", 2, "Hello"),
        *((f"E{i}", i + 1, f"line one\nline {i}") for i in range(2, 6)),
    ]


def _python_read_peak(folder: Path, records_count: int) -> int:
    """Peak Python memory while the fallback reads a mixed file of `records_count` events."""
    event = records("ticket_events", [{**GOOD_EVENT, "body": "x" * 100}])
    lf, crlf = event, event.replace(b"\n", b"\r\n")
    folder.mkdir()
    path = folder / "ticket_events.csv"
    path.write_bytes(header("ticket_events") + lf * (records_count // 2) + crlf * (records_count - records_count // 2))
    source = SourceFile("ticket_events", path, "csv")
    with staging_connection(folder / "w.duckdb", "UTC") as con:
        tracemalloc.start()
        try:
            read = read_with_python(con, source, read_header(path, TABLES["ticket_events"]), "scratch")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert read.records == records_count and read.mixed_endings
        assert con.execute("select count(*), count(c12) from scratch").fetchone() == (records_count, records_count)
    return peak


def test_the_python_reader_needs_no_more_memory_for_a_bigger_file(tmp_path: Path) -> None:
    small = _python_read_peak(tmp_path / "small", 2 * BATCH_ROWS)
    big = _python_read_peak(tmp_path / "big", 6 * BATCH_ROWS)
    # Three times the records, the same batches: Python holds one batch at a time.
    assert big < small * 1.3, (small, big)
