"""Postgres gives the KPIs DuckDB gives: the session's sample loaded with `support-kpis load --target postgres`
and built with `support-kpis build --target postgres`, compared table by table with the DuckDB builds of the same
data (counts exact, other numbers 1e-9 relative), in UTC and in a daylight-saving reporting zone; and the Postgres
build against the independent reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reference import compute_kpi_values
from support_kpis.kpi_registry import load_registry
from support_kpis.targets.postgres import Connection, connect
from tests.engines.conftest import load_and_build_in_postgres
from tests.engines.tables import KEYS, differences, duckdb_rows, postgres_rows
from tests.kpis.comparison import differences as reference_differences
from tests.kpis.comparison import reference_rows
from tests.kpis.test_match_reference import SHIFTED


@pytest.fixture(scope="module")
def postgres_new_york(postgres_server: Connection, sample_data: Path, session_dir: Path) -> Connection:
    return load_and_build_in_postgres(postgres_server, "engines_new_york", sample_data, session_dir / "pg-ny", SHIFTED)


@pytest.mark.parametrize("table", sorted(KEYS))
def test_postgres_equals_duckdb_in_utc(table: str, postgres_utc: Connection, sample_warehouse: Path) -> None:
    expected = duckdb_rows(sample_warehouse, table)
    assert expected, f"{table} is empty on DuckDB: nothing would be compared"
    problems = differences(table, expected, postgres_rows(postgres_utc, table))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("table", sorted(KEYS))
def test_postgres_equals_duckdb_in_new_york_time(
    table: str, postgres_new_york: Connection, duckdb_new_york: Path
) -> None:
    expected = duckdb_rows(duckdb_new_york, table)
    assert expected
    problems = differences(table, expected, postgres_rows(postgres_new_york, table))
    assert not problems, "\n".join(problems)


def test_postgres_kpi_values_match_the_reference(postgres_utc: Connection, sample_data: Path) -> None:
    registry = load_registry()
    expected = reference_rows(compute_kpi_values(sample_data), registry.ids)
    with connect(postgres_utc) as con, con.cursor() as cur:
        cur.execute(
            "select kpi_id, grain, period_start, dimension, dimension_value, value, numerator, denominator, "
            "sample_size from public.kpi_values"
        )
        actual = {tuple(r[:5]): tuple(r[5:]) for r in cur.fetchall()}
    assert {key[0] for key in expected} == set(registry.ids)
    problems = reference_differences(actual, expected, {k.id: k.unit for k in registry.kpis})
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems)


def test_the_raw_tables_arrive_whole(postgres_utc: Connection, sample_warehouse: Path) -> None:
    """What the loader staged is what Postgres holds: every raw and quarantine table, row for row.

    The two were loaded separately, so the loader's load times differ: `_loaded_at`, and the inventory and batch
    record that hold them, are left out."""
    import duckdb

    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'quarantine') and table_name not in ('table_inventory', 'load_batches')"
        ).fetchall()
        selects = {
            (s, t): ", ".join(
                f'"{c}"'
                for (c,) in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                    "and column_name <> '_loaded_at' order by ordinal_position",
                    [s, t],
                ).fetchall()
            )
            for s, t in tables
        }
        staged = {
            (s, t): sorted(map(repr, con.execute(f'select {selects[s, t]} from "{s}"."{t}"').fetchall()))
            for s, t in tables
        }
    assert len(staged) >= 30
    with connect(postgres_utc) as pg, pg.cursor() as cur:
        for (schema, table), rows in staged.items():
            cur.execute(f'select {selects[schema, table]} from "{schema}"."{table}"')
            assert sorted(map(repr, cur.fetchall())) == rows, f"{schema}.{table}"


def test_validate_target_postgres_passes_the_clean_sample(postgres_utc: Connection, session_dir: Path) -> None:
    from tests.engines.cli_runs import postgres_environment, run_cli

    report_dir = session_dir / "pg-validate-report"
    done = run_cli(
        ["validate", "--target", "postgres", "--fail-on-quarantine", "--report-dir", str(report_dir)],
        postgres_environment(postgres_utc),
        session_dir / "pg-utc",
    )
    assert "postgresql://" in done.stdout
    result = json.loads((report_dir / "result.json").read_text(encoding="utf-8"))
    assert result["success"] is True
