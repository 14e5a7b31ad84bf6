"""Incremental builds on Postgres equal full rebuilds, as tests/incremental checks on DuckDB: random batches are
loaded into Postgres as a daily run would (the first with `load --target postgres`, every later one with
`load --append --target postgres`), each followed by an incremental build; the result must equal a
`dbt build --full-refresh` of the same raw tables, copied with their load times into a second database.
"""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support_kpis.dbt_runner import run_dbt
from support_kpis.targets.postgres import Connection, connect
from support_kpis.targets.postgres import ship as ship_to_postgres
from support_kpis.targets.postgres_pull import pull
from tests.engines.cli_runs import new_database, postgres_environment, run_cli
from tests.engines.tables import differences, postgres_rows
from tests.incremental.batches import Table, generate_tables, split_into_batches
from tests.incremental.test_incremental_equals_full import BUILD, COMPARED, EXAMPLE


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Table]:
    return generate_tables(tmp_path_factory.mktemp("incremental-generated"))


@given(seed=st.integers(0, 2**31 - 1), count=st.integers(2, 3))
@settings(EXAMPLE, max_examples=1)
def test_postgres_batches_built_incrementally_equal_a_full_rebuild(
    generated: dict[str, Table],
    tmp_path_factory: pytest.TempPathFactory,
    postgres_server: Connection,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    count: int,
) -> None:
    work = tmp_path_factory.mktemp("incremental-postgres")
    folders = split_into_batches(generated, Random(seed), count, work / "batches")
    staged = work / "staged.duckdb"
    incremental = _use_database(postgres_server, "incremental", monkeypatch)
    for number, folder in enumerate(folders):
        append = ["--append"] if number else []
        run_cli(["load", str(folder), *append, "--target", "postgres"], postgres_environment(incremental), work)
        run_dbt(BUILD, warehouse=staged, target_dir=work / "target", quiet=True, engine="postgres")
        with connect(incremental) as con, con.cursor() as cur:
            cur.execute("select is_full_recompute, full_recompute_reason from intermediate.int_incremental_window")
            full, reason = cur.fetchone()
        # After the first, every batch must be built incrementally, or the comparison below proves nothing.
        assert full == (number == 0), reason

    rebuilt = _use_database(postgres_server, "rebuilt", monkeypatch)
    pull(staged, incremental)
    ship_to_postgres(staged, ["raw", "quarantine"], rebuilt)
    run_dbt([*BUILD, "--full-refresh"], warehouse=staged, target_dir=work / "target", quiet=True, engine="postgres")
    problems = []
    for table in COMPARED:
        problems += differences(table, postgres_rows(rebuilt, table), postgres_rows(incremental, table))
    assert not problems, "\n".join(problems[:40])


def _use_database(server: Connection, name: str, monkeypatch: pytest.MonkeyPatch) -> Connection:
    connection = new_database(server, name)
    for variable, value in postgres_environment(connection).items():
        monkeypatch.setenv(variable, value)
    return connection
