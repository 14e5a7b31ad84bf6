"""The loader on small hand-made files: type rules, duplicates, quarantine, inventory and file-level errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from support_kpis.contract import TABLES
from support_kpis.errors import DataError
from support_kpis.loading import load_folder, move_to_quarantine
from support_kpis.settings import PROJECT_ROOT

TICKETS_HEADER = (
    "ticket_id,created_at,updated_at,customer_id,channel,priority,category,product,status,assignee_id,team,"
    "schedule_id,subject"
)
EVENTS_HEADER = (
    "event_id,ticket_id,occurred_at,event_type,actor_type,actor_id,is_public,new_status,new_assignee_id,new_team,"
    "new_tier,handle_seconds,body"
)
ONE_TICKET = "T1,2026-03-01T09:00:00Z,,C1,email,normal,billing,,open,,,,Hello"
ONE_EVENT = "E1,T1,2026-03-01T09:00:00Z,message,customer,,true,,,,,,Hello"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def make_folder(folder: Path, tickets: list[str] | None = None, events: list[str] | None = None, **tables: str) -> Path:
    """A data folder with tickets.csv and ticket_events.csv (header + given lines) and any other files given."""
    write(
        folder, "tickets.csv", "\n".join([TICKETS_HEADER, *(tickets if tickets is not None else [ONE_TICKET])]) + "\n"
    )
    write(
        folder, "ticket_events.csv", "\n".join([EVENTS_HEADER, *(events if events is not None else [ONE_EVENT])]) + "\n"
    )
    for name, text in tables.items():
        write(folder, name, text)
    return folder


def rows(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


# --- types and conventions ---------------------------------------------------------------------------------


def test_timestamps_with_an_offset_are_converted_to_utc(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(
        tmp_path / "data",
        tickets=[
            "T1,2026-03-01T09:15:00+01:00,,,email,,,,open,,,,",  # 09:15 at +01:00 = 08:15 UTC
            "T2,2026-03-01T09:15:00Z,,,email,,,,open,,,,",  # already UTC
            "T3,2026-03-01 09:15:00.250-0530,,,email,,,,open,,,,",  # 09:15:00.25 + 5:30 = 14:45:00.25 UTC
            "T4,2026-03-01T00:30:00+0100,,,email,,,,open,,,,",  # 00:30 - 1 h = 23:30 the day before
            "T5,2026-03-01t09:15:00z,,,email,,,,open,,,,",  # lower-case separators are still ISO 8601
        ],
    )
    load_folder(folder, warehouse)
    assert rows(warehouse, "select ticket_id, created_at from raw.tickets order by ticket_id") == [
        ("T1", datetime(2026, 3, 1, 8, 15)),
        ("T2", datetime(2026, 3, 1, 9, 15)),
        ("T3", datetime(2026, 3, 1, 14, 45, 0, 250000)),
        ("T4", datetime(2026, 2, 28, 23, 30)),
        ("T5", datetime(2026, 3, 1, 9, 15)),
    ]


def test_timestamps_without_offset_are_read_in_the_source_time_zone_across_dst(tmp_path: Path, warehouse: Path) -> None:
    # New York leaves EST (UTC-5) for EDT (UTC-4) on 2026-03-08.
    folder = make_folder(
        tmp_path / "data",
        tickets=[
            "T1,2026-03-07T12:00:00,,,email,,,,open,,,,",  # EST: 12:00 + 5 h = 17:00 UTC
            "T2,2026-03-09 12:00:00,,,email,,,,open,,,,",  # EDT: 12:00 + 4 h = 16:00 UTC
            "T3,2026-03-09T12:00:00Z,,,email,,,,open,,,,",  # an explicit offset ignores the source zone
        ],
    )
    load_folder(folder, warehouse, source_timezone="America/New_York")
    assert rows(warehouse, "select ticket_id, created_at from raw.tickets order by ticket_id") == [
        ("T1", datetime(2026, 3, 7, 17, 0)),
        ("T2", datetime(2026, 3, 9, 16, 0)),
        ("T3", datetime(2026, 3, 9, 12, 0)),
    ]


def test_booleans_in_every_spelling(tmp_path: Path, warehouse: Path) -> None:
    spellings = ["true", "FALSE", " Yes ", "no", "1", "0", "True", "NO"]
    expected = [True, False, True, False, True, False, True, False]
    events = [f"E{i},T1,2026-03-01T09:00:00Z,message,customer,,{s},,,,,," for i, s in enumerate(spellings)]
    load_folder(make_folder(tmp_path / "data", events=events), warehouse)
    loaded = rows(warehouse, "select is_public from raw.ticket_events order by _source_row")
    assert [v for (v,) in loaded] == expected


def test_enumerations_are_trimmed_and_lower_cased(tmp_path: Path, warehouse: Path) -> None:
    sla = (
        "priority,channel,first_response_minutes,resolution_minutes,business_hours\n"
        " HIGH ,*,60,480,yes\n"
        "low, Chat ,30,,no\n"
    )
    folder = make_folder(
        tmp_path / "data",
        tickets=["T1,2026-03-01T09:00:00Z,,, Email ,URGENT,,,On_Hold,,,,"],
        **{"sla_policies.csv": sla},
    )
    load_folder(folder, warehouse)
    assert rows(warehouse, "select channel, priority, status from raw.tickets") == [("email", "urgent", "on_hold")]
    assert rows(warehouse, "select priority, channel, business_hours from raw.sla_policies order by _source_row") == [
        ("high", "*", True),
        ("low", "chat", False),
    ]


def test_na_is_text_in_a_string_column_and_ids_lose_only_surrounding_spaces(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(
        tmp_path / "data",
        tickets=[
            "007,2026-03-01T09:00:00Z,,NA,email,,null,,open,,,,",
            "7,2026-03-01T09:00:00Z,, C1 ,email,, Billing ,,open,,,,",
        ],
    )
    load_folder(folder, warehouse)
    # Ids are trimmed (and otherwise kept: 007 is not 7); free text such as a category stays verbatim.
    assert rows(warehouse, "select ticket_id, customer_id, category from raw.tickets order by _source_row") == [
        ("007", "NA", "null"),
        ("7", "C1", " Billing "),
    ]


def test_numbers_integers_months_and_times(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(
        tmp_path / "data",
        **{
            "customer_revenue.csv": "customer_id,month,mrr\nC1,2026-03-01,1e3\nC1,2026-04-01,12.50\nC1,2026-05-15,9\n",
            "business_schedules.csv": (
                "schedule_id,timezone,day_of_week,start_time,end_time\n"
                "default,UTC,1,9:00,17:00\n"
                "default,UTC,2.0,00:00,24:00\n"
                "default,UTC,3,08:00,24:30\n"
            ),
        },
    )
    load_folder(folder, warehouse)
    assert rows(warehouse, "select month, mrr from raw.customer_revenue order by _source_row") == [
        (date(2026, 3, 1), 1000.0),
        (date(2026, 4, 1), 12.5),
    ]
    assert rows(warehouse, "select month, _rules from quarantine.customer_revenue") == [
        ("2026-05-15", "unparseable_month(month)")
    ]
    # '9:00' is padded; '2.0' is an integer written through a float column; 24:30 is no time of day.
    assert rows(warehouse, "select day_of_week, start_time, end_time from raw.business_schedules order by 1") == [
        (1, "09:00", "17:00"),
        (2, "00:00", "24:00"),
    ]
    assert rows(warehouse, "select end_time, _rules from quarantine.business_schedules") == [
        ("24:30", "unparseable_time(end_time)")
    ]


def test_quoted_fields_and_source_rows_after_a_multi_line_record(tmp_path: Path, warehouse: Path) -> None:
    subject = '"Hello, ""you""\nsecond line"'
    folder = make_folder(
        tmp_path / "data",
        tickets=[
            f"T1,2026-03-01T09:00:00Z,,,email,,,,open,,,,{subject}",  # spreadsheet row 2, spans two lines
            "T2,2026-03-01T09:00:00Z,,,email,,,,open,,,,plain",  # row 3 although it is the file's 4th line
            "T3,not a time,,,email,,,,open,,,,",  # row 4
        ],
    )
    load_folder(folder, warehouse)
    assert rows(warehouse, "select ticket_id, subject, _source_file, _source_row from raw.tickets order by 1") == [
        ("T1", 'Hello, "you"\nsecond line', "tickets.csv", 2),
        ("T2", "plain", "tickets.csv", 3),
    ]
    assert rows(warehouse, "select ticket_id, _source_row from quarantine.tickets") == [("T3", 4)]


def test_a_byte_order_mark_is_tolerated(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(tmp_path / "data")
    write(folder, "tickets.csv", "\ufeff" + TICKETS_HEADER + "\n" + ONE_TICKET + "\n")
    load_folder(folder, warehouse)
    assert rows(warehouse, "select ticket_id, _source_row from raw.tickets") == [("T1", 2)]


def test_source_rows_stay_exact_in_a_file_read_in_parallel(tmp_path: Path, warehouse: Path) -> None:
    # Big enough (~40 MB) for DuckDB to split the scan across threads; every 7th body spans three lines.
    count = 300_000
    body = "x" * 120
    lines = [
        f'E{i},T1,2026-03-01T09:00:00Z,message,customer,,true,,,,,,"{body}\n\n{i}"'
        if i % 7 == 0
        else f"E{i},T1,2026-03-01T09:00:00Z,message,customer,,true,,,,,,{body}"
        for i in range(count)
    ]
    load_folder(make_folder(tmp_path / "data", events=lines), warehouse)
    # Record i (from 0) is spreadsheet row i + 2 whatever its line count.
    assert rows(
        warehouse,
        "select count(*), count(*) filter (where event_id = 'E' || (_source_row - 2)) from raw.ticket_events",
    ) == [(count, count)]


def test_unknown_columns_are_kept_as_text_after_the_metadata(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(tmp_path / "data")
    write(folder, "tickets.csv", TICKETS_HEADER + ",Sentiment,region\n" + ONE_TICKET + ",0.5,EU\n")
    load_folder(folder, warehouse)
    described = rows(
        warehouse,
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'raw' and table_name = 'tickets' order by ordinal_position",
    )
    tail = [(name, type_) for name, type_ in described][-5:]
    assert tail == [
        ("_source_file", "VARCHAR"),
        ("_source_row", "BIGINT"),
        ("_loaded_at", "TIMESTAMP"),
        ("Sentiment", "VARCHAR"),
        ("region", "VARCHAR"),
    ]
    assert rows(warehouse, 'select "Sentiment", region from raw.tickets') == [("0.5", "EU")]


# --- duplicates ---------------------------------------------------------------------------------------------


def test_duplicate_tickets_keep_the_latest_update_then_the_last_read(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(
        tmp_path / "data",
        tickets=[
            "T1,2026-03-01T09:00:00Z,2026-03-02T00:00:00Z,,email,,,,solved,,,,newest",  # row 2
            "T1,2026-03-01T09:00:00Z,2026-03-01T10:00:00Z,,email,,,,open,,,,older",  # row 3: older, read later
            "T2,2026-03-01T09:00:00Z,2026-03-01T10:00:00Z,,email,,,,open,,,,first",  # row 4
            "T2,2026-03-01T09:00:00Z,2026-03-01T10:00:00Z,,email,,,,pending,,,,second",  # row 5: tie, read last
            "T3,2026-03-01T09:00:00Z,,,email,,,,open,,,,undated",  # row 6: no version loses to a dated one
            "T3,2026-03-01T09:00:00Z,2026-03-01T10:00:00Z,,email,,,,open,,,,dated",  # row 7
        ],
    )
    report = load_folder(folder, warehouse)
    assert rows(warehouse, "select ticket_id, subject, _source_row from raw.tickets order by 1") == [
        ("T1", "newest", 2),
        ("T2", "second", 5),
        ("T3", "dated", 7),
    ]
    # 6 read = 3 loaded + 3 superseded (rows 3, 4 and 6).
    tickets = report.table("tickets")
    assert (tickets.rows_read, tickets.rows_loaded, tickets.rows_superseded, tickets.rows_duplicate_exact) == (
        6,
        3,
        3,
        0,
    )


def test_exact_duplicates_are_dropped_and_counted(tmp_path: Path, warehouse: Path) -> None:
    event = "E1,T1,2026-03-01T09:00:00Z,message,customer,,true,,,,,,hi"
    newer = "E2,T1,2026-03-01T09:05:00Z,message,agent,A1,true,,,,,30,reply"
    changed = "E2,T1,2026-03-01T09:05:00Z,message,agent,A1,true,,,,,45,reply"
    folder = make_folder(tmp_path / "data", events=[event, event, newer, changed, event])
    report = load_folder(folder, warehouse)
    # E1 three times: two exact copies dropped, the last (row 6) kept. E2: no version column, so the last read
    # (row 5, 45 s) wins over row 4.
    assert rows(warehouse, "select event_id, handle_seconds, _source_row from raw.ticket_events order by 1") == [
        ("E1", None, 6),
        ("E2", 45, 5),
    ]
    events = report.table("ticket_events")
    assert (events.rows_read, events.rows_loaded, events.rows_duplicate_exact, events.rows_superseded) == (5, 2, 2, 1)


# --- quarantine and inventory -------------------------------------------------------------------------------


def test_rows_breaking_a_type_rule_are_quarantined_with_their_original_text(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(
        tmp_path / "data",
        tickets=[
            ONE_TICKET,
            "T2,2026-13-01 25:00, NA ,C2,fax,,,,open,,,,kept",
            ",2026-03-01T09:00:00Z,,,email,,,,open,,,,no id",
        ],
    )
    report = load_folder(folder, warehouse)
    quarantined = rows(
        warehouse,
        "select ticket_id, created_at, updated_at, channel, subject, _source_file, _source_row, _rules, _message "
        "from quarantine.tickets order by _source_row",
    )
    assert quarantined[0][:8] == (
        "T2",
        "2026-13-01 25:00",
        " NA ",
        "fax",
        "kept",
        "tickets.csv",
        3,
        "unparseable_timestamp(created_at); unparseable_timestamp(updated_at); unknown_enum(channel)",
    )
    assert "created_at '2026-13-01 25:00' is not an ISO 8601 timestamp" in quarantined[0][8]
    assert "channel 'fax' is not one of email, chat" in quarantined[0][8]
    assert quarantined[1][0] is None and quarantined[1][7] == "empty_required(ticket_id)"
    assert rows(warehouse, "select ticket_id from raw.tickets") == [("T1",)]
    assert report.table("tickets").rows_quarantined == 2


def test_inventory_accounts_for_every_row_read(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(
        tmp_path / "data",
        tickets=[
            ONE_TICKET,
            ONE_TICKET,  # exact duplicate
            "T1,2026-03-01T09:00:00Z,2026-01-01T00:00:00Z,C1,email,normal,billing,,open,,,,Hello",  # superseded
            "T2,yesterday,,,email,,,,open,,,,",  # quarantined
            "T3,2026-03-01T09:00:00Z,,,email,,,,open,,,,",
        ],
    )
    load_folder(folder, warehouse)
    inventory = rows(
        warehouse,
        "select table_name, is_present, source_file, rows_read, rows_loaded, rows_quarantined, rows_duplicate_exact, "
        "rows_superseded from raw.table_inventory where table_name = 'tickets'",
    )
    # 5 read = 2 loaded (T1 dated, T3) + 1 quarantined + 1 exact duplicate + 1 superseded.
    assert inventory == [("tickets", True, "tickets.csv", 5, 2, 1, 1, 1)]
    unbalanced = rows(
        warehouse,
        "select count(*) from raw.table_inventory "
        "where rows_read <> rows_loaded + rows_quarantined + rows_duplicate_exact + rows_superseded",
    )
    assert unbalanced == [(0,)]


def test_every_contract_table_exists_with_contract_columns_and_absent_ones_are_empty(
    tmp_path: Path, warehouse: Path
) -> None:
    report = load_folder(make_folder(tmp_path / "data"), warehouse)
    expected_types = {
        "string": "VARCHAR", "enum": "VARCHAR", "time": "VARCHAR", "timestamp": "TIMESTAMP", "date": "DATE",
        "month": "DATE", "boolean": "BOOLEAN", "integer": "BIGINT", "number": "DOUBLE",
    }  # fmt: skip
    for table in TABLES.values():
        raw = rows(
            warehouse,
            "select column_name, data_type from information_schema.columns "
            f"where table_schema = 'raw' and table_name = '{table.name}' order by ordinal_position",
        )
        contract = [(c.name, expected_types[c.type]) for c in table.columns]
        assert raw == [
            *contract,
            ("_source_file", "VARCHAR"),
            ("_source_row", "BIGINT"),
            ("_loaded_at", "TIMESTAMP"),
        ], table.name
        quarantine = rows(
            warehouse,
            "select column_name from information_schema.columns "
            f"where table_schema = 'quarantine' and table_name = '{table.name}' order by ordinal_position",
        )
        assert [name for (name,) in quarantine] == [
            *table.column_names,
            "_source_file",
            "_source_row",
            "_loaded_at",
            "_rules",
            "_message",
            "_set_aside_at",
        ]
    assert rows(warehouse, "select count(*) from raw.agents") == [(0,)]
    assert rows(
        warehouse, "select is_present, source_file, rows_read from raw.table_inventory where table_name = 'agents'"
    ) == [(False, None, 0)]
    assert not report.table("agents").is_present
    assert rows(warehouse, "select count(*) from raw.table_inventory") == [(len(TABLES),)]


def test_move_to_quarantine_moves_rows_and_keeps_the_inventory_balanced(tmp_path: Path, warehouse: Path) -> None:
    events = [ONE_EVENT, "E2,T9,2026-03-01T09:00:00Z,message,agent,A1,true,,,,,,orphan"]
    load_folder(make_folder(tmp_path / "data", events=events), warehouse)
    with duckdb.connect(str(warehouse)) as con:
        moved = move_to_quarantine(
            con,
            "ticket_events",
            "ticket_id not in (select ticket_id from raw.tickets)",
            "orphan_event",
            message_sql="'ticket ' || ticket_id || ' is not in tickets'",
        )
    assert moved == 1
    assert rows(warehouse, "select event_id from raw.ticket_events") == [("E1",)]
    assert rows(
        warehouse, "select event_id, occurred_at, _source_row, _rules, _message from quarantine.ticket_events"
    ) == [("E2", "2026-03-01 09:00:00", 3, "orphan_event", "ticket T9 is not in tickets")]
    assert rows(
        warehouse,
        "select rows_read, rows_loaded, rows_quarantined from raw.table_inventory where table_name = 'ticket_events'",
    ) == [(2, 1, 1)]


# --- Parquet ------------------------------------------------------------------------------------------------


def test_parquet_input_is_typed_like_csv(tmp_path: Path, warehouse: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    tickets = pa.table(
        {
            "ticket_id": pa.array([7, 8], pa.int64()),  # numeric ids become strings
            "created_at": pa.array(
                [datetime(2026, 3, 1, 9, 0), datetime(2026, 3, 1, 10, 0)], pa.timestamp("us", tz="Europe/Berlin")
            ),  # instants: 09:00 UTC and 10:00 UTC whatever zone they print in
            "updated_at": pa.array([datetime(2026, 3, 1, 12, 0), None], pa.timestamp("us")),  # naive: source zone
            "channel": [" Chat", "email"],
            "status": ["open", "bogus"],
            "customer_id": pa.array([1.0, None], pa.float64()),  # an id column with a null, as pandas writes it
        }
    )
    pq.write_table(tickets, folder / "tickets.parquet")
    events = pa.table(
        {
            "event_id": ["E1"],
            "ticket_id": ["7"],
            "occurred_at": pa.array([datetime(2026, 3, 1, 9, 0)], pa.timestamp("ms")),
            "event_type": ["message"],
            "actor_type": ["customer"],
            "is_public": [True],
            "handle_seconds": pa.array([30], pa.int32()),
        }
    )
    pq.write_table(events, folder / "ticket_events.parquet")
    report = load_folder(folder, warehouse, source_timezone="Europe/Berlin")
    # Naive 12:00 in Berlin (CET, UTC+1 in March before the 29th) = 11:00 UTC.
    assert rows(
        warehouse, "select ticket_id, created_at, updated_at, channel, customer_id, _source_row from raw.tickets"
    ) == [("7", datetime(2026, 3, 1, 9, 0), datetime(2026, 3, 1, 11, 0), "chat", "1", 2)]
    assert rows(warehouse, "select ticket_id, status, _rules, _source_file, _source_row from quarantine.tickets") == [
        ("8", "bogus", "unknown_enum(status)", "tickets.parquet", 3)
    ]
    # Naive 09:00 Berlin = 08:00 UTC.
    assert rows(warehouse, "select occurred_at, is_public, handle_seconds from raw.ticket_events") == [
        (datetime(2026, 3, 1, 8, 0), True, 30)
    ]
    assert report.table("tickets").source_file == "tickets.parquet"


# --- file-level errors --------------------------------------------------------------------------------------


def _error(folder: Path, warehouse: Path) -> str:
    with pytest.raises(DataError) as caught:
        load_folder(folder, warehouse)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_missing_required_file_is_named(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(tmp_path / "data")
    (folder / "ticket_events.csv").unlink()
    assert "ticket_events.csv" in _error(folder, warehouse)


def test_a_missing_required_column_is_named(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(tmp_path / "data")
    write(folder, "tickets.csv", "ticket_id,updated_at,channel\nT1,,email\n")
    message = _error(folder, warehouse)
    assert "tickets.csv" in message and "created_at, status" in message


def test_unbalanced_quotes_name_the_file_and_row(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(
        tmp_path / "data", events=[ONE_EVENT, 'E2,T1,2026-03-01T09:00:00Z,message,customer,,,,,,,,"oops']
    )
    message = _error(folder, warehouse)
    assert message.startswith("ticket_events.csv: row 3:") and "quote" in message


def test_a_latin_1_file_is_named(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(tmp_path / "data")
    write(
        folder,
        "tickets.csv",
        TICKETS_HEADER + "\n" + ONE_TICKET + "\nT2,2026-03-01T09:00:00Z,,,email,,,,open,,,,Café\n",
        "latin-1",
    )
    message = _error(folder, warehouse)
    assert message.startswith("tickets.csv: row 3:") and "UTF-8" in message


def test_an_empty_required_file_is_named_but_a_header_only_file_is_an_empty_table(
    tmp_path: Path, warehouse: Path
) -> None:
    folder = make_folder(tmp_path / "data")
    write(folder, "tickets.csv", "")
    assert _error(folder, warehouse).startswith("tickets.csv: the file is empty (0 bytes)")
    folder = make_folder(tmp_path / "data")
    write(folder, "agents.csv", "agent_id,name,email,team,tier,hired_at,terminated_at,hourly_cost")
    report = load_folder(folder, warehouse)
    assert report.table("agents").is_present and report.table("agents").rows_read == 0


def test_both_csv_and_parquet_for_one_table_is_ambiguous(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(tmp_path / "data")
    pq.write_table(pa.table({"agent_id": ["A1"]}), folder / "agents.parquet")
    write(folder, "agents.csv", "agent_id\nA1\n")
    message = _error(folder, warehouse)
    assert "agents.csv" in message and "agents.parquet" in message


def test_an_unreadable_parquet_file_is_named(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(tmp_path / "data")
    write(folder, "agents.parquet", "agent_id\nA1\n")
    assert "agents.parquet" in _error(folder, warehouse)


def test_a_failed_load_leaves_the_previous_load_intact(tmp_path: Path, warehouse: Path) -> None:
    load_folder(make_folder(tmp_path / "first"), warehouse)
    before = rows(warehouse, "select * from raw.tickets")
    inventory_before = rows(warehouse, "select * from raw.table_inventory order by table_name")
    # The second folder's tickets are fine; its events file is broken, so nothing of it may land.
    second = make_folder(
        tmp_path / "second",
        tickets=["T9,2026-04-01T09:00:00Z,,,chat,,,,open,,,,"],
        events=[ONE_EVENT, 'E2,T1,2026-03-01T09:00:00Z,message,customer,,,,,,,,"oops'],
    )
    _error(second, warehouse)
    assert rows(warehouse, "select * from raw.tickets") == before
    assert rows(warehouse, "select * from raw.table_inventory order by table_name") == inventory_before


def test_a_first_load_that_fails_creates_no_warehouse(tmp_path: Path, warehouse: Path) -> None:
    folder = make_folder(tmp_path / "data", events=['E2,T1,2026-03-01T09:00:00Z,message,customer,,,,,,,,"oops'])
    _error(folder, warehouse)
    assert not warehouse.exists()


# --- the command line ---------------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    python = PROJECT_ROOT / ".venv" / "bin" / "python"
    return subprocess.run(
        [str(python if python.exists() else sys.executable), "-m", "support_kpis.cli", "load", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )


@pytest.mark.parametrize(
    ("case", "named"),
    [
        ("missing_file", "ticket_events.csv"),
        ("missing_column", "tickets.csv"),
        ("unbalanced_quotes", "ticket_events.csv"),
        ("latin_1", "tickets.csv"),
        ("empty_file", "ticket_events.csv"),
    ],
)
def test_cli_reports_a_bad_file_in_one_line_with_exit_code_2(tmp_path: Path, case: str, named: str) -> None:
    folder = make_folder(tmp_path / "data")
    if case == "missing_file":
        (folder / "ticket_events.csv").unlink()
    elif case == "missing_column":
        write(folder, "tickets.csv", "ticket_id,channel\nT1,email\n")
    elif case == "unbalanced_quotes":
        write(
            folder, "ticket_events.csv", EVENTS_HEADER + '\nE1,T1,2026-03-01T09:00:00Z,message,customer,,,,,,,,"oops\n'
        )
    elif case == "latin_1":
        write(folder, "tickets.csv", TICKETS_HEADER + "\n" + ONE_TICKET + " café\n", "latin-1")
    elif case == "empty_file":
        write(folder, "ticket_events.csv", "")
    result = _cli(str(folder), "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and named in errors[0], result.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_cli_loads_and_prints_a_summary(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "data", tickets=[ONE_TICKET, "T2,later,,,email,,,,open,,,,"])
    result = _cli(str(folder), "--warehouse", str(tmp_path / "w.duckdb"), "--source-timezone", "Europe/Paris")
    assert result.returncode == 0, result.stderr
    tickets_line = next(line for line in result.stdout.splitlines() if line.startswith("tickets "))
    # read 2, loaded 1, quarantined 1, no duplicates.
    assert tickets_line.split()[1:] == ["tickets.csv", "2", "1", "1", "0", "0"]
    # The connection is closed: the file opens read-write at once.
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert con.execute("select count(*) from raw.tickets").fetchone() == (1,)


def test_cli_rejects_an_unknown_time_zone(tmp_path: Path) -> None:
    result = _cli(
        str(make_folder(tmp_path / "data")), "--warehouse", str(tmp_path / "w.duckdb"), "--source-timezone", "Mars/Base"
    )
    assert result.returncode == 2 and "Mars/Base" in result.stderr and "Traceback" not in result.stderr
