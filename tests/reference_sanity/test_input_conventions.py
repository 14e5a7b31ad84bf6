"""How the reference reads its input: duplicates, CSV conventions, dimensions, contract errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from reference import compute_kpi_values
from tests.reference_sanity.builders import find, series, status_change, ticket, write_folder


def test_duplicate_ticket_rows_keep_the_latest_version(tmp_path: Path) -> None:
    # T1: updated 03-05 (email, billing) beats the later-read updated 03-04 (chat, bug).
    # T2: both updated_at null -> the last row read (web).
    # T3: a dated row (social) beats an undated one (other).
    # T4: an exact duplicate -> one ticket (chat).
    # T5: equal updated_at -> the last row read (messaging).
    created = "2026-03-02T09:00:00"
    folder = write_folder(
        tmp_path,
        [
            ticket("T1", created, channel="email", updated_at="2026-03-05T00:00:00", category="billing"),
            ticket("T1", created, channel="chat", updated_at="2026-03-04T00:00:00", category="bug"),
            ticket("T2", created, channel="phone"),
            ticket("T2", created, channel="web"),
            ticket("T3", created, channel="social", updated_at="2026-03-04T00:00:00"),
            ticket("T3", created, channel="other"),
            ticket("T4", created, channel="chat"),
            ticket("T4", created, channel="chat"),
            ticket("T5", created, channel="email", updated_at="2026-03-04T00:00:00"),
            ticket("T5", created, channel="messaging", updated_at="2026-03-04T00:00:00"),
        ],
        [],
    )
    rows = compute_kpi_values(folder)
    assert find(rows, "tickets_created", "day", "2026-03-02").value == 5.0
    by_channel = {r.dimension_value: r.value for r in rows if r.kpi_id == "tickets_created" and r.grain == "day"
                  and r.dimension == "channel"}  # fmt: skip
    assert by_channel == {"email": 1.0, "web": 1.0, "social": 1.0, "chat": 1.0, "messaging": 1.0}
    assert find(rows, "tickets_created", "day", "2026-03-02", "category", "billing").value == 1.0
    assert find(rows, "tickets_created", "day", "2026-03-02", "category", "bug") is None


def test_duplicate_event_rows_last_read_wins(tmp_path: Path) -> None:
    # e1 first says "solved" at 09:00, its later copy says "pending" at 09:00 -> never solved.
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T08:00:00")],
        [
            status_change("T1", "2026-03-02T09:00:00", "solved", event_id="e1"),
            status_change("T1", "2026-03-02T09:00:00", "pending", event_id="e1"),
        ],
    )
    rows = compute_kpi_values(folder)
    assert find(rows, "tickets_solved", "day", "2026-03-02") is None
    assert series(rows, "backlog_open_tickets", "day") == {"2026-03-02": 1.0}


def test_csv_conventions_and_dimensions(tmp_path: Path) -> None:
    # A BOM, enums with spaces and capitals, booleans as Yes/1, "NA" as a value, ids verbatim
    # ("007" is not "7"), a quoted subject with a comma and a newline, null priority -> normal,
    # null category -> uncategorized, other nulls -> unknown, a customer missing from customers.csv -> unknown.
    (tmp_path / "tickets.csv").write_text(
        "\ufeffticket_id,created_at,customer_id,channel,priority,category,product,status,assignee_id,team,subject\n"
        'T1,2026-03-02 09:00:00,007, Email ,HIGH,Billing,,Open,a1,NA,"Hi, ""there""\nsecond line"\n'
        "T2,2026-03-02T10:00:00Z,7,chat,,,app,SOLVED,,,\n"
        "T3,2026-03-02T11:00:00,999,chat,,,,new,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "ticket_events.csv").write_text(
        "event_id,ticket_id,occurred_at,event_type,actor_type,is_public,new_status\n"
        "e1,T1,2026-03-02T09:00:00, Message ,CUSTOMER,Yes,\n"
        "e2,T1,2026-03-02T09:06:00,message,Agent,1,\n"
        "e3,T2,2026-03-02T11:00:00,Status_Change,agent,, Solved \n",
        encoding="utf-8",
    )
    (tmp_path / "customers.csv").write_text(
        "customer_id,segment,region\n007,enterprise,EMEA\n7,smb,\n", encoding="utf-8"
    )
    rows = compute_kpi_values(tmp_path)

    def created_by(dimension: str) -> dict[str, float]:
        return {r.dimension_value: r.value for r in rows
                if (r.kpi_id, r.grain, r.dimension) == ("tickets_created", "day", dimension)}  # fmt: skip

    assert created_by("channel") == {"email": 1.0, "chat": 2.0}
    assert created_by("priority") == {"high": 1.0, "normal": 2.0}
    assert created_by("category") == {"Billing": 1.0, "uncategorized": 2.0}
    assert created_by("team") == {"NA": 1.0, "unknown": 2.0}
    assert created_by("agent") == {"a1": 1.0, "unknown": 2.0}
    assert created_by("product") == {"app": 1.0, "unknown": 2.0}
    assert created_by("segment") == {"enterprise": 1.0, "smb": 1.0, "unknown": 1.0}
    assert created_by("region") == {"EMEA": 1.0, "unknown": 2.0}
    # T1's reply (is_public "1") 6 min after its message; T2 solved 1 h after creation.
    assert find(rows, "first_response_time_median_minutes", "day", "2026-03-02").value == 6.0
    assert find(rows, "resolution_time_median_hours", "day", "2026-03-02").value == 1.0


def test_a_row_breaking_the_contract_is_named(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, [ticket("T1", "2026-03-02T09:00:00", channel="fax")], [])
    with pytest.raises(ValueError, match=r"tickets\.csv row 1 channel: unknown value 'fax'"):
        compute_kpi_values(folder)
