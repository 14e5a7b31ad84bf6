"""SQL Lab on the imported "Support KPIs" database cannot reach the server's files (real Superset 6.1, real DuckDB).

The statements go through `POST /api/v1/sqllab/execute/`, as SQL Lab's editor sends
them, as the admin: anyone granted SQL Lab on the database can send the same. With the
database as it was first shipped (connect_args only `read_only`), the reads returned
the files (the secret key in `superset_config.py`, `/etc/passwd`) and COPY wrote one.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from pathlib import Path
from typing import Any

import pytest

from support_kpis.superset.documents import DUCKDB_SANDBOX
from support_kpis.superset.local_server import CONFIG_FILE
from support_kpis.superset.rest_client import SupersetClient
from tests.superset.server import RunningSuperset

pytestmark = pytest.mark.slow

# DuckDB's own refusals under the sandbox; any other failure (a missing file, no network) proves nothing.
SANDBOX_REFUSAL = re.compile(
    r"file system operations are disabled by configuration"
    r"|disabled through configuration"
    r"|the configuration has been locked"
)


@pytest.fixture(scope="module")
def client(superset_server: RunningSuperset) -> SupersetClient:
    return superset_server.client()


@pytest.fixture(scope="module")
def database(superset_server: RunningSuperset, client: SupersetClient) -> dict[str, Any]:
    uuid = superset_server.bundle.documents[superset_server.bundle.database_file]["uuid"]
    columns = ["id", "uuid", "extra", "expose_in_sqllab", "allow_dml", "allow_file_upload", "allow_ctas", "allow_cvas"]
    (row,) = [row for row in client.list_all("database", columns) if row["uuid"] == uuid]
    return row


def _sql_lab(client: SupersetClient, database_id: int, sql: str) -> tuple[bool, str, list[Any]]:
    """(succeeded, error message, rows) of one statement run synchronously, as SQL Lab's editor runs it."""
    payload = {
        "database_id": database_id,
        "sql": sql,
        "schema": "main",
        "runAsync": False,
        "queryLimit": 100,
        "client_id": secrets.token_hex(5),  # Superset keys queries by it (11 characters at most)
        "tab": "sandbox test",
    }
    response = client.session.post(f"{client.url}/api/v1/sqllab/execute/", json=payload, timeout=120)
    body = response.json()
    if response.status_code == 200 and body.get("status") == "success":
        return True, "", list(body.get("data") or [])
    errors = body.get("errors") or [{"message": body.get("error") or body.get("message") or json.dumps(body)}]
    return False, " | ".join(str(error.get("message")) for error in errors), []


def test_sql_lab_reads_the_warehouse(
    superset_server: RunningSuperset,
    client: SupersetClient,
    database: dict[str, Any],
) -> None:
    ok, error, rows = _sql_lab(client, database["id"], "select count(*) as n from kpi_values")
    assert ok, error
    assert rows and rows[0]["n"] > 0
    # What the charts need from DuckDB beyond plain SQL still works under the sandbox (ICU is built in).
    ok, error, rows = _sql_lab(
        client,
        database["id"],
        "select date_trunc('month', max(period_start)) at time zone 'America/New_York' as t from kpi_values",
    )
    assert ok, error
    assert rows[0]["t"] is not None


def _statements(home: Path, scratch: Path, temp_folder: Path) -> dict[str, str]:
    return {
        "read the secret key": f"select content from read_text('{home / CONFIG_FILE}')",
        "read the key by a relative path": f"select content from read_text('{home.name}/{CONFIG_FILE}')",
        "read /etc/passwd": "select * from read_csv('/etc/passwd')",
        "read a blob": "select content from read_blob('/etc/hostname')",
        "sniff a file": "select * from sniff_csv('/etc/passwd')",
        "read parquet": f"select * from read_parquet('{scratch / 'any.parquet'}')",
        "list a folder": "select * from glob('/root/*')",
        "list the server's home": f"select * from glob('{home}/*')",
        "write a file": f"copy (select 'print(1)') to '{scratch / 'x.py'}' (header false, quote '')",
        "write into the warehouse's temp folder": f"copy (select 1) to '{temp_folder / 'x.csv'}'",
        "attach a new file": f"attach '{scratch / 'attached.duckdb'}' as other",
        "turn external access on": "set enable_external_access = true",
        "reset external access": "reset enable_external_access",
        "unlock the configuration": "set lock_configuration = false",
        "allow a folder": f"set allowed_directories = ['{scratch}']",
        "install an extension": "install httpfs",
        "load an extension": "load httpfs",
    }


def test_sql_lab_can_neither_read_nor_write_the_servers_files(
    superset_server: RunningSuperset,
    client: SupersetClient,
    database: dict[str, Any],
    tmp_path: Path,
) -> None:
    # The home of the running Superset holds its secret key; Superset runs in the session folder above it.
    assert (superset_server.home / CONFIG_FILE).read_text(encoding="utf-8").count(superset_server.secret_key) == 1
    # The folder DuckDB makes beside the warehouse while a query spills to disk (any user can make one spill);
    # DuckDB lets a connection reach it even with external access off, unless it has no temp folder.
    temp_folder = superset_server.warehouse.parent / f"{superset_server.warehouse.name}.tmp"
    temp_folder.mkdir()
    leaks: list[str] = []
    try:
        for what, sql in _statements(superset_server.home, tmp_path, temp_folder).items():
            ok, error, rows = _sql_lab(client, database["id"], sql)
            if ok:
                leaks.append(f"{what}: succeeded ({str(rows)[:120]})")
            elif not SANDBOX_REFUSAL.search(error):
                leaks.append(f"{what}: failed, but not by the sandbox: {error[:200]}")
            if superset_server.secret_key in json.dumps(rows):
                leaks.append(f"{what}: returned the secret key")
        written = sorted(tmp_path.iterdir()) + sorted(temp_folder.iterdir())
    finally:
        shutil.rmtree(temp_folder)
    assert not leaks, "\n".join(leaks)
    assert written == [], "a statement wrote a file"
    # The refused SETs changed nothing: the same connection settings still hold.
    ok, error, rows = _sql_lab(
        client,
        database["id"],
        "select current_setting('enable_external_access') as external, current_setting('lock_configuration') as locked",
    )
    assert ok, error
    assert rows == [{"external": False, "locked": True}]


def test_the_imported_database_allows_no_dml_no_upload_and_keeps_the_sandbox(database: dict[str, Any]) -> None:
    assert database["expose_in_sqllab"] is True  # SQL Lab stays useful: it is the sandbox that keeps it safe
    assert not any(database[flag] for flag in ("allow_dml", "allow_file_upload", "allow_ctas", "allow_cvas"))
    extra = json.loads(database["extra"])
    assert extra["engine_params"]["connect_args"]["read_only"] is True
    assert extra["engine_params"]["connect_args"]["config"] == DUCKDB_SANDBOX
    assert extra.get("schemas_allowed_for_file_upload", extra.get("schemas_allowed_for_csv_upload", [])) == []


def _refused(client: SupersetClient, database_id: int, home: Path) -> str:
    ok, error, rows = _sql_lab(client, database_id, f"select content from read_text('{home / CONFIG_FILE}')")
    assert not ok and not rows
    return error


def test_an_admin_cannot_lift_the_sandbox_of_the_local_server(
    superset_server: RunningSuperset,
    client: SupersetClient,
    database: dict[str, Any],
) -> None:
    """The local server's own config sandboxes every DuckDB connection: editing the database's stored settings, or
    adding a database that asks for external access, still reads no file (its admin login is admin/admin)."""
    url = f"{client.url}/api/v1/database"
    original = database["extra"]
    lifted = {**json.loads(original), "engine_params": {"connect_args": {"config": {"enable_external_access": True}}}}
    response = client.session.put(f"{url}/{database['id']}", json={"extra": json.dumps(lifted)}, timeout=60)
    assert response.status_code == 200, response.text
    added_id = None
    try:
        assert SANDBOX_REFUSAL.search(_refused(client, database["id"], superset_server.home))
        added = client.session.post(
            f"{url}/",
            json={
                "database_name": "unsandboxed",
                "sqlalchemy_uri": f"duckdb:///{superset_server.warehouse}?enable_external_access=true",
                "expose_in_sqllab": True,
                "extra": json.dumps({"engine_params": {"connect_args": {"read_only": False}}}),
            },
            timeout=60,
        )
        assert added.status_code == 201, added.text
        added_id = added.json()["id"]
        assert SANDBOX_REFUSAL.search(_refused(client, added_id, superset_server.home))
        ok, error, rows = _sql_lab(client, added_id, "select count(*) as n from kpi_values")
        assert ok and rows[0]["n"] > 0, error  # still a working (read-only) connection
    finally:
        restored = client.session.put(f"{url}/{database['id']}", json={"extra": original}, timeout=60)
        assert restored.status_code == 200, restored.text
        if added_id is not None:
            client.session.delete(f"{url}/{added_id}", timeout=60)
