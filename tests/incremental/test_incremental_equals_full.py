"""Incremental builds equal full rebuilds: a generated dataset is cut into random batches (late events reopening
solved tickets, ticket rows re-sent with new values, customers re-sent, surveys weeks late, a batch touching only old
periods, an empty batch, a re-sent ticket whose old events the gate then sets aside), each batch is appended,
validated and built incrementally, and the result must equal
`dbt build --full-refresh` on the same raw tables: kpi_values, fct_tickets, kpi_scorecard, agent_leaderboard and the
other by-ticket marts, counts exactly and other numbers to 1e-9 relative. On DuckDB here; on Postgres in
tests/engines/test_incremental_on_postgres.py.

Builds skip the data and unit tests (`BUILD`): those have their own suites, and each example runs up to seven builds.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from random import Random

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from support_kpis.dbt_runner import run_dbt
from support_kpis.loading import load_folder
from support_kpis.validation.gate import validate_warehouse
from support_kpis.validation.options import ValidationOptions
from tests.engines.tables import differences, duckdb_rows
from tests.incremental.batches import LATE_TARGET_MINUTES, Table, generate_tables, split_into_batches
from tests.warehouses import write_csv

COMPARED = ("kpi_values", "fct_tickets", "kpi_scorecard", "agent_leaderboard", "fct_reply_cycles", "fct_agent_replies")
BUILD = ["build", "--exclude", "resource_type:test", "resource_type:unit_test"]
EXAMPLE = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    # A failing example is reported as found: shrinking would rerun minutes of builds for each attempt.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Table]:
    return generate_tables(tmp_path_factory.mktemp("incremental-generated"))


def _window(warehouse: Path) -> tuple[object, ...]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute("select is_full_recompute, full_recompute_reason from intermediate.int_incremental_window")
        return found.fetchone() or ()


def _changed_tickets(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return int((con.execute("select count(*) from intermediate.int_tickets_changed").fetchone() or (0,))[0])


@given(seed=st.integers(0, 2**31 - 1), count=st.integers(2, 4))
@EXAMPLE
def test_duckdb_batches_built_incrementally_equal_a_full_rebuild(
    generated: dict[str, Table], tmp_path_factory: pytest.TempPathFactory, seed: int, count: int
) -> None:
    work = tmp_path_factory.mktemp("incremental-duckdb")
    folders = split_into_batches(generated, Random(seed), count, work / "batches")
    warehouse = work / "incremental.duckdb"
    months_rewritten: list[int] = []
    for number, folder in enumerate(folders):
        load_folder(folder, warehouse, append=True)
        validate_warehouse(warehouse, ValidationOptions(report_dir=work / "reports" / str(number)))
        run_dbt(BUILD, warehouse=warehouse, target_dir=work / "target", quiet=True)
        full, reason = _window(warehouse)
        if number == 0:
            assert full and reason == "no earlier run recorded its window"
        else:
            # Every later batch must be handled incrementally, or the comparison below proves nothing.
            assert not full, reason
            assert _changed_tickets(warehouse) < len(generated["tickets"].rows)
            months_rewritten.append(_months_rewritten(warehouse))
    # kpi_values rewrote only some periods at least once, or its comparison below proves nothing about periods.
    assert any(0 < months < _months_of_data(warehouse) for months in months_rewritten), months_rewritten

    with duckdb.connect(str(warehouse), read_only=True) as con:
        # The gate set aside the events of the ticket re-sent with a later creation time.
        assert (
            con.execute("select count(*) from quarantine.ticket_events where _set_aside_at is not null").fetchone()
            or (0,)
        )[0] > 0

    rebuilt = work / "rebuilt.duckdb"
    shutil.copy(warehouse, rebuilt)
    run_dbt([*BUILD, "--full-refresh"], warehouse=rebuilt, target_dir=work / "target", quiet=True)
    # The ticket SLA target sent before its time took effect once the as-of time passed it.
    assert _late_target_status(rebuilt) == ("ticket", "running")
    problems = []
    for table in COMPARED:
        problems += differences(table, duckdb_rows(rebuilt, table), duckdb_rows(warehouse, table))
    assert not problems, "\n".join(problems[:40])


def _months_rewritten(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute("select count(*) from intermediate.int_kpi_periods_affected where grain = 'month'")
        return int((found.fetchone() or (0,))[0])


def _months_of_data(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute("select count(distinct period_start) from main.kpi_values where grain = 'month'")
        return int((found.fetchone() or (0,))[0])


def _late_target_status(warehouse: Path) -> tuple[object, ...]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute(
            "select first_response_target_source, first_response_sla_status from main.fct_tickets where ticket_id = "
            "(select ticket_id from raw.ticket_sla_targets where target_minutes = ?)",
            [LATE_TARGET_MINUTES],
        )
        return found.fetchone() or ()


def test_a_full_reload_recomputes_every_ticket_and_drops_the_ones_gone(
    generated: dict[str, Table], tmp_path: Path
) -> None:
    folders = split_into_batches(generated, Random(1), 2, tmp_path / "batches")
    warehouse = tmp_path / "w.duckdb"
    for folder in folders:
        load_folder(folder, warehouse, append=True)
    run_dbt(BUILD, warehouse=warehouse, target_dir=tmp_path / "target", quiet=True)

    load_folder(folders[0], warehouse)  # a load without --append: the first batch alone
    run_dbt(BUILD, warehouse=warehouse, target_dir=tmp_path / "target", quiet=True)
    assert _window(warehouse) == (True, "the raw tables were reloaded")
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(warehouse, rebuilt)
    run_dbt([*BUILD, "--full-refresh"], warehouse=rebuilt, target_dir=tmp_path / "target", quiet=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tickets_loaded = (con.execute("select count(*) from raw.tickets").fetchone() or (0,))[0]
    assert len(duckdb_rows(warehouse, "fct_tickets")) == tickets_loaded < len(generated["tickets"].rows)
    problems = []
    for table in COMPARED:
        problems += differences(table, duckdb_rows(rebuilt, table), duckdb_rows(warehouse, table))
    assert not problems, "\n".join(problems[:40])


def test_a_build_stopped_before_kpi_values_leaves_the_periods_a_ticket_left_to_the_next(
    generated: dict[str, Table], tmp_path: Path
) -> None:
    """A first-month ticket is re-sent created at the end of the data, so the gate sets its events aside: its old
    days, week and month lose it, and no other ticket touches them. The build after that batch replaces the ticket
    models, then stops before kpi_values (here: excluded). The old days are gone from the ticket models by then; the
    next build must still rewrite them."""
    tickets, events = generated["tickets"], generated["ticket_events"]
    with_events = {row[events.at("ticket_id")] for row in events.rows}
    oldest = min(
        (row for row in tickets.rows if row[tickets.at("ticket_id")] in with_events),
        key=lambda row: row[tickets.at("created_at")],
    )
    moved = list(oldest)
    moved[tickets.at("created_at")] = max(row[events.at("occurred_at")] for row in events.rows)
    moved[tickets.at("updated_at")] = "2030-01-01T00:00:00Z"
    first, second = tmp_path / "batch1", tmp_path / "batch2"
    for name, table in generated.items():
        write_csv(first, name, table.header, table.rows)
    write_csv(second, "tickets", tickets.header, [moved])

    warehouse = tmp_path / "w.duckdb"
    target = tmp_path / "target"
    for number, folder in enumerate((first, second)):
        load_folder(folder, warehouse, append=True)
        validate_warehouse(warehouse, ValidationOptions(report_dir=tmp_path / "reports" / str(number)))
        stopped = ["kpi_values", "int_kpi_values_ordered"] if number == 1 else []
        run_dbt([*BUILD, *stopped], warehouse=warehouse, target_dir=target, quiet=True)
    old_day = oldest[tickets.at("created_at")][:10]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kept = con.execute(
            "select count(*) from intermediate.int_kpi_days_superseded where period_date = cast(? as date)", [old_day]
        ).fetchone() or (0,)
    assert kept[0] == 1
    run_dbt(BUILD, warehouse=warehouse, target_dir=target, quiet=True)
    assert _window(warehouse) == (False, None)

    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(warehouse, rebuilt)
    run_dbt([*BUILD, "--full-refresh"], warehouse=rebuilt, target_dir=target, quiet=True)
    problems = []
    for table in COMPARED:
        problems += differences(table, duckdb_rows(rebuilt, table), duckdb_rows(warehouse, table))
    assert not problems, "\n".join(problems[:40])
