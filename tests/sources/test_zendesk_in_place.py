"""A warehouse where only the Fivetran connector's Zendesk tables are: `dbt build --vars '{source: zendesk}'` reads
them where they are (the `zendesk_schema` var), with no `support-kpis load` and so no raw schema at all.

The contract tables the adapter does not produce are then absent, as an absent optional file is: the build succeeds,
the Zendesk KPIs have values, and the KPIs needing another table are unavailable, naming it. The requesters'
segment comes from a column of their organization (here its name), as the var zendesk_customer_segment_column says.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from support_kpis.cli import main as cli
from support_kpis.dbt_runner import run_dbt
from support_kpis.loading.zendesk_tables import load_zendesk_tables
from support_kpis.sample.zendesk import columns
from tests.warehouses import query

pytestmark = pytest.mark.slow

TICKETS = 300
CONNECTOR_SCHEMA = "fivetran_zendesk"


@pytest.fixture(scope="module")
def fivetran_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("zendesk_in_place")
    data = work / "zendesk"
    assert cli(["generate", "--source", "zendesk", "--tickets", str(TICKETS), "--seed", "5", "--out", str(data)]) == 0
    # The loader types the tables as the connector does; then only the connector's tables move to a fresh
    # warehouse, under another schema name, as Fivetran would have landed them.
    loaded = work / "loaded.duckdb"
    load_zendesk_tables(data, loaded)
    warehouse = work / "analytics.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"attach '{loaded}' as loaded (read_only)")
        con.execute(f"create schema {CONNECTOR_SCHEMA}")
        for table in columns.TABLES:
            con.execute(f'create table {CONNECTOR_SCHEMA}."{table}" as select * from loaded.zendesk."{table}"')
        con.execute("detach loaded")
        schemas = {row[0] for row in con.execute("select schema_name from information_schema.schemata").fetchall()}
    assert "raw" not in schemas
    run_dbt(
        ["build"],
        warehouse=warehouse,
        dbt_vars={
            "source": "zendesk",
            "zendesk_schema": CONNECTOR_SCHEMA,
            "zendesk_customer_segment_column": "name",
        },
        target_dir=work / "target",
        quiet=True,
    )
    return warehouse


def test_the_build_reads_the_connector_schema_in_place(fivetran_warehouse: Path) -> None:
    ((live,),) = query(
        fivetran_warehouse,
        f"select count(*) from {CONNECTOR_SCHEMA}.ticket where status <> 'deleted' and not _fivetran_deleted",
    )
    ((built,),) = query(fivetran_warehouse, "select count(*) from main.fct_tickets")
    assert built == live
    ((created,),) = query(
        fivetran_warehouse,
        "select sum(value) from main.kpi_values where kpi_id = 'tickets_created' and grain = 'month'"
        " and dimension = 'all'",
    )
    assert created == live


def test_kpis_of_tables_nobody_supplied_are_unavailable_naming_them(fivetran_warehouse: Path) -> None:
    catalog = {
        kpi: (available, reason)
        for kpi, available, reason in query(
            fivetran_warehouse, "select kpi_id, is_available, unavailable_reason from main.kpi_catalog"
        )
    }
    assert catalog["first_response_time_median_minutes"] == (True, None)
    assert catalog["csat_pct"] == (True, None)
    assert catalog["sla_first_response_attainment_pct"] == (True, None)
    assert catalog["mrr"] == (False, "Needs table(s) not supplied: customer_revenue.")
    assert catalog["deflection_rate_pct"] == (False, "Needs table(s) not supplied: self_service_sessions.")


def test_the_segment_is_the_named_column_of_the_requester_s_organization(fivetran_warehouse: Path) -> None:
    # Tickets per organization name counted straight from the connector's tables (live tickets only; a requester
    # without an organization is `unknown`), against tickets_created by segment over all months.
    expected = dict(
        query(
            fivetran_warehouse,
            f"""
            select coalesce(o.name, 'unknown'), count(*)
            from {CONNECTOR_SCHEMA}.ticket t
            left join {CONNECTOR_SCHEMA}."user" u on t.requester_id = u.id
            left join {CONNECTOR_SCHEMA}.organization o on u.organization_id = o.id
            where t.status <> 'deleted' and not t._fivetran_deleted
            group by 1
            """,
        )
    )
    assert len(expected) > 2, "the sample should spread requesters over several organizations"
    built = dict(
        query(
            fivetran_warehouse,
            "select dimension_value, sum(value) from main.kpi_values where kpi_id = 'tickets_created'"
            " and grain = 'month' and dimension = 'segment' group by 1",
        )
    )
    assert built == expected
