"""Ids lose surrounding whitespace: a blank id is empty, ` T1 ` is T1 as key and as reference; free text is kept."""

from __future__ import annotations

from pathlib import Path

from support_kpis.contract import TABLES
from support_kpis.loading import load_folder
from support_kpis.loading.type_rules import column_rule
from tests.reliability.loader_inputs import GOOD_EVENT, GOOD_TICKET, folder_with, header, reconciles, records, rows


def test_id_columns_are_the_string_keys_and_references() -> None:
    trimmed = {(t.name, c.name) for t in TABLES.values() for c in t.columns if column_rule(t, c).is_key}
    assert ("tickets", "ticket_id") in trimmed and ("ticket_events", "ticket_id") in trimmed
    assert ("tickets", "assignee_id") in trimmed and ("kpi_targets", "kpi_id") in trimmed
    assert ("tickets", "category") not in trimmed and ("business_schedules", "timezone") not in trimmed
    # Every string column of a primary key is an id, whatever its name (enumerations are trimmed anyway).
    for table in TABLES.values():
        for name in table.primary_key:
            rule = column_rule(table, table.column(name))
            assert rule.kind != "string" or rule.is_key, (table.name, name)


def test_blank_ids_are_empty_and_padded_ids_are_trimmed(tmp_path: Path) -> None:
    tickets = header("tickets") + records(
        "tickets",
        [
            {**GOOD_TICKET, "ticket_id": " T1 ", "customer_id": "\tC1", "category": " Billing ", "subject": " hi "},
            {**GOOD_TICKET, "ticket_id": "   ", "subject": "blank id"},
            {**GOOD_TICKET, "ticket_id": "T2", "assignee_id": "  ", "updated_at": "2026-03-01T10:00:00Z"},
            # The same ticket as row 4 with its key padded: one key, the later update wins.
            {**GOOD_TICKET, "ticket_id": "T2 ", "assignee_id": "A1", "updated_at": "2026-03-01T11:00:00Z"},
        ],
    )
    events = header("ticket_events") + records(
        "ticket_events", [{**GOOD_EVENT, "event_id": "E1 ", "ticket_id": "T1\t"}]
    )
    warehouse = tmp_path / "w.duckdb"
    report = load_folder(
        folder_with(tmp_path / "data", **{"tickets.csv": tickets, "ticket_events.csv": events}), warehouse
    )
    assert rows(
        warehouse,
        "select ticket_id, customer_id, assignee_id, category, subject, _source_row from raw.tickets order by 1",
    ) == [
        ("T1", "C1", None, " Billing ", " hi ", 2),  # free text stays verbatim
        ("T2", None, "A1", None, None, 5),
    ]
    # The quarantine keeps the id as written, and the blank one breaks empty_required like an empty field.
    assert rows(warehouse, "select ticket_id, _rules, _message from quarantine.tickets") == [
        ("   ", "empty_required(ticket_id)", "ticket_id is empty but required")
    ]
    assert rows(warehouse, "select event_id, ticket_id from raw.ticket_events") == [("E1", "T1")]
    # The padded event joins its ticket.
    assert rows(warehouse, "select count(*) from raw.ticket_events join raw.tickets using (ticket_id)") == [(1,)]
    tickets_load = report.table("tickets")
    assert (tickets_load.rows_read, tickets_load.rows_quarantined, tickets_load.rows_superseded) == (4, 1, 1)
    assert reconciles(warehouse)
