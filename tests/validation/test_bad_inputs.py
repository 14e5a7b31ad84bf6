"""The bad-input corpus through the real loader and the real Great Expectations gate.

Every rule of every suite has a bad input here that breaks exactly that rule: a row in a file (caught by the
loader or by a suite), a row written straight into raw (rules the loader makes unreachable from files), or a
broken table (missing column, wrong type, no rows). Files that cannot be read at all end in one clear line.
Bad rows share a few validation runs, and each case then checks its own row, which keeps the corpus fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from support_kpis.contract import TABLES
from support_kpis.loading import load_folder
from support_kpis.settings import PROJECT_ROOT
from support_kpis.validation.gate import ValidationFailed, validate_folder, validate_warehouse
from support_kpis.validation.options import ValidationOptions
from support_kpis.validation.report import ValidationReport
from support_kpis.validation.suites import load_suites
from tests.validation.bad_inputs.base import BASE, BASE_AS_OF, write_folder, write_table
from tests.validation.bad_inputs.cases import (
    INJECTION,
    Case,
    RawCase,
    configuration_file_cases,
    data_file_cases,
    raw_cases,
    solo_file_cases,
)
from tests.validation.bad_inputs.raw import insert_rows

# Three months after the base's last event: the freshness warning (stale_events) fires in the data run.
STALE_AS_OF = datetime(2026, 6, 1)


@dataclass
class Run:
    report: ValidationReport
    warehouse: Path
    rows: dict[str, list[int]]  # case id -> its _source_row numbers

    def outcome(self, table: str, rule: str) -> Any:
        found = [o for t in self.report.tables if t.table == table for o in t.outcomes if o.rule.name == rule]
        assert found, f"{table} has no rule {rule}"
        return found[0]

    def query(self, sql: str, parameters: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, parameters or []).fetchall()


def _run(work: Path, file_cases: list[Case], raw: list[RawCase], as_of: datetime) -> Run:
    tables: dict[str, list[dict[str, str]]] = {t: list(rows) for t, rows in BASE.items()}
    rows: dict[str, list[int]] = {}
    for case in file_cases:
        tables[case.table].append({k: v or "" for k, v in case.row.items()})
        rows[case.case_id] = [len(tables[case.table]) + 1]  # header is row 1
    assert len(rows) == len(file_cases), "case ids must be unique"
    warehouse = work / "warehouse.duckdb"
    load_folder(write_folder(work / "data", tables), warehouse)
    with duckdb.connect(str(warehouse)) as con:
        for case in raw:
            rows[case.case_id] = insert_rows(con, case.table, [case.row, *case.extra_rows])
    options = ValidationOptions(report_dir=work / "report", as_of=as_of)
    return Run(validate_warehouse(warehouse, options), warehouse, rows)


@pytest.fixture(scope="module")
def data_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _run(tmp_path_factory.mktemp("data-run"), data_file_cases(), raw_cases(False), STALE_AS_OF)


@pytest.fixture(scope="module")
def configuration_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    as_of = datetime.fromisoformat(BASE_AS_OF)
    return _run(tmp_path_factory.mktemp("configuration-run"), configuration_file_cases(), raw_cases(True), as_of)


# --- the corpus covers every rule ----------------------------------------------------------------------------

TABLE_LEVEL_CASES = {
    # (table, rule) pairs exercised by the broken-table tests below.
    *((t, "missing_columns") for t in TABLES),
    *(
        (t, r.name)
        for t, s in load_suites().items()
        for r in s.rules
        if r.expectation_type == "expect_column_type_to_be"
    ),
    *((t, "empty_table") for t in TABLES if TABLES[t].required),
    ("ticket_events", "stale_events"),
}


def test_every_rule_of_every_suite_has_a_bad_input() -> None:
    covered = {
        (c.table, c.rule)
        for c in [
            *data_file_cases(),
            *solo_file_cases(),
            *configuration_file_cases(),
            *raw_cases(False),
            *raw_cases(True),
        ]
        if c.stage == "validation"
    } | TABLE_LEVEL_CASES
    rules = {(t, r.name) for t, s in load_suites().items() for r in s.rules}
    assert sorted(rules - covered) == []


def test_the_base_data_breaks_no_rule(tmp_path: Path) -> None:
    report = _run(tmp_path, [], [], datetime.fromisoformat(BASE_AS_OF)).report
    assert report.status == "passed"
    assert [(t.table, o.rule.name) for t in report.tables for o in t.failing] == []
    assert report.rows_quarantined == 0


# --- bad rows in data tables: set aside (errors) or kept and reported (warnings) -----------------------------

DATA_CASES = [*data_file_cases(), *raw_cases(False)]


@pytest.mark.parametrize("case", DATA_CASES, ids=lambda c: c.case_id)
def test_a_bad_row_breaks_exactly_its_rule(data_run: Run, case: Case) -> None:
    rows = data_run.rows[case.case_id]
    quarantined = data_run.query(
        f"select _source_row, _rules, _message from quarantine.{case.table} "
        f"where _source_row in ({', '.join(map(str, rows))}) order by _source_row"
    )
    in_raw = data_run.query(
        f"select count(*) from raw.{case.table} where _source_row in ({', '.join(map(str, rows))})"
    )[0][0]
    severity = "error" if case.stage == "loader" else data_run.outcome(case.table, case.rule).rule.severity
    if severity == "error":
        assert [(r, rules) for r, rules, _ in quarantined] == [(r, case.rule) for r in rows]
        assert all(case.shows in message for _, _, message in quarantined), quarantined
        assert in_raw == 0
    else:
        assert quarantined == [] and in_raw == len(rows)
        outcome = data_run.outcome(case.table, case.rule)
        shown = [e for e in outcome.examples if e.source_row in rows]
        assert shown and case.shows in shown[0].text()


def test_no_rule_fires_without_a_case_for_it(data_run: Run) -> None:
    expected: Counter[tuple[str, str]] = Counter()
    for case in DATA_CASES:
        if case.stage == "validation":
            expected[(case.table, case.rule)] += case.rows_failing
    failing = Counter(
        {(t.table, o.rule.name): o.rows_failing for t in data_run.report.tables for o in t.outcomes if o.rows_failing}
    )
    assert failing == expected
    table_level = [(t.table, o.rule.name) for t in data_run.report.tables for o in t.failing if o.rule.level == "table"]
    assert table_level == [("ticket_events", "stale_events")]


def test_quarantine_holds_exactly_the_rows_of_error_cases(data_run: Run) -> None:
    # The loader and the suites share rule names (empty_required, unknown_enum): both end up in quarantine.
    expected: Counter[tuple[str, str]] = Counter()
    for case in DATA_CASES:
        if case.stage == "loader" or data_run.outcome(case.table, case.rule).rule.severity == "error":
            expected[(case.table, case.rule)] += case.rows_failing
    in_quarantine = Counter({(t.table, q.rule): q.rows for t in data_run.report.tables for q in t.quarantined})
    assert in_quarantine == expected


def test_bad_rows_do_not_stop_the_run_and_every_row_is_accounted_for(data_run: Run) -> None:
    report = data_run.report
    assert report.status == "passed_with_warnings" and report.blocking == []
    errors = [
        c for c in DATA_CASES if c.stage == "validation" and data_run.outcome(c.table, c.rule).rule.severity == "error"
    ]
    assert report.rows_set_aside_now == sum(c.rows_failing for c in errors)
    for table in report.tables:
        assert table.reconciliation is not None and table.reconciliation.reconciles, table.table
        # rows read = clean + quarantined (the base has no duplicates)
        reconciliation = table.reconciliation
        assert reconciliation.rows_read == reconciliation.rows_clean + reconciliation.rows_quarantined
    summary = report.summary()
    assert "every table reconciles" in summary and "Traceback" not in summary


def test_the_freshness_warning_names_the_latest_event(data_run: Run) -> None:
    outcome = data_run.outcome("ticket_events", "stale_events")
    assert not outcome.passed and outcome.rule.severity == "warning"
    # The latest base event is E5 at 12:00 UTC on 2026-03-02; the threshold is 2026-06-01 minus 7 days.
    assert "latest occurred_at is 2026-03-02 12:00:00, before 2026-05-25" in data_run.report.summary()


def test_csv_injection_text_stays_plain_text(data_run: Run) -> None:
    # A clean row keeps its formula-like text verbatim in raw; a bad one keeps it verbatim in quarantine.
    assert data_run.query("select comment from raw.surveys where response_id = 'R3'") == [
        ('=HYPERLINK("http://example.com","click")',)
    ]
    assert data_run.query("select channel from quarantine.tickets where channel like '=HYPERLINK%'") == [(INJECTION,)]
    document = json.loads(data_run.report.result_path.read_text(encoding="utf-8"))
    tickets = next(t for t in document["tables"] if t["table"] == "tickets")
    enum = next(q for q in tickets["quarantine"] if q["rule"] == "unknown_enum(channel)")
    assert any(INJECTION[:40] in e["message"] for e in enum["examples"])


def test_timestamps_with_mixed_offsets_are_compared_in_utc(data_run: Run) -> None:
    case = next(c for c in DATA_CASES if c.note == "mixed_offsets")
    (message,) = data_run.query(
        "select _message from quarantine.ticket_events where _source_row = ?", [data_run.rows[case.case_id][0]]
    )[0]
    # 10:30 at +03:00 is 07:30 UTC; T1 was created at 09:00 UTC: 90 minutes before.
    assert "occurred_at 2026-03-02 07:30:00" in message and "minutes_before_ticket_created 90" in message


@pytest.mark.parametrize("case", solo_file_cases(), ids=lambda c: c.case_id)
def test_a_bad_row_that_needs_its_own_run_breaks_exactly_its_rule(tmp_path: Path, case: Case) -> None:
    run = _run(tmp_path, [case], [], datetime.fromisoformat(BASE_AS_OF))
    failing = [(t.table, o.rule.name, o.rows_failing) for t in run.report.tables for o in t.failing]
    assert failing == [(case.table, case.rule, case.rows_failing)]
    (row,) = run.rows[case.case_id]
    ((rules, message),) = run.query(
        f"select _rules, _message from quarantine.{case.table} where _source_row = ?", [row]
    )
    assert rules == case.rule and case.shows in message
    assert run.report.status == "passed" and run.report.rows_set_aside_now == 1


# --- configuration: a bad row is fixed in its file, never set aside ------------------------------------------

CONFIGURATION_CASES = [*configuration_file_cases(), *raw_cases(True)]


def test_bad_configuration_rows_stop_the_run_and_move_nothing(configuration_run: Run) -> None:
    report = configuration_run.report
    assert report.status == "failed" and report.rows_set_aside_now == 0
    blocked = sorted(message.split(":")[0] for message in report.blocking)
    assert blocked == ["business_schedules", "holidays", "kpi_targets", "sla_policies"]
    assert "nothing was set aside" in report.failure_line()
    # The data tables are clean and were not touched.
    assert all(
        not t.blocking and t.rows_quarantined == 0 for t in report.tables if not TABLES[t.table].is_configuration
    )


@pytest.mark.parametrize("case", CONFIGURATION_CASES, ids=lambda c: c.case_id)
def test_a_bad_configuration_row_is_named(configuration_run: Run, case: Case) -> None:
    rows = configuration_run.rows[case.case_id]
    (blocking,) = [m for m in configuration_run.report.blocking if m.startswith(f"{case.table}:")]
    assert "configuration is fixed in its file, not set aside" in blocking
    if case.stage == "loader":
        assert configuration_run.query(
            f"select _source_row, _rules from quarantine.{case.table} where _source_row = ?", [rows[0]]
        ) == [(rows[0], case.rule)]
        return
    outcome = configuration_run.outcome(case.table, case.rule)
    same_rule = [c for c in CONFIGURATION_CASES if (c.table, c.rule, c.stage) == (case.table, case.rule, "validation")]
    assert outcome.rows_failing == sum(c.rows_failing for c in same_rule)
    shown = [e for e in outcome.examples if e.source_row in rows]
    assert shown and case.shows in shown[0].text()
    # Still in raw: nothing moves when the run stops.
    in_raw = configuration_run.query(
        f"select count(*) from raw.{case.table} where _source_row in ({', '.join(map(str, rows))})"
    )
    assert in_raw == [(len(rows),)]


# --- broken tables: one clear message, nothing moved ----------------------------------------------------------


def _loaded_base(work: Path) -> Path:
    warehouse = work / "warehouse.duckdb"
    load_folder(write_folder(work / "data", BASE), warehouse)
    return warehouse


def _validate(warehouse: Path, work: Path) -> ValidationReport:
    return validate_warehouse(warehouse, ValidationOptions(report_dir=work / "report", as_of=datetime(2026, 3, 3)))


def _blocking_rules(report: ValidationReport) -> dict[str, list[str]]:
    return {t.table: [m.split(": ")[1] for m in t.blocking] for t in report.tables if t.blocking}


def test_a_missing_column_or_table_stops_the_run(tmp_path: Path) -> None:
    warehouse = _loaded_base(tmp_path)
    dropped = {name: table.column_names[-1] for name, table in TABLES.items() if name != "holidays"}
    with duckdb.connect(str(warehouse)) as con:
        for table, column in dropped.items():
            con.execute(f'alter table raw.{table} drop column "{column}"')
        con.execute("drop table raw.holidays")
        before = con.execute("select count(*) from raw.tickets").fetchall()
    report = _validate(warehouse, tmp_path)
    assert report.status == "failed"
    assert _blocking_rules(report) == {
        **{t: ["missing_columns"] for t in dropped},
        "holidays": ["raw.holidays does not exist (load the data with `support-kpis load`)"],
    }
    tickets = next(m for m in report.blocking if m.startswith("tickets:"))
    assert tickets == "tickets: missing_columns: missing column subject"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.tickets").fetchall() == before
        assert con.execute("select count(*) from quarantine.tickets").fetchall() == [(0,)]


def test_a_column_of_the_wrong_type_stops_the_run(tmp_path: Path) -> None:
    warehouse = _loaded_base(tmp_path)
    suites = load_suites()
    typed = {t: [r for r in s.rules if r.expectation_type == "expect_column_type_to_be"] for t, s in suites.items()}
    with duckdb.connect(str(warehouse)) as con:
        for table, rules in typed.items():
            for rule in rules:
                con.execute(f'alter table raw.{table} alter column "{rule.columns[0]}" type varchar')
    report = _validate(warehouse, tmp_path)
    assert _blocking_rules(report) == {t: [r.name for r in rules] for t, rules in typed.items() if rules}
    created = next(m for m in report.blocking if m.startswith("tickets: unparseable_timestamp(created_at)"))
    assert "column created_at has type object" in created


def test_empty_required_tables_stop_the_run(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data", BASE)
    write_table(folder, "tickets", [])
    write_table(folder, "ticket_events", [])
    warehouse = tmp_path / "warehouse.duckdb"
    load_folder(folder, warehouse)
    report = _validate(warehouse, tmp_path)
    assert _blocking_rules(report) == {"tickets": ["empty_table"], "ticket_events": ["empty_table"]}
    assert "tickets: empty_table: the table has no rows" in report.blocking


# --- files that cannot be read, and files that are odd but fine -----------------------------------------------

EVENTS_HEADER = ",".join(TABLES["ticket_events"].column_names)
UNREADABLE = {
    "unbalanced_quotes": (
        "ticket_events.csv",
        EVENTS_HEADER + '\nE9,T1,2026-03-02T09:00:00Z,message,customer,,true,,,,,,"never closed\n',
        "ticket_events.csv: row 2: not valid CSV: a quoted value is never closed",
    ),
    "latin_1": ("tickets.csv", None, "tickets.csv: row 3: not UTF-8 encoded"),
    "empty_file": ("tickets.csv", "", "tickets.csv: the file is empty (0 bytes)"),
    "missing_required_table": ("ticket_events.csv", None, "ticket_events.csv: required file not found"),
    "missing_required_column": ("tickets.csv", "ticket_id,channel\nT1,email\n", "missing required columns"),
}


def _unreadable_folder(folder: Path, case: str) -> Path:
    write_folder(folder, BASE)
    name, text, _ = UNREADABLE[case]
    if case == "latin_1":
        header = ",".join(TABLES["tickets"].column_names)
        text = (
            header
            + "\nT1,2026-03-02T09:00:00Z,,,email,,,,open,,,,ok\nT2,2026-03-02T09:00:00Z,,,email,,,,open,,,,Café\n"
        )
        (folder / name).write_bytes(text.encode("latin-1"))
    elif case == "missing_required_table":
        (folder / name).unlink()
    else:
        assert text is not None
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_a_file_that_cannot_be_read_fails_the_gate_in_one_line(tmp_path: Path, case: str) -> None:
    folder = _unreadable_folder(tmp_path / "data", case)
    report_dir = tmp_path / "report"
    with pytest.raises(ValidationFailed) as caught:
        validate_folder(folder, ValidationOptions(report_dir=report_dir))
    message = str(caught.value)
    assert "\n" not in message and UNREADABLE[case][2] in message
    assert caught.value.exit_code == 1
    document = json.loads((report_dir / "result.json").read_text(encoding="utf-8"))
    assert document["status"] == "failed" and UNREADABLE[case][2] in document["blocking"][0]


def test_unknown_columns_are_kept_and_noted_long_text_is_fine(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data", BASE)
    header = ",".join(TABLES["tickets"].column_names)
    long_subject = "word " * 40_000  # 200,000 characters in one field
    long_channel = "x" * 5_000  # a very long bad value: quarantined, and shown cut
    (folder / "tickets.csv").write_text(
        f"{header},Sentiment\n"
        f"T1,2026-03-02T09:00:00Z,,C1,email,high,,,solved,,,,{long_subject},0.9\n"
        f"T2,2026-03-02T09:00:00Z,,C2,chat,,,,open,,,,short,0.1\n"
        f"T3,2026-03-02T09:00:00Z,,C2,{long_channel},,,,open,,,,short,0.5\n",
        encoding="utf-8",
    )
    report = validate_folder(folder, ValidationOptions(report_dir=tmp_path / "report", as_of=datetime(2026, 3, 3)))
    assert report.status == "passed" and report.rows_quarantined == 1
    summary = report.summary()
    assert "tickets: columns not in the contract are kept in raw and not validated: Sentiment" in summary
    assert max(len(line) for line in summary.splitlines()) < 300
    assert "channel 'xxxxx" in summary and "..." in summary


# --- the command line -----------------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    python = PROJECT_ROOT / ".venv" / "bin" / "python"
    return subprocess.run(
        [str(python if python.exists() else sys.executable), "-m", "support_kpis.cli", "validate", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )


def _error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    return [line for line in result.stderr.splitlines() if "error:" in line]


def test_cli_an_unreadable_file_exits_1_with_one_line(tmp_path: Path) -> None:
    folder = _unreadable_folder(tmp_path / "data", "unbalanced_quotes")
    result = _cli("--data", str(folder), "--report-dir", str(tmp_path / "report"))
    assert result.returncode == 1
    (line,) = _error_lines(result)
    assert "ticket_events.csv: row 2" in line and "never closed" in line


def test_cli_quarantine_passes_and_fail_on_quarantine_fails(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "data", BASE)
    event = {**BASE["ticket_events"][0], "event_id": "E9", "ticket_id": "T404"}
    write_table(folder, "ticket_events", [*BASE["ticket_events"], event])
    passed = _cli("--data", str(folder), "--report-dir", str(tmp_path / "report"), "--as-of", "2026-03-03")
    assert passed.returncode == 0, passed.stderr
    assert _error_lines(passed) == []
    assert "ticket_events  error    orphan_event: 1 of 7 rows (set aside)" in passed.stdout
    assert "ticket_events.csv row 8: ticket_id 'T404'" in passed.stdout
    # The same data under --fail-on-quarantine (what CI uses on the sample): the run fails, in one line.
    options = ValidationOptions(report_dir=tmp_path / "strict", as_of=datetime(2026, 3, 3), fail_on_quarantine=True)
    strict = validate_folder(folder, options)
    assert strict.status == "failed" and strict.blocking == []
    assert "1 rows are in quarantine and --fail-on-quarantine is set" in strict.failure_line()


def test_cli_a_broken_table_exits_1_and_usage_errors_exit_2(tmp_path: Path) -> None:
    warehouse = _loaded_base(tmp_path)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("delete from raw.tickets")
    broken = _cli("--warehouse", str(warehouse), "--report-dir", str(tmp_path / "report"))
    assert broken.returncode == 1
    (line,) = _error_lines(broken)
    assert "tickets: empty_table: the table has no rows" in line
    both = _cli("--warehouse", str(warehouse), "--data", str(tmp_path))
    assert both.returncode == 2 and len(_error_lines(both)) == 1
