"""Superset on the Postgres build: `support-kpis superset import --database-uri postgresql://...` into a real
Superset 6.1, then every chart of every dashboard answers from Postgres, and a KPI read through a dataset equals
the same KPI read from Postgres directly."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from support_kpis.ports import free_port
from support_kpis.superset.dashboard_specs import DASHBOARDS
from support_kpis.superset.local_server import LocalSuperset, stop
from support_kpis.superset.rest_client import SupersetClient
from support_kpis.targets.postgres import Connection, connect
from tests.engines.cli_runs import run_cli

ADMIN = "admin"
DATABASE_NAME = "support_kpis_postgres"


@pytest.fixture(scope="module")
def superset_on_postgres(postgres_utc: Connection, session_dir: Path) -> Iterator[SupersetClient]:
    home = session_dir / "superset-postgres"
    password = secrets.token_urlsafe(16)
    server = LocalSuperset(home, free_port())
    server.initialize(ADMIN, password)
    process = server.start(workdir=session_dir)
    try:
        server.wait_until_healthy(process, timeout_seconds=180)
        uri = f"postgresql://{postgres_utc.user}@{postgres_utc.host}:{postgres_utc.port}/{postgres_utc.dbname}"
        # `--password=...`: a random password may start with "-", which argparse would take for an option.
        arguments = ["superset", "import", "--url", server.url, "--username", ADMIN, f"--password={password}"]
        run_cli([*arguments, "--database-uri", uri, "--database-name", DATABASE_NAME], {}, session_dir)
        client = SupersetClient(server.url)
        client.login(ADMIN, password)
        yield client
    finally:
        stop(process)


def test_the_datasets_point_at_the_postgres_marts(superset_on_postgres: SupersetClient) -> None:
    databases = superset_on_postgres.list_all("database", ["id", "database_name", "backend"])
    (database,) = [d for d in databases if d["database_name"] == DATABASE_NAME]
    assert database["backend"] == "postgresql"
    datasets = superset_on_postgres.list_all("dataset", ["table_name", "schema", "database.id"])
    assert datasets
    assert {(d["schema"], d["database"]["id"]) for d in datasets} == {("public", database["id"])}


def test_every_chart_on_every_dashboard_answers_from_postgres(superset_on_postgres: SupersetClient) -> None:
    client = superset_on_postgres
    problems: list[str] = []
    answered = 0
    for spec in DASHBOARDS:
        for chart in client.get_json(f"/api/v1/dashboard/{spec.slug}/charts")["result"]:
            (result,) = client.get_json(f"/api/v1/chart/{chart['id']}/data/")["result"]
            if result.get("error") or not result["rowcount"]:
                problems.append(f"{spec.slug} / {chart['slice_name']}: {result.get('error') or 'no rows'}")
            answered += 1
    assert answered >= len(DASHBOARDS)
    assert not problems, "\n".join(problems)


def test_a_kpi_through_superset_equals_postgres(superset_on_postgres: SupersetClient, postgres_utc: Connection) -> None:
    client = superset_on_postgres
    (dataset,) = [d for d in client.list_all("dataset", ["id", "table_name"]) if d["table_name"] == "kpi_values"]
    filters = [
        {"col": "kpi_id", "op": "==", "val": "tickets_created"},
        {"col": "grain", "op": "==", "val": "month"},
        {"col": "dimension", "op": "==", "val": "all"},
    ]
    body = {
        "datasource": {"id": dataset["id"], "type": "table"},
        "queries": [
            {
                "columns": [],
                "metrics": [{"expressionType": "SQL", "sqlExpression": "sum(value)", "label": "tickets"}],
                "filters": filters,
                "row_limit": 10,
            }
        ],
        "result_format": "json",
        "result_type": "full",
    }
    (result,) = client.post_json("/api/v1/chart/data", body)["result"]
    with connect(postgres_utc) as con, con.cursor() as cur:
        cur.execute(
            "select sum(value), count(*) from public.kpi_values "
            "where kpi_id = 'tickets_created' and grain = 'month' and dimension = 'all'"
        )
        total, months = cur.fetchone()
    assert months >= 12
    assert result["data"][0]["tickets"] == total
