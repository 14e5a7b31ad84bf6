"""`support-kpis demo --source zendesk` end to end in a child process, and `build` taking the source from the load."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from support_kpis.commands.build import with_loaded_source
from support_kpis.contract import TABLES
from support_kpis.loading import load_folder, load_zendesk_folder
from support_kpis.sample import SampleConfig
from support_kpis.sample.zendesk import generate_zendesk_sample
from tests.reliability.reliability_cli import cli_env, error_lines, run_cli
from tests.warehouses import query

pytestmark = pytest.mark.slow

TICKETS = 2000


def test_demo_with_the_zendesk_sample_publishes_kpis(tmp_path: Path) -> None:
    data, warehouse = tmp_path / "data", tmp_path / "demo.duckdb"
    env = cli_env(tmp_path / "target", {"SUPPORT_KPIS_DATA": str(data)})
    result = run_cli("demo", "--source", "zendesk", "--tickets", str(TICKETS), "--warehouse", str(warehouse), env=env,
                     timeout=1200)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert error_lines(result) == []
    # The generated folder is the Fivetran connector's tables, loaded into schema zendesk.
    with (data / "ticket.csv").open(encoding="utf-8", newline="") as handle:
        tickets = list(csv.DictReader(handle))
    assert len(tickets) == TICKETS
    deleted = sum(t["status"] == "deleted" or t["_fivetran_deleted"] == "true" for t in tickets)
    assert query(warehouse, "select count(*) from zendesk.ticket") == [(TICKETS,)]
    assert query(warehouse, "select rows_left_out from zendesk.table_inventory where table_name = 'ticket'") == [
        (deleted,)
    ]
    assert f"ticket: {TICKETS:,} read, {deleted:,} left out by the adapter" in result.stderr
    # build took source: zendesk from the load: the contract tickets are the adapter's, without the deleted ones.
    assert "source: zendesk (the last load's" in result.stderr
    published = tmp_path / "demo_published.duckdb"
    assert query(published, "select count(*) from fct_tickets") == [(TICKETS - deleted,)]
    [(values,)] = query(published, "select count(*) from kpi_values")
    assert values > 0
    assert "Headline KPIs" in result.stdout


def test_build_takes_the_source_from_the_last_load_unless_the_vars_set_it(tmp_path: Path) -> None:
    data, warehouse = tmp_path / "zendesk", tmp_path / "w.duckdb"
    generate_zendesk_sample(SampleConfig(tickets=50, seed=1), data, "csv")
    load_zendesk_folder(data, warehouse)
    assert with_loaded_source(warehouse, None) == {"source": "zendesk"}
    assert with_loaded_source(warehouse, {"as_of": "2026-10-01 00:00:00"}) == {
        "as_of": "2026-10-01 00:00:00",
        "source": "zendesk",
    }
    assert with_loaded_source(warehouse, {"source": "contract"}) == {"source": "contract"}
    contract = tmp_path / "contract"
    contract.mkdir()
    for name in ("tickets", "ticket_events"):
        (contract / f"{name}.csv").write_text(",".join(TABLES[name].column_names) + "\n", encoding="utf-8")
    load_folder(contract, warehouse)
    assert with_loaded_source(warehouse, None) is None
