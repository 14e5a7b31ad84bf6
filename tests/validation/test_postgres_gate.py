"""The gate on Postgres against the gate on DuckDB: the same corrupted data, the same rows set aside for the same rules.

Each test loads one generated sample with the real loader (a DuckDB staging file), ships it to a throwaway
Postgres, and then corrupts both copies with the same SQL (it runs unchanged on either engine). The DuckDB gate
runs on the DuckDB copy, the Postgres gate on the server. Which rows must go to quarantine is worked out from the
corruptions themselves, not from either gate's output.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from support_kpis.cli import main
from support_kpis.errors import UserError
from support_kpis.loading import load_folder
from support_kpis.loading.registry import CONTRACT
from support_kpis.targets.postgres import Connection, connect, ship
from support_kpis.validation.gate import validate_warehouse
from support_kpis.validation.options import ValidationOptions
from support_kpis.validation.postgres_gate import validate_postgres
from support_kpis.validation.report import ValidationReport
from support_kpis.validation.values import plain
from tests.engines.postgres_server import throwaway_postgres
from tests.validation.bad_inputs.base import BASE, BASE_AS_OF, write_folder
from tests.validation.bad_inputs.cases import Case, RawCase, configuration_file_cases, data_file_cases, raw_cases
from tests.validation.bad_inputs.raw import insert_rows

TICKETS = 300


@pytest.fixture(scope="module")
def server() -> Iterator[Connection]:
    with throwaway_postgres() as connection:
        yield connection


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample as the loader stages it: raw and quarantine schemas in a DuckDB file."""
    work = tmp_path_factory.mktemp("pg-gate")
    assert main(["generate", "--tickets", str(TICKETS), "--seed", "5", "--out", str(work / "data")]) == 0
    load_folder(work / "data", work / "staged.duckdb")
    return work / "staged.duckdb"


def options(report_dir: Path) -> ValidationOptions:
    return ValidationOptions(report_dir=report_dir, as_of=datetime(2026, 3, 3))


def both_engines(
    staged: Path, server: Connection, work: Path, corruption: Sequence[str]
) -> tuple[ValidationReport, ValidationReport, Path]:
    """(DuckDB report, Postgres report, the DuckDB copy) after the same corruption on each engine."""
    copy = work / "corrupted.duckdb"
    shutil.copy(staged, copy)
    with duckdb.connect(str(copy)) as con:
        for statement in corruption:
            con.execute(statement)
    ship(staged, ["raw", "quarantine"], server)
    with connect(server) as pg, pg.cursor() as cur:
        for statement in corruption:
            cur.execute(statement)
        pg.commit()
    duck = validate_warehouse(copy, options(work / "duckdb-report"))
    postgres = validate_postgres(options(work / "postgres-report"), server)
    return duck, postgres, copy


def quarantine_rows(rows_of: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every quarantine table's rows, every column, in one order (columns as the contract lists them)."""
    found = {}
    for table in CONTRACT.tables:
        contract = CONTRACT.tables[table]
        columns = ", ".join(
            f'"{c}"' for c in (*contract.column_names, "_source_file", "_source_row", "_rules", "_message")
        )
        found[table] = sorted(rows_of(f"SELECT {columns} FROM quarantine.{table}"), key=repr)
    return found


def duckdb_rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def postgres_rows(server: Connection, sql: str) -> list[tuple[Any, ...]]:
    with connect(server) as pg, pg.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def first_rows(staged: Path, sql: str, count: int) -> list[Any]:
    rows = duckdb_rows(staged, sql)
    assert len(rows) >= count, sql
    return [row[0] for row in rows[:count]]


def test_row_rules_set_aside_the_same_rows_as_the_duckdb_gate(staged: Path, server: Connection, tmp_path: Path) -> None:
    # Tickets: one unknown priority, two rows sharing one id. Their events lose their ticket (orphan_event).
    bad_priority, first, second = first_rows(staged, "SELECT _source_row FROM raw.tickets ORDER BY _source_row", 3)
    ticket_of = dict(duckdb_rows(staged, "SELECT _source_row, ticket_id FROM raw.tickets"))
    gone = {ticket_of[bad_priority], ticket_of[first], ticket_of[second]}
    gone_list = ", ".join(f"'{t}'" for t in sorted(gone))
    # Events of other tickets: a negative handle time, an unknown ticket, an unknown event type.
    # And one whose handle time is unusual: a warning (its rule has a row condition), kept in raw.
    negative, unknown_ticket, bad_type, unusual = first_rows(
        staged,
        f"SELECT _source_row FROM raw.ticket_events WHERE ticket_id NOT IN ({gone_list}) "
        "AND handle_seconds IS NOT NULL ORDER BY _source_row",
        4,
    )
    # An NPS survey on a 1-10 scale (an error rule with a row condition), and a positive MRR under a cent.
    (nps_scale,) = first_rows(
        staged,
        f"SELECT _source_row FROM raw.surveys WHERE survey_type = 'nps' AND score >= 1 AND scale_min IS NULL "
        f"AND (ticket_id IS NULL OR ticket_id NOT IN ({gone_list})) ORDER BY _source_row",
        1,
    )
    (tiny_mrr,) = first_rows(staged, "SELECT _source_row FROM raw.customer_revenue ORDER BY _source_row", 1)
    # A CSAT survey (scale 1-5) scored 9, on a ticket that stays.
    (high_score,) = first_rows(
        staged,
        f"SELECT _source_row FROM raw.surveys WHERE survey_type = 'csat' AND scale_max IS NULL "
        f"AND (ticket_id IS NULL OR ticket_id NOT IN ({gone_list})) ORDER BY _source_row",
        1,
    )
    corruption = [
        f"UPDATE raw.tickets SET priority = 'whenever' WHERE _source_row = {bad_priority}",
        f"UPDATE raw.tickets SET ticket_id = '{ticket_of[first]}' WHERE _source_row = {second}",
        f"UPDATE raw.ticket_events SET handle_seconds = -5 WHERE _source_row = {negative}",
        f"UPDATE raw.ticket_events SET ticket_id = 'NO-SUCH-TICKET' WHERE _source_row = {unknown_ticket}",
        f"UPDATE raw.ticket_events SET event_type = 'teleport' WHERE _source_row = {bad_type}",
        f"UPDATE raw.surveys SET score = 9 WHERE _source_row = {high_score}",
        f"UPDATE raw.ticket_events SET handle_seconds = 20000 WHERE _source_row = {unusual}",
        f"UPDATE raw.surveys SET scale_min = 1 WHERE _source_row = {nps_scale}",
        f"UPDATE raw.customer_revenue SET mrr = 0.005 WHERE _source_row = {tiny_mrr}",
    ]
    orphans = {
        row
        for (row,) in duckdb_rows(staged, f"SELECT _source_row FROM raw.ticket_events WHERE ticket_id IN ({gone_list})")
    }
    assert orphans
    expected = {
        ("tickets", bad_priority): "unknown_enum(priority)",
        ("tickets", first): "duplicate_key(ticket_id)",
        ("tickets", second): "duplicate_key(ticket_id)",
        ("ticket_events", negative): "out_of_range(handle_seconds)",
        ("ticket_events", unknown_ticket): "orphan_event",
        ("ticket_events", bad_type): "unknown_enum(event_type)",
        ("surveys", high_score): "score_above_scale",
        ("surveys", nps_scale): "nps_scale_not_0_to_10",
        ("customer_revenue", tiny_mrr): "out_of_range(mrr)",
        **{("ticket_events", row): "orphan_event" for row in orphans},
    }

    before = datetime.now(UTC).replace(tzinfo=None)
    duck, postgres, copy = both_engines(staged, server, tmp_path, corruption)
    after = datetime.now(UTC).replace(tzinfo=None)

    assert duck.success and postgres.success
    assert postgres.warnings == duck.warnings
    unusual_handle = next(o for o in postgres.tables[1].outcomes if o.rule.name == "unusual_value(handle_seconds)")
    assert (unusual_handle.rows_failing, [e.source_row for e in unusual_handle.examples]) == (1, [unusual])
    moved = {
        (table, row): rules
        for table in CONTRACT.tables
        for row, rules in postgres_rows(server, f"SELECT _source_row, _rules FROM quarantine.{table}")
    }
    assert moved == expected
    # The gate moved every one of them: each carries the run's time (naive UTC) in _set_aside_at.
    window = f"_set_aside_at BETWEEN '{before.isoformat()}' AND '{after.isoformat()}'"
    stamped = [postgres_rows(server, f"SELECT count(*) FROM quarantine.{t} WHERE {window}") for t in CONTRACT.tables]
    assert sum(rows[0][0] for rows in stamped) == len(expected)
    # The quarantine tables are the DuckDB gate's, column for column, messages included.
    assert quarantine_rows(lambda sql: postgres_rows(server, sql)) == quarantine_rows(
        lambda sql: duckdb_rows(copy, sql)
    )
    for table in ("tickets", "ticket_events", "surveys"):
        pg_count = postgres_rows(server, f"SELECT count(*) FROM raw.{table}")
        assert pg_count == duckdb_rows(copy, f"SELECT count(*) FROM raw.{table}")
    # Rows before = rows after, raw plus quarantine, and the inventory agrees.
    for table in CONTRACT.tables:
        both = f"SELECT (SELECT count(*) FROM raw.{table}) + (SELECT count(*) FROM quarantine.{table})"
        assert postgres_rows(server, both) == [tuple(duckdb_rows(staged, both)[0])], table
    assert postgres.reconciles
    assert postgres.rows_set_aside_now == len(expected) == duck.rows_set_aside_now
    # The same findings, examples and verdict as printed by the DuckDB gate.
    assert _findings(postgres) == _findings(duck)
    assert postgres.summary().splitlines()[-1] == duck.summary().splitlines()[-1]
    # No connection of the run is left open, and its work schema is gone.
    others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    assert postgres_rows(server, others) == [(0,)]
    assert not postgres_rows(
        server, "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'support_kpis_validation%'"
    )


def _findings(report: ValidationReport) -> list[str]:
    return [line for table in report.tables for line in table.finding_lines(report.not_set_aside_because)]


@pytest.mark.parametrize(
    ("corruption", "blocking"),
    [
        (
            ["ALTER TABLE raw.ticket_events DROP COLUMN event_type"],
            "ticket_events: missing_columns: missing column event_type",
        ),
        (["DELETE FROM raw.tickets"], "tickets: empty_table: the table has no rows"),
        (["DROP TABLE raw.agents"], "agents: raw.agents does not exist"),
        (
            [
                "UPDATE raw.sla_policies SET first_response_minutes = -1 "
                "WHERE _source_row = (SELECT min(_source_row) FROM raw.sla_policies)"
            ],
            "sla_policies: 1 configuration rows break out_of_range(first_response_minutes)",
        ),
    ],
    ids=["missing-column", "empty-table", "missing-table", "bad-configuration-row"],
)
def test_a_table_level_failure_fails_the_gate_and_moves_nothing(
    staged: Path, server: Connection, tmp_path: Path, corruption: list[str], blocking: str
) -> None:
    # Rows that would be set aside if the run went on: they must stay where they are.
    row_corruption = [
        "UPDATE raw.tickets SET priority = 'whenever' WHERE _source_row = (SELECT min(_source_row) FROM raw.tickets)"
    ]
    before = {t: postgres_count(staged, t) for t in CONTRACT.tables}

    duck, postgres, _ = both_engines(staged, server, tmp_path, [*corruption, *row_corruption])

    assert not postgres.success and postgres.status == "failed"
    assert any(message.startswith(blocking) for message in postgres.blocking), postgres.blocking
    assert postgres.blocking == duck.blocking
    assert postgres.rows_set_aside_now == 0
    assert postgres_rows(server, "SELECT count(*) FROM quarantine.tickets") == [(0,)]
    present = {
        t
        for (t,) in postgres_rows(server, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'")
    }
    after_raw = {
        t: postgres_rows(server, f"SELECT count(*) FROM raw.{t}")[0][0] for t in CONTRACT.tables if t in present
    }
    changed = {t for t in CONTRACT.tables if after_raw.get(t) != before[t]}
    assert changed <= {"tickets", "agents"}  # only what the corruption itself deleted or dropped
    assert postgres.failure_line().startswith("validation failed: ")


def postgres_count(staged: Path, table: str) -> int:
    return int(duckdb_rows(staged, f"SELECT count(*) FROM raw.{table}")[0][0])


def test_a_zendesk_load_is_refused_with_one_line(staged: Path, server: Connection, tmp_path: Path) -> None:
    ship(staged, ["raw", "quarantine"], server)
    with connect(server) as pg, pg.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS zendesk")
        cur.execute("DROP TABLE IF EXISTS zendesk.table_inventory")
        cur.execute("CREATE TABLE zendesk.table_inventory AS SELECT * FROM raw.table_inventory")
        pg.commit()
    try:
        with pytest.raises(UserError, match="zendesk load: its rows are validated in the loader's DuckDB staging"):
            validate_postgres(options(tmp_path / "report"), server)
    finally:
        with connect(server) as pg, pg.cursor() as cur:
            cur.execute("DROP SCHEMA zendesk CASCADE")
            pg.commit()


def test_hundreds_of_failing_rows_per_rule_all_reach_quarantine(
    staged: Path, server: Connection, tmp_path: Path
) -> None:
    # GX returns at most partial_unexpected_count failing rows on SQL (and caps most lists at 200): these rules
    # fail for more rows than either limit.
    (agent,) = first_rows(staged, "SELECT agent_id FROM raw.agent_activity GROUP BY agent_id ORDER BY count(*) DESC", 1)
    corruption = [
        f"UPDATE raw.agent_activity SET activity_date = DATE '2025-10-01' WHERE agent_id = '{agent}'",
        "UPDATE raw.agent_activity SET logged_in_seconds = -1 WHERE _source_row % 5 = 0",
    ]
    same_day = {
        row for (row,) in duckdb_rows(staged, f"SELECT _source_row FROM raw.agent_activity WHERE agent_id = '{agent}'")
    }
    negative = {
        row for (row,) in duckdb_rows(staged, "SELECT _source_row FROM raw.agent_activity WHERE _source_row % 5 = 0")
    }
    assert len(same_day) > 200 and len(negative) > 200
    rules = {
        row: "; ".join(
            rule
            for rule, broken in (
                ("duplicate_key(agent_id, activity_date)", row in same_day),
                ("out_of_range(logged_in_seconds)", row in negative),
            )
            if broken
        )
        for row in same_day | negative
    }

    duck, postgres, copy = both_engines(staged, server, tmp_path, corruption)

    moved = dict(postgres_rows(server, "SELECT _source_row, _rules FROM quarantine.agent_activity"))
    assert moved == rules
    assert quarantine_rows(lambda sql: postgres_rows(server, sql)) == quarantine_rows(
        lambda sql: duckdb_rows(copy, sql)
    )
    assert _findings(postgres) == _findings(duck)
    assert postgres.success and postgres.reconciles


# --- the whole bad-input corpus (tests/validation/bad_inputs): every rule, on both engines ------------------------


def _corpus_warehouse(work: Path, file_cases: list[Case], raw: list[RawCase]) -> Path:
    """The corpus as test_bad_inputs.py stages it: bad rows in files through the loader, others written into raw."""
    tables: dict[str, list[dict[str, str]]] = {t: list(rows) for t, rows in BASE.items()}
    for case in file_cases:
        tables[case.table].append({k: v or "" for k, v in case.row.items()})
    warehouse = work / "corpus.duckdb"
    load_folder(write_folder(work / "data", tables), warehouse)
    with duckdb.connect(str(warehouse)) as con:
        for case in raw:
            insert_rows(con, case.table, [case.row, *case.extra_rows])
    return warehouse


def _rule_results(report: ValidationReport) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Each rule's verdict, failing rows and observed value. Rows checked only without a row condition: in SQL a
    NULL never meets `mrr != 0`, so Postgres leaves a NULL row out of the checked rows where pandas counts it."""
    return {
        (t.table, o.rule.name): (
            o.passed,
            o.rows_failing,
            None if o.rule.condition_columns else o.rows_checked,
            o.problem is None,
            plain(o.observed_value),
        )
        for t in report.tables
        for o in t.outcomes
        if o.rule.expectation_type != "expect_column_type_to_be"  # observed: pandas dtype vs Postgres type name
    }


def _findings_without_checked_rows(report: ValidationReport) -> list[str]:
    return [re.sub(r" of [\d,]+ rows?", " of N rows", line) for line in _findings(report)]


@pytest.mark.parametrize("configuration", [False, True], ids=["data-tables", "configuration-tables"])
def test_the_bad_input_corpus_gives_the_same_outcome_on_both_engines(
    server: Connection, tmp_path: Path, configuration: bool
) -> None:
    if configuration:
        file_cases, as_of = configuration_file_cases(), datetime.fromisoformat(BASE_AS_OF)
    else:
        file_cases, as_of = data_file_cases(), datetime(2026, 6, 1)
    staged = _corpus_warehouse(tmp_path, file_cases, raw_cases(configuration))
    ship(staged, ["raw", "quarantine"], server)
    duck = validate_warehouse(staged, ValidationOptions(report_dir=tmp_path / "duck", as_of=as_of))
    postgres = validate_postgres(ValidationOptions(report_dir=tmp_path / "pg", as_of=as_of), server)

    assert _rule_results(postgres) == _rule_results(duck)
    assert [o for t in postgres.tables for o in t.outcomes if not o.passed]  # the corpus breaks rules
    assert postgres.blocking == duck.blocking
    assert (postgres.status, postgres.rows_set_aside_now) == (duck.status, duck.rows_set_aside_now)
    assert _findings_without_checked_rows(postgres) == _findings_without_checked_rows(duck)
    assert quarantine_rows(lambda sql: postgres_rows(server, sql)) == quarantine_rows(
        lambda sql: duckdb_rows(staged, sql)
    )
