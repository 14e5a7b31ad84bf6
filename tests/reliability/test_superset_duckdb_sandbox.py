"""The bundle's DuckDB database is sandboxed, and nothing in the bundle undoes or sidesteps the sandbox.

Fast (no Superset): the committed database document, the refusal of URIs that would
override the sandbox, and a real DuckDB file opened through SQLAlchemy and
duckdb-engine with the connect_args exactly as Superset hands them over (its
DuckDB engine spec adds a `custom_user_agent` to the same `config`). The live
proof through SQL Lab is test_superset_sqllab_sandbox.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlalchemy
import yaml

from support_kpis.errors import UserError
from support_kpis.kpi_registry import load_registry
from support_kpis.superset.bundle import DatabaseTarget, generate_bundle
from support_kpis.superset.dialects import DUCKDB, POSTGRES
from support_kpis.superset.documents import DUCKDB_CONNECT_ARGS, DUCKDB_SANDBOX
from support_kpis.superset.project_bundle import ASSETS_DIR

SANDBOX_REFUSAL = re.compile(
    r"file system operations are disabled by configuration"
    r"|disabled through configuration"
    r"|the configuration has been locked"
)


def _database(uri: str, dialect: Any = DUCKDB) -> dict[str, Any]:
    bundle = generate_bundle({}, load_registry(), DatabaseTarget(uri, dialect))
    return bundle.documents[bundle.database_file]


def test_the_committed_database_is_read_only_sandboxed_and_allows_no_writes_or_uploads() -> None:
    (path,) = sorted((ASSETS_DIR / "databases").glob("*.yaml"))
    database = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert database["extra"]["engine_params"] == {
        "connect_args": {
            "read_only": True,
            "config": {"enable_external_access": False, "lock_configuration": True, "temp_directory": ""},
        }
    }
    assert [database[flag] for flag in ("allow_dml", "allow_csv_upload", "allow_ctas", "allow_cvas")] == [False] * 4
    assert database["extra"]["schemas_allowed_for_csv_upload"] == []
    assert not database["allow_run_async"]  # no Celery worker (which would open its own connections)


def test_every_duckdb_database_is_sandboxed_and_a_postgres_one_is_left_to_its_server() -> None:
    assert _database("duckdb:////srv/warehouse.duckdb")["extra"]["engine_params"] == {
        "connect_args": DUCKDB_CONNECT_ARGS
    }
    assert _database("postgresql://kpi@db/warehouse", POSTGRES)["extra"]["engine_params"] == {}
    # The document holds its own copy: code that edits one bundle's document cannot weaken the next one.
    _database("duckdb:///a.duckdb")["extra"]["engine_params"]["connect_args"]["config"]["lock_configuration"] = False
    assert DUCKDB_SANDBOX == {"enable_external_access": False, "lock_configuration": True, "temp_directory": ""}


@pytest.mark.parametrize(
    "query",
    [
        "enable_external_access=true",
        "lock_configuration=false",
        "Enable_External_Access=1",
        "allowed_directories=/",
        "allowed_paths=/etc/passwd",
        "allowed_configs=enable_external_access",
        "access_mode=read_write",
        "temp_directory=/tmp",
        "threads=2&allowed_directories=/etc",
    ],
)
def test_a_duckdb_uri_that_would_undo_the_sandbox_is_refused(query: str) -> None:
    with pytest.raises(UserError, match=r"--database-uri sets \w+.*remove it from the URI"):
        _database(f"duckdb:///warehouse/support_kpis.duckdb?{query}")


def test_other_duckdb_uri_settings_are_kept() -> None:
    assert _database("duckdb:///w.duckdb?threads=2")["sqlalchemy_uri"] == "duckdb:///w.duckdb?threads=2"


# ---------------------------------------------------------------- DuckDB as Superset opens it


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sandbox") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table kpi_values as select date '2026-01-01' as period_start, 42.0 as value")
    # A secret beside the warehouse, and the temp folder DuckDB makes there while a query spills to disk:
    # DuckDB lets a connection with external access off reach its database's temp folder.
    (path.parent / "secret.txt").write_text("beside the warehouse", encoding="utf-8")
    (path.parent / f"{path.name}.tmp").mkdir()
    return path


def _superset_engine(uri: str) -> sqlalchemy.Engine:
    # What Superset 4.1-6.1's DuckDBEngineSpec.get_extra_params makes of the bundle's engine_params.
    connect_args = {
        "read_only": True,
        "config": {**DUCKDB_CONNECT_ARGS["config"], "custom_user_agent": "apache-superset/6.1.0"},
    }
    return sqlalchemy.create_engine(uri, connect_args=connect_args, poolclass=sqlalchemy.pool.NullPool)


def _refusal(engine: sqlalchemy.Engine, sql: str) -> str:
    """The error `sql` fails with (a statement that succeeds is returned as "succeeded")."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(sql).fetchall()
    except sqlalchemy.exc.DBAPIError as exc:
        return str(exc.orig)
    return "succeeded"


def test_duckdb_opened_as_superset_opens_it_refuses_every_file_and_setting_statement(
    warehouse: Path, tmp_path: Path
) -> None:
    engine = _superset_engine(f"duckdb:///{warehouse}")
    temp_folder = warehouse.parent / f"{warehouse.name}.tmp"
    statements = [
        f"select * from read_text('{warehouse.parent / 'secret.txt'}')",
        f"select * from glob('{warehouse.parent}/*')",
        f"copy (select 'print(1)') to '{temp_folder / 'x.py'}' (header false, quote '')",
        "select * from read_csv('/etc/passwd')",
        "select * from read_json('/etc/passwd')",
        f"select * from read_parquet('{tmp_path / 'x.parquet'}')",
        "select * from read_blob('/etc/hostname')",
        "select * from sniff_csv('/etc/passwd')",
        "select * from glob('/*')",
        f"copy (select 1) to '{tmp_path / 'copy.csv'}'",
        f"export database '{tmp_path / 'export'}'",
        f"attach '{tmp_path / 'attached.duckdb'}' as attached",
        "install httpfs",
        "load httpfs",
        "set enable_external_access = true",
        "reset enable_external_access",
        "set lock_configuration = false",
        f"set allowed_directories = ['{tmp_path}']",
        "set threads = 1",
        "pragma enable_profiling",
    ]
    failures = {sql: _refusal(engine, sql) for sql in statements}
    assert not {sql: error for sql, error in failures.items() if not SANDBOX_REFUSAL.search(error)}
    assert sorted(tmp_path.iterdir()) == [] and sorted(temp_folder.iterdir()) == []
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "select date_trunc('month', period_start) at time zone 'Europe/Paris', value from kpi_values"
        ).fetchall()
    assert len(rows) == 1 and rows[0][1] == 42


def test_a_uri_setting_would_override_connect_args_which_is_why_the_bundle_refuses_it(warehouse: Path) -> None:
    """duckdb-engine applies the URI's query after connect_args' config: the URI has the last word."""
    engine = _superset_engine(f"duckdb:///{warehouse}?enable_external_access=true")
    with engine.connect() as connection:
        (external,) = connection.exec_driver_sql("select current_setting('enable_external_access')").one()
    assert external is True
