"""The Great Expectations gate: suites that follow the contract, the sample passing, quarantine and reports.

Every run here is the real loader, the real DuckDB warehouse and the real GX checkpoints; the bad-input corpus
that breaks each rule in turn is in test_bad_inputs.py.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from great_expectations.core import ExpectationSuite

from support_kpis.contract import TABLES
from support_kpis.loading import load_folder
from support_kpis.loading.type_rules import column_rule
from support_kpis.settings import PROJECT_ROOT
from support_kpis.validation.gate import validate_folder, validate_warehouse
from support_kpis.validation.options import ValidationOptions
from support_kpis.validation.report import ValidationReport
from support_kpis.validation.suites import SUITES_DIR, load_suites
from tests.validation.bad_inputs.base import BASE, write_folder, write_table
from tests.validation.bad_inputs.raw import insert_rows

MAP_EXPECTATIONS = ("expect_column_values_", "expect_column_pair_values_", "expect_compound_columns_")
GX_DTYPES = {"timestamp": "datetime64", "date": "datetime64", "month": "datetime64", "integer": "Int64",
             "number": "float64", "boolean": "boolean"}  # fmt: skip


def query(warehouse: Path, sql: str, parameters: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, parameters or []).fetchall()


def options(work: Path, **changes: Any) -> ValidationOptions:
    return ValidationOptions(report_dir=work / "report", as_of=datetime(2026, 3, 3), **changes)


# --- the suites ------------------------------------------------------------------------------------------------


def _documents() -> dict[str, dict[str, Any]]:
    return {t: json.loads((SUITES_DIR / f"{t}.json").read_text(encoding="utf-8")) for t in TABLES}


def test_there_is_one_suite_per_contract_table_in_gx_format() -> None:
    assert sorted(p.stem for p in SUITES_DIR.glob("*.json")) == sorted(TABLES)
    for table, document in _documents().items():
        assert document["name"] == table and document["id"]
        assert all(e["id"] and e["meta"]["rule"] for e in document["expectations"])
        ids = [e["id"] for e in document["expectations"]]
        assert len(set(ids)) == len(ids) and document["id"] not in ids
        # Exactly what GX itself writes for this suite: the file is GX's own format.
        assert ExpectationSuite(**json.loads(json.dumps(document))).to_json_dict() == document


def test_every_expectation_has_a_severity_and_a_level_that_fits_its_type() -> None:
    for suite in load_suites().values():
        for rule in suite.rules:
            assert rule.severity in ("error", "warning")
            is_map = rule.expectation_type.startswith(MAP_EXPECTATIONS)
            assert (rule.level == "row") == is_map, (suite.table, rule.name)


def test_the_suites_carry_every_rule_the_contract_implies() -> None:
    for table, suite in load_suites().items():
        contract = TABLES[table]
        rules = {rule.name: rule for rule in suite.rules}
        document = {e["meta"]["rule"]: e for e in _documents()[table]["expectations"]}
        assert document["missing_columns"]["kwargs"]["column_set"] == list(contract.column_names)
        assert ("empty_table" in rules) == contract.required
        assert f"duplicate_key({', '.join(contract.primary_key)})" in rules
        for column in contract.columns:
            kind = column_rule(contract, column).kind
            if column.required:
                assert rules[f"empty_required({column.name})"].severity == "error"
            if kind in GX_DTYPES:
                assert document[f"unparseable_{kind}({column.name})"]["kwargs"]["type_"] == GX_DTYPES[kind]
            if kind == "enum":
                allowed = document[f"unknown_enum({column.name})"]["kwargs"]["value_set"]
                assert allowed == list(column_rule(contract, column).allowed)
            if kind == "time":
                assert f"unparseable_time({column.name})" in rules


NUMERIC = ("integer", "number")
TEMPORAL = ("timestamp", "date", "month")
# The one window every temporal column is checked against (exclusive at both ends).
TIME_WINDOW = {"min_value": "1970-01-01T00:00:00", "max_value": "2100-01-01T00:00:00", "strict_min": True,
               "strict_max": True}  # fmt: skip
# A survey's score is bounded by its own scale, whose ends have ranges; a fixed range could never fire alone.
BOUNDED_BY_OTHER_RULES = {("surveys", "score"): ("score_below_scale", "score_above_scale")}


def _bounds(expectation: dict[str, Any]) -> tuple[Any, Any]:
    return expectation["kwargs"].get("min_value"), expectation["kwargs"].get("max_value")


def test_every_numeric_and_temporal_column_has_a_bounded_range() -> None:
    for table, suite in load_suites().items():
        rules = {rule.name: rule for rule in suite.rules}
        document = {e["meta"]["rule"]: e for e in _documents()[table]["expectations"]}
        for column in TABLES[table].columns:
            if (table, column.name) in BOUNDED_BY_OTHER_RULES:
                assert set(BOUNDED_BY_OTHER_RULES[(table, column.name)]) <= set(rules)
                continue
            if column.type not in (*NUMERIC, *TEMPORAL):
                continue
            name = f"out_of_range({column.name})"
            rule, expectation = rules[name], document[name]
            assert expectation["type"] == "expect_column_values_to_be_between" and rule.level == "row", name
            assert expectation["kwargs"]["column"] == column.name
            low, high = _bounds(expectation)
            if column.type in NUMERIC:
                # An error, with both ends finite and within the money ceiling (1e15, below 2**53): sums over
                # billions of rows stay far from BIGINT's and a double's limits.
                assert rule.severity == "error", (table, name)
                assert isinstance(low, int | float) and isinstance(high, int | float) and low < high, (table, name)
                assert max(abs(low), abs(high)) <= 1e15, (table, name)
            else:
                assert {k: expectation["kwargs"].get(k) for k in TIME_WINDOW} == TIME_WINDOW, (table, name)
                # A warning only where the row is kept on purpose, and its description says why.
                assert rule.severity == "error" or "(kept: " in rule.description, (table, name)


def test_a_warning_range_lies_inside_its_error_range_and_checks_only_rows_inside_it() -> None:
    for table, suite in load_suites().items():
        document = {e["meta"]["rule"]: e for e in _documents()[table]["expectations"]}
        for rule in suite.rules:
            if not rule.name.startswith(("out_of_range(", "unusual_value(")):
                continue
            (column,) = rule.columns
            assert rule.name.endswith(f"({column})"), (table, rule.name)
            if rule.name.startswith("out_of_range("):
                continue
            warning, error = document[rule.name], document[f"out_of_range({column})"]
            assert rule.severity == "warning" and rule.level == "row", (table, rule.name)
            assert error["severity"] == "critical", (table, rule.name)
            error_low, error_high = _bounds(error)
            low, high = _bounds(warning)
            assert (low is None or error_low <= low) and high is not None and high <= error_high, (table, rule.name)
            # Only rows the error range keeps: a value is either set aside or flagged as unusual, never both.
            (at_least, at_most) = warning["kwargs"]["row_condition"]["conditions"]
            assert warning["kwargs"]["row_condition"]["type"] == "and"
            assert (at_least["column"]["name"], at_least["operator"]) == (column, ">=")
            assert (at_most["column"]["name"], at_most["operator"], at_most["parameter"]) == (column, "<=", error_high)
            assert at_least["parameter"] <= error_low and (low is None or at_least["parameter"] <= low)


def test_a_broken_suite_file_is_named_in_one_line(tmp_path: Path) -> None:
    from support_kpis.errors import UserError
    from support_kpis.validation.suites import load_suite

    path = tmp_path / "tickets.json"
    document = _documents()["tickets"]
    document["expectations"][0]["type"] = "expect_something_unheard_of"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_suite(path, "tickets")
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


# --- the generated sample: what CI checks ---------------------------------------------------------------------


def test_the_generated_sample_passes_with_no_finding_at_all(sample_data: Path, tmp_path: Path) -> None:
    # The sample ends on 2026-10-31; judged fresh from 2026-11-01, with --fail-on-quarantine as CI runs it.
    report = validate_folder(
        sample_data,
        ValidationOptions(report_dir=tmp_path / "report", as_of=datetime(2026, 11, 1), fail_on_quarantine=True),
    )
    failing = [(t.table, o.rule.name) for t in report.tables for o in t.failing]
    assert failing == [] and report.rows_quarantined == 0
    assert report.status == "passed" and report.reconciles


def test_the_shipped_configuration_defaults_pass_their_suites(tmp_path: Path) -> None:
    # seeds/ holds the defaults dbt uses when the user supplies no configuration table; they are contract files.
    folder = write_folder(tmp_path / "data", {t: BASE[t] for t in ("tickets", "ticket_events")})
    for table in ("business_schedules", "holidays", "sla_policies", "kpi_targets"):
        shutil.copy(PROJECT_ROOT / "seeds" / f"{table}.csv", folder / f"{table}.csv")
    report = validate_folder(folder, options(tmp_path))
    configuration = [t for t in report.tables if TABLES[t.table].is_configuration]
    assert all(t.raw.rows > 0 for t in configuration)
    assert [(t.table, o.rule.name) for t in configuration for o in t.failing] == []
    assert report.status == "passed" and report.rows_quarantined == 0


# --- quarantine -----------------------------------------------------------------------------------------------


def _folder_with_bad_rows(folder: Path) -> Path:
    """The clean base plus: ticket T9 with an unknown channel and its event E9; event E10 breaking two rules."""
    write_folder(folder, BASE)
    t9 = {**BASE["tickets"][0], "ticket_id": "T9", "channel": "fax"}
    e9 = {**BASE["ticket_events"][0], "event_id": "E9", "ticket_id": "T9"}
    e10 = {**BASE["ticket_events"][1], "event_id": "E10", "ticket_id": "T404", "handle_seconds": "-5"}
    write_table(folder, "tickets", [*BASE["tickets"], t9])
    write_table(folder, "ticket_events", [*BASE["ticket_events"], e9, e10])
    return folder


def test_events_of_a_quarantined_ticket_follow_it_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    load_folder(_folder_with_bad_rows(tmp_path / "data"), warehouse)
    first = validate_warehouse(warehouse, options(tmp_path))
    # The loader set T9 aside (unknown channel); its event E9 (row 8) is then an orphan, and so is E10 (row 9).
    assert query(warehouse, "select event_id, _rules, _message from quarantine.ticket_events order by 1")[0] == (
        "E10",
        "out_of_range(handle_seconds); orphan_event",
        "handle_seconds -5; expected: handle_seconds is from 0 to 86,400 (one day): one event cannot take more "
        "agent time. | ticket_id 'T404'; expected: The event's "
        "ticket_id is a ticket in tickets (a ticket set aside in quarantine counts as absent).",
    )
    assert query(warehouse, "select event_id, _rules from quarantine.ticket_events where event_id = 'E9'") == [
        ("E9", "orphan_event")
    ]
    assert first.rows_set_aside_now == 2
    snapshot = [
        query(warehouse, f"select * from {schema}.ticket_events order by _source_row")
        for schema in ("raw", "quarantine")
    ]
    inventory = query(warehouse, "select * from raw.table_inventory order by table_name")

    second = validate_warehouse(warehouse, options(tmp_path))
    assert second.rows_set_aside_now == 0 and second.rows_quarantined == first.rows_quarantined == 3
    assert [
        query(warehouse, f"select * from {schema}.ticket_events order by _source_row")
        for schema in ("raw", "quarantine")
    ] == snapshot
    assert query(warehouse, "select * from raw.table_inventory order by table_name") == inventory
    # The second run's Data Docs replace the first's: one validation page per table.
    assert len(list((tmp_path / "report" / "data_docs" / "validations" / "tickets").rglob("*.html"))) == 1
    # 8 events read = 6 clean + 2 quarantined; 3 tickets read = 2 clean + 1 quarantined.
    events = next(t for t in second.tables if t.table == "ticket_events").reconciliation
    tickets = next(t for t in second.tables if t.table == "tickets").reconciliation
    assert events is not None and (events.rows_read, events.rows_clean, events.rows_quarantined) == (8, 6, 2)
    assert tickets is not None and (tickets.rows_read, tickets.rows_clean, tickets.rows_quarantined) == (3, 2, 1)
    assert second.reconciles


def test_no_quarantine_reports_the_rows_and_leaves_them(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    load_folder(_folder_with_bad_rows(tmp_path / "data"), warehouse)
    report = validate_warehouse(warehouse, options(tmp_path, quarantine=False))
    assert report.rows_set_aside_now == 0 and report.status == "passed"
    assert query(warehouse, "select count(*) from raw.ticket_events where event_id in ('E9', 'E10')") == [(2,)]
    assert "orphan_event: 2 of 8 rows (not set aside: --no-quarantine was given)" in report.summary()


# --- batches ----------------------------------------------------------------------------------------------------


def _many_events(work: Path) -> Path:
    """3,000 events of T1 on 2026-03-02 (after T1's creation), the latest at 23:59; two rows share an event id."""
    folder = write_folder(work / "data", BASE)
    events = [
        {
            **BASE["ticket_events"][0],
            "event_id": f"M{i}",
            "occurred_at": f"2026-03-02T{10 + i % 13:02d}:{i % 60:02d}:00Z",
        }
        for i in range(3_000)
    ]
    events.append({**BASE["ticket_events"][0], "event_id": "LATEST", "occurred_at": "2026-03-02T23:59:00Z"})
    write_table(folder, "ticket_events", [*BASE["ticket_events"], *events])
    warehouse = work / "warehouse.duckdb"
    load_folder(folder, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        insert_rows(con, "ticket_events", [{**BASE["ticket_events"][0], "event_id": "M7"}])
    return warehouse


def test_batches_find_duplicates_across_them_and_judge_the_maximum_over_all(tmp_path: Path) -> None:
    batch_rows = 500
    warehouse = _many_events(tmp_path)
    # Fresh from 2026-03-09 23:59 back to 2026-03-02 23:59: only the batch holding LATEST is fresh on its own.
    fresh = validate_warehouse(
        warehouse,
        ValidationOptions(
            report_dir=tmp_path / "r1", as_of=datetime(2026, 3, 9, 23, 59), batch_rows=batch_rows, quarantine=False
        ),
    )
    events = next(t for t in fresh.tables if t.table == "ticket_events")
    duplicate = next(o for o in events.outcomes if o.rule.name == "duplicate_key(event_id)")
    stale = next(o for o in events.outcomes if o.rule.name == "stale_events")
    # 6 base + 3,001 loaded + 1 written into raw = 3,008 rows; M7 twice.
    assert events.batches == 7  # ceil(3,008 / 500)
    assert (duplicate.rows_checked, duplicate.rows_failing) == (3_008, 2)
    assert [e.values["event_id"] for e in duplicate.examples] == ["M7", "M7"]
    assert stale.passed
    one_minute_later = validate_warehouse(
        warehouse,
        ValidationOptions(
            report_dir=tmp_path / "r2", as_of=datetime(2026, 3, 10), batch_rows=batch_rows, quarantine=False
        ),
    )
    late = next(t for t in one_minute_later.tables if t.table == "ticket_events")
    assert not next(o for o in late.outcomes if o.rule.name == "stale_events").passed


# --- reports --------------------------------------------------------------------------------------------------


def test_data_docs_and_result_json_are_written(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    load_folder(_folder_with_bad_rows(tmp_path / "data"), warehouse)
    report = validate_warehouse(warehouse, options(tmp_path))
    docs = tmp_path / "report" / "data_docs"
    assert report.data_docs == docs / "index.html" and report.data_docs.is_file()
    pages = {p.relative_to(docs / "validations").parts[0] for p in (docs / "validations").rglob("*.html")}
    assert pages == set(TABLES)
    document = json.loads((tmp_path / "report" / "result.json").read_text(encoding="utf-8"))
    assert document["status"] == "passed" and document["rows_set_aside_now"] == 2
    events = next(t for t in document["tables"] if t["table"] == "ticket_events")
    orphan = next(r for r in events["rules"] if r["rule"] == "orphan_event")
    assert (orphan["severity"], orphan["rows_checked"], orphan["rows_failing"], orphan["rows_in_quarantine"]) == (
        "error",
        8,
        2,
        2,
    )
    assert orphan["examples"][0] == {
        "_source_file": "ticket_events.csv",
        "_source_row": 8,
        "values": {"ticket_id": "T9"},
    }
    assert events["reconciliation"] == {
        "present": True,
        "rows_read": 8,
        "rows_clean": 6,
        "rows_quarantined": 2,
        "rows_duplicate_exact": 0,
        "rows_superseded": 0,
        "reconciles": True,
    }
    summary = report.summary()
    assert f"Data Docs: {docs / 'index.html'}" in summary and "ticket_events.csv row 8: ticket_id 'T9'" in summary


# --- a failed gate leaves what dbt built alone ----------------------------------------------------------------


@pytest.mark.slow
def test_a_failed_gate_moves_nothing_and_leaves_the_marts(sample_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(sample_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("alter table raw.tickets drop column subject")
    marts = query(warehouse, "select count(*), sum(hash(kpi_values)) from kpi_values")
    raw = query(warehouse, "select count(*) from raw.ticket_events")
    report: ValidationReport = validate_warehouse(warehouse, options(tmp_path))
    assert report.status == "failed"
    assert report.blocking == ["tickets: missing_columns: missing column subject"]
    assert query(warehouse, "select count(*), sum(hash(kpi_values)) from kpi_values") == marts
    assert query(warehouse, "select count(*) from raw.ticket_events") == raw
