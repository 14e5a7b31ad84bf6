"""A flat export end to end on a tiny hand-made fixture: the mapping reads it (a German help desk's column names,
day-first timestamps in Europe/Berlin, value maps), the loader quarantines the rows that contradict themselves with
their rule and reports the suspicious one, and `dbt build --vars '{source: flat}'` gives KPIs equal to a hand
computation written out below.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from support_kpis.dbt_runner import run_dbt
from support_kpis.flat_exports import load_flat_export, read_mapping
from tests.warehouses import query

pytestmark = pytest.mark.slow

HEADER = ["Nr", "Erstellt", "Erste Antwort", "Gelöst", "Status", "Kanal", "Zufriedenheit"]
# Times are Berlin local (CET, UTC+1, in March 2024).
ROWS = [
    ["T1", "04.03.2024 09:00", "04.03.2024 09:10", "04.03.2024 11:00", "Erledigt", "E-Mail", "5"],
    ["T2", "05.03.2024 10:00", "05.03.2024 10:30", "06.03.2024 10:00", "Geschlossen", "Telefon", "2"],
    ["T3", "06.03.2024 08:00", "06.03.2024 08:20", "", "Offen", "E-Mail", ""],
    ["T4", "07.03.2024 12:00", "", "", "Offen", "Fax", ""],
    # Suspicious, kept: first response after the solve.
    ["T5", "08.03.2024 09:00", "08.03.2024 12:00", "08.03.2024 10:00", "Erledigt", "E-Mail", "4"],
    # Contradictory, quarantined:
    ["T6", "09.03.2024 09:00", "09.03.2024 09:05", "08.03.2024 09:00", "Erledigt", "E-Mail", ""],
    ["T7", "10.03.2024 09:00", "10.03.2024 08:00", "", "Offen", "E-Mail", ""],
    ["T8", "bald", "", "", "Offen", "E-Mail", ""],
    ["", "11.03.2024 09:00", "", "", "Offen", "E-Mail", ""],
]
MAPPING = """\
time_zone: Europe/Berlin
timestamp_formats: ["%d.%m.%Y %H:%M"]
columns:
  ticket_id: Nr
  created_at: Erstellt
  first_response_at: Erste Antwort
  resolved_at: Gelöst
  status: Status
  channel: Kanal
values:
  status: {Offen: open, Erledigt: solved, Geschlossen: closed}
  channel: {E-Mail: email, Telefon: phone, "*": other}
survey:
  score: Zufriedenheit
  scale: {min: 1, max: 5}
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("flat_kpis")
    export = work / "export.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    (work / "mapping.yml").write_text(MAPPING, encoding="utf-8")
    target = work / "warehouse.duckdb"
    report = load_flat_export(export, read_mapping(work / "mapping.yml"), target)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (9, 5, 4)
    assert [w.line() for w in report.warnings] == [
        "warning: 1 tickets with first response after the solve, kept as exported (first_response_after_resolution): T5"
    ]
    run_dbt(["build"], warehouse=target, dbt_vars={"source": "flat"}, target_dir=work / "target", quiet=True)
    return target


def _month_value(warehouse: Path, kpi_id: str) -> tuple[float, int]:
    rows = query(
        warehouse,
        "select value, sample_size from kpi_values where kpi_id = ? and grain = 'month' and dimension = 'all' "
        "and period_start = date '2024-03-01'",
        [kpi_id],
    )
    assert len(rows) == 1, (kpi_id, rows)
    return rows[0]


def test_contradictory_rows_are_quarantined_with_their_rule(warehouse: Path) -> None:
    rows = query(warehouse, "select _source_row, ticket_id, _rules from quarantine.tickets_export order by 1")
    # Rows as a spreadsheet shows them: header = 1, T1 = 2, ... T6 = 7.
    assert rows == [
        (7, "T6", "resolved_before_created"),
        (8, "T7", "first_response_before_created"),
        (9, "T8", "unparseable_timestamp(created_at)"),
        (10, None, "empty_required(ticket_id)"),
    ]
    assert query(warehouse, "select ticket_id, rule from flat.export_warnings") == [
        ("T5", "first_response_after_resolution")
    ]
    assert query(
        warehouse,
        "select rows_read, rows_loaded, rows_quarantined from staging.stg_table_inventory where table_name = 'tickets'",
    ) == [(9, 5, 4)]


def test_timestamps_are_read_in_the_export_time_zone_and_enums_mapped(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select ticket_id, cast(created_at as varchar), channel, status from staging.stg_tickets order by ticket_id",
    )
    # 09:00 CET is 08:00 UTC; "Fax" is not in the channel map: the catch-all "*" makes it other.
    assert rows[0] == ("T1", "2024-03-04 08:00:00", "email", "solved")
    assert rows[3] == ("T4", "2024-03-07 11:00:00", "other", "open")


def test_only_the_implied_events_exist(warehouse: Path) -> None:
    events = query(
        warehouse,
        "select event_id, event_type, actor_type, coalesce(new_status, '') from staging.stg_ticket_events "
        "where ticket_id = 'T1' order by occurred_at",
    )
    assert events == [
        ("created:T1", "message", "customer", ""),
        ("first_response:T1", "message", "agent", ""),
        ("solved:T1", "status_change", "agent", "solved"),
    ]
    # T4: created only (no reply, not solved).
    assert query(warehouse, "select count(*) from staging.stg_ticket_events where ticket_id = 'T4'") == [(1,)]


def test_kpis_equal_a_hand_computation(warehouse: Path) -> None:
    # Tickets kept: T1..T5, all created in March 2024.
    assert _month_value(warehouse, "tickets_created") == (5, 5)
    # Solved in March: T1, T2 (solved at its resolved time; it is closed now), T5.
    assert _month_value(warehouse, "tickets_solved")[0] == 3
    # First response waits (minutes): T1 10, T2 30, T3 20, T5 180 (kept as exported); T4 has none.
    # Sorted 10, 20, 30, 180: median (20 + 30) / 2 = 25.
    assert _month_value(warehouse, "first_response_time_median_minutes") == (25, 4)
    # Creation to first solve (hours): T1 2, T2 24, T5 1. Median 2.
    assert _month_value(warehouse, "resolution_time_median_hours") == (2, 3)
    # CSAT on 1..5: T1 5, T2 2, T5 4 -> normalized 1, 0.25, 0.75; satisfied (>= 0.75): 2 of 3.
    value, responses = _month_value(warehouse, "csat_pct")
    assert responses == 3
    assert value == pytest.approx(200 / 3)
    value, _ = _month_value(warehouse, "csat_avg_normalized")
    assert value == pytest.approx((100 + 25 + 75) / 3)


# What a flat export cannot hold, and the KPIs that need it (docs/flat-exports.md).
NO_REPLY_HISTORY = "A flat export (one row per ticket) holds only the first response, not every reply."
NO_STATUS_HISTORY = "A flat export (one row per ticket) holds one solve, not the status history (reopens)."
NO_HANDLE_TIME = "A flat export (one row per ticket) records no agent working time."
UNAVAILABLE = {
    "average_response_time_minutes": NO_REPLY_HISTORY,
    "agent_replies": NO_REPLY_HISTORY,
    "active_agents": NO_REPLY_HISTORY,
    "ces_interaction_net": NO_REPLY_HISTORY,
    "reopen_rate_pct": NO_STATUS_HISTORY,
    "full_resolution_time_median_hours": NO_STATUS_HISTORY,
    "average_handle_time_minutes": NO_HANDLE_TIME,
    "escalation_rate_pct": "A flat export (one row per ticket) holds no escalation history.",
    "bot_resolution_pct": "A flat export (one row per ticket) does not say who wrote which message, bot or agent.",
}


def test_kpis_a_flat_export_cannot_support_are_unavailable_with_the_reason(warehouse: Path) -> None:
    catalog = dict(
        query(warehouse, "select kpi_id, coalesce(unavailable_reason, '') from kpi_catalog where not is_available")
    )
    for kpi_id, reason in UNAVAILABLE.items():
        assert catalog.get(kpi_id) == reason, kpi_id
    # Needs both histories: the first gap listed is the reason given.
    assert catalog["first_contact_resolution_pct"] in (NO_REPLY_HISTORY, NO_STATUS_HISTORY)
    dropped = [*UNAVAILABLE, "first_contact_resolution_pct"]
    placeholders = ", ".join("?" for _ in dropped)
    assert query(warehouse, f"select count(*) from kpi_values where kpi_id in ({placeholders})", dropped) == [(0,)]
    for kpi_id in ("first_response_time_median_minutes", "resolution_time_median_hours", "csat_pct", "tickets_solved"):
        assert kpi_id not in catalog, kpi_id
