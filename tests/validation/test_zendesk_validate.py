"""The Great Expectations gate over the Zendesk connector's tables: suites, a clean sample, one bad row per rule.

Real loader, real DuckDB, real GX. Each bad row is appended to a generated folder with Python's csv module, so
its file row (header = 1, first record = 2) is known before the load: the expected quarantine is written out here.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from great_expectations.core import ExpectationSuite

from support_kpis.loading import load_folder, load_zendesk_folder
from support_kpis.loading.registry import ZENDESK
from support_kpis.sample import SampleConfig
from support_kpis.sample.zendesk import generate_zendesk_sample
from support_kpis.validation.gate import validate_folder, validate_warehouse
from support_kpis.validation.options import ValidationOptions
from support_kpis.validation.suites import SUITES_DIR, load_suites
from support_kpis.validation.zendesk_suites import suite_text
from tests.warehouses import query

TICKETS = 300
SEED = 5
ZENDESK_SUITES = SUITES_DIR / "zendesk"


def options(work: Path) -> ValidationOptions:
    return ValidationOptions(report_dir=work / "report", as_of=datetime(2026, 11, 1))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zendesk_sample")
    generate_zendesk_sample(SampleConfig(tickets=TICKETS, seed=SEED), folder, "csv")
    return folder


def copy_folder(source: Path, target: Path) -> Path:
    target.mkdir()
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def append_rows(path: Path, rows: list[dict[str, str]]) -> list[int]:
    """Append `rows` (missing columns empty) to the CSV file; return their file rows."""
    existing = read_csv(path)
    header = list(existing[0])
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in header})
    first = len(existing) + 2
    return list(range(first, first + len(rows)))


# --- the suites ------------------------------------------------------------------------------------------------


def test_there_is_one_current_gx_suite_per_zendesk_table() -> None:
    assert sorted(p.stem for p in ZENDESK_SUITES.glob("*.json")) == sorted(ZENDESK.tables)
    for table in ZENDESK.tables.values():
        path = ZENDESK_SUITES / f"{table.name}.json"
        text = path.read_text(encoding="utf-8")
        assert text == suite_text(table), f"{path} is stale: python -m support_kpis.validation.zendesk_suites"
        document = json.loads(text)
        assert document["name"] == f"zendesk.{table.name}"
        assert ExpectationSuite(**json.loads(text)).to_json_dict() == document
        ids = [e["id"] for e in document["expectations"]]
        assert len(set(ids)) == len(ids) and document["id"] not in ids
    suites = load_suites(registry=ZENDESK)
    rules = {table: {rule.name: rule for rule in suite.rules} for table, suite in suites.items()}
    for table in ("ticket", "ticket_comment", "ticket_field_history", "user"):
        assert rules[table]["empty_table"].blocks
    assert rules["ticket"]["unknown_enum(status)"].sets_rows_aside
    assert rules["ticket"]["unusual_value(via_channel)"].severity == "warning"
    assert rules["ticket_comment"]["orphan_comment"].sets_rows_aside
    assert rules["ticket_field_history"]["unparseable_sla_target(value)"].sets_rows_aside
    assert rules["schedule"]["unknown_timezone(time_zone)"].sets_rows_aside


def test_the_generated_sample_passes_with_no_finding(generated: Path, tmp_path: Path) -> None:
    report = validate_folder(generated, options(tmp_path), source="zendesk")
    assert report.success and report.rows_quarantined == 0 and report.warnings == 0
    assert [t.table for t in report.tables] == [f"zendesk.{name}" for name in ZENDESK.tables]
    assert all(t.reconciliation and t.reconciliation.reconciles for t in report.tables)
    # Deleted tickets are valid data: reported as left out, never quarantined.
    tickets = read_csv(generated / "ticket.csv")
    deleted = sum(t["status"] == "deleted" or t["_fivetran_deleted"] == "true" for t in tickets)
    assert deleted > 0
    assert report.tables[0].rows_left_out == deleted
    assert f"zendesk.ticket: {deleted:,} valid rows are left out by the adapter" in report.summary()


def test_each_row_rule_sets_the_right_row_aside_with_its_reason_file_and_row(generated: Path, tmp_path: Path) -> None:
    folder = copy_folder(generated, tmp_path / "in")
    tickets = read_csv(folder / "ticket.csv")
    ticket = next(t for t in tickets if t["status"] == "solved" and t["_fivetran_deleted"] == "false")
    created = datetime.fromisoformat(ticket["created_at"])

    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    comment_rows = append_rows(
        folder / "ticket_comment.csv",
        [
            {"id": "990001", "ticket_id": "123456789", "created": ticket["created_at"], "public": "true"},
            {
                "id": "990002",
                "ticket_id": ticket["id"],
                "created": stamp(created - timedelta(days=1)),
                "public": "true",
            },
        ],
    )
    history = {"ticket_id": ticket["id"], "user_id": ""}
    history_rows = append_rows(
        folder / "ticket_field_history.csv",
        [
            {**history, "field_name": "status", "updated": stamp(created + timedelta(seconds=11)), "value": "bogus"},
            {**history, "field_name": "satisfaction_score", "updated": stamp(created + timedelta(seconds=12)),
             "value": "meh"},
            {**history, "field_name": "first_reply_time", "updated": stamp(created + timedelta(seconds=13)),
             "value": "60 minutes"},
            {**history, "field_name": "next_reply_time", "updated": stamp(created + timedelta(seconds=14)),
             "value": '{"minutes": 0, "in_business_hours": true}'},
            {"ticket_id": "123456789", "field_name": "status", "updated": ticket["created_at"], "value": "open"},
        ],
    )  # fmt: skip
    schedule_rows = append_rows(
        folder / "schedule.csv",
        [{"id": "990003", "name": "Atlantis", "time_zone": "Atlantis Standard Time", "start_time": "540",
          "end_time": "1020"}],
    )  # fmt: skip
    unusual_channel = {**ticket, "id": "990004", "via_channel": "carrier_pigeon"}
    append_rows(folder / "ticket.csv", [unusual_channel])

    warehouse = tmp_path / "w.duckdb"
    load_zendesk_folder(folder, warehouse)
    report = validate_warehouse(warehouse, options(tmp_path))
    assert report.success, report.failure_line()

    def quarantined(table: str) -> list[tuple[Any, ...]]:
        return query(
            warehouse,
            f"select _source_file, _source_row, _rules, _message from quarantine.zendesk__{table} order by _source_row",
        )

    comments = quarantined("ticket_comment")
    assert [c[:3] for c in comments] == [
        ("ticket_comment.csv", comment_rows[0], "orphan_comment"),
        ("ticket_comment.csv", comment_rows[1], "comment_before_ticket_created"),
    ]
    assert "123456789" in comments[0][3]
    changes = quarantined("ticket_field_history")
    assert [c[:3] for c in changes] == [
        ("ticket_field_history.csv", history_rows[0], "unknown_enum(value: status)"),
        ("ticket_field_history.csv", history_rows[1], "unknown_enum(value: satisfaction_score)"),
        ("ticket_field_history.csv", history_rows[2], "unparseable_sla_target(value)"),
        ("ticket_field_history.csv", history_rows[3], "unparseable_sla_target(value)"),
        ("ticket_field_history.csv", history_rows[4], "orphan_field_history"),
    ]
    assert "bogus" in changes[0][3] and "60 minutes" in changes[2][3]
    schedules = quarantined("schedule")
    assert [s[:3] for s in schedules] == [("schedule.csv", schedule_rows[0], "unknown_timezone(time_zone)")]
    assert "Atlantis Standard Time" in schedules[0][3]
    # A warning keeps its row.
    assert quarantined("ticket") == []
    assert query(warehouse, "select via_channel from zendesk.ticket where id = 990004") == [("carrier_pigeon",)]
    ticket_report = next(t for t in report.tables if t.table == "zendesk.ticket")
    failing = {o.rule.name: o.rows_failing for o in ticket_report.failing}
    assert failing == {"unusual_value(via_channel)": 1}
    # Counted as for contract files: every row read is clean, quarantined or a duplicate.
    assert all(t.reconciliation and t.reconciliation.reconciles for t in report.tables)
    assert report.rows_quarantined == 2 + 5 + 1
    inventory = dict(query(warehouse, "select table_name, rows_quarantined from zendesk.table_inventory"))
    assert (inventory["ticket_comment"], inventory["ticket_field_history"], inventory["schedule"]) == (2, 5, 1)
    summary = report.summary()
    assert "quarantine.zendesk__ticket_comment" in summary


def test_the_mode_follows_the_last_load(generated: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    load_zendesk_folder(generated, warehouse)
    contract = tmp_path / "contract"
    contract.mkdir()
    from support_kpis.contract import TABLES

    for name in ("tickets", "ticket_events"):
        (contract / f"{name}.csv").write_text(",".join(TABLES[name].column_names) + "\n", encoding="utf-8")
    load_folder(contract, warehouse)
    report = validate_warehouse(warehouse, options(tmp_path))
    # A contract load after the Zendesk one: the contract suites run, and the empty tickets stop the run.
    assert [t.table for t in report.tables][:2] == ["tickets", "ticket_events"]
    assert not report.success and "tickets: empty_table" in report.failure_line()
