"""The Zendesk adapter end to end on the embedded path: a generated Zendesk sample (the Fivetran connector's
tables), loaded into schema `zendesk` by the minimal test loader, built with `--vars '{source: zendesk}'`.

Checks the conventions of the sources spec that the adapter's tickets and ticket_events carry: deleted tickets left
out (and listed with the reason), agent-created tickets flagged, internal notes never public replies, no event
without its ticket, statuses in the contract's enum.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support_kpis.cli import main as cli
from support_kpis.contract import STATUSES
from support_kpis.dbt_runner import run_dbt
from support_kpis.loading import load_folder
from support_kpis.loading.zendesk_tables import load_zendesk_tables
from support_kpis.sample.zendesk.calendars import ZONES
from support_kpis.settings import PROJECT_ROOT
from tests.dbt_project.dbt_projects import dbt, output
from tests.warehouses import query

pytestmark = pytest.mark.slow

TICKETS = 300
SEED = 3


@pytest.fixture(scope="module")
def zendesk_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("zendesk_adapter")
    data = work / "zendesk"
    assert (
        cli(["generate", "--source", "zendesk", "--tickets", str(TICKETS), "--seed", str(SEED), "--out", str(data)])
        == 0
    )
    warehouse = work / "warehouse.duckdb"
    loaded = load_zendesk_tables(data, warehouse)
    assert loaded["ticket"] == TICKETS
    run_dbt(["build"], warehouse=warehouse, dbt_vars={"source": "zendesk"}, target_dir=work / "target", quiet=True)
    return warehouse


def _one(warehouse: Path, sql: str) -> object:
    ((value,),) = query(warehouse, sql)
    return value


def test_deleted_tickets_are_left_out_and_counted(zendesk_warehouse: Path) -> None:
    deleted = {
        ticket_id
        for (ticket_id,) in query(
            zendesk_warehouse,
            "select cast(id as varchar) from zendesk.ticket where status = 'deleted' or _fivetran_deleted",
        )
    }
    assert deleted, "the sample should hold deleted tickets"
    left_out = dict(query(zendesk_warehouse, "select ticket_id, reason from staging.stg_zendesk__tickets_left_out"))
    assert set(left_out) == deleted
    assert set(left_out.values()) <= {"status_deleted", "fivetran_deleted"}
    built = {ticket_id for (ticket_id,) in query(zendesk_warehouse, "select ticket_id from main.fct_tickets")}
    assert not built & deleted
    assert len(built) == TICKETS - len(deleted)
    events_of_deleted = _one(
        zendesk_warehouse,
        "select count(*) from staging.stg_ticket_events e"
        " join staging.stg_zendesk__tickets_left_out d on e.ticket_id = d.ticket_id",
    )
    assert events_of_deleted == 0


def test_agent_created_tickets_are_flagged(zendesk_warehouse: Path) -> None:
    # A ticket's first public comment written by an agent or admin: the agent opened it for the customer.
    rows = query(
        zendesk_warehouse,
        """
        with first_public as (
            select c.ticket_id, u.role
            from zendesk.ticket_comment c
            left join zendesk."user" u on c.user_id = u.id
            where c.public
            qualify row_number() over (partition by c.ticket_id order by c.created, c.id) = 1
        )
        select f.is_agent_initiated, coalesce(p.role in ('agent', 'admin'), false) as agent_wrote_first, count(*)
        from main.fct_tickets f
        left join first_public p on f.ticket_id = cast(p.ticket_id as varchar)
        group by all
        """,
    )
    by_flag = {(flag, agent_first): count for flag, agent_first, count in rows}
    assert by_flag.get((True, True), 0) > 0, "the sample should hold agent-created tickets"
    assert by_flag.get((False, False), 0) > 0
    assert by_flag.get((True, False), 0) == 0
    assert by_flag.get((False, True), 0) == 0


def test_internal_notes_are_private_messages_never_replies(zendesk_warehouse: Path) -> None:
    notes = _one(zendesk_warehouse, "select count(*) from zendesk.ticket_comment where not public")
    assert notes > 0, "the sample should hold internal notes"
    private_messages = _one(
        zendesk_warehouse,
        "select count(*) from staging.stg_ticket_events where event_type = 'message' and not is_public",
    )
    notes_of_live_tickets = _one(
        zendesk_warehouse,
        "select count(*) from zendesk.ticket_comment c join staging.stg_tickets t"
        " on cast(c.ticket_id as varchar) = t.ticket_id where not c.public",
    )
    assert private_messages == notes_of_live_tickets
    replies_from_notes = _one(
        zendesk_warehouse,
        "select count(*) from main.fct_agent_replies r join zendesk.ticket_comment c"
        " on r.event_id = 'c:' || cast(c.id as varchar) where not c.public",
    )
    assert replies_from_notes == 0
    assert _one(zendesk_warehouse, "select count(*) from main.fct_agent_replies") > 0


def test_every_event_has_its_ticket(zendesk_warehouse: Path) -> None:
    orphans = _one(
        zendesk_warehouse,
        "select count(*) from staging.stg_ticket_events e"
        " left join staging.stg_tickets t on e.ticket_id = t.ticket_id where t.ticket_id is null",
    )
    assert orphans == 0
    assert _one(zendesk_warehouse, "select count(*) from staging.stg_ticket_events") > TICKETS


def test_statuses_map_into_the_contract_enum(zendesk_warehouse: Path) -> None:
    statuses = {status for (status,) in query(zendesk_warehouse, "select distinct status from staging.stg_tickets")}
    new_statuses = {
        status
        for (status,) in query(
            zendesk_warehouse,
            "select distinct new_status from staging.stg_ticket_events where event_type = 'status_change'",
        )
    }
    assert statuses <= set(STATUSES)
    assert new_statuses <= set(STATUSES)
    assert "on_hold" in new_statuses, "Zendesk's hold should arrive as on_hold"


def test_a_zendesk_run_without_the_connector_tables_says_what_to_load(tmp_path: Path) -> None:
    data = tmp_path / "contract"
    assert cli(["generate", "--tickets", "20", "--seed", "1", "--out", str(data)]) == 0
    warehouse = tmp_path / "warehouse.duckdb"
    load_folder(data, warehouse)  # contract data only: raw.tickets exists, zendesk.ticket does not
    result = dbt(PROJECT_ROOT, "build", "--vars", "{source: zendesk}", warehouse=warehouse, target_dir=tmp_path / "t")
    assert result.returncode != 0
    assert "no table zendesk.ticket" in output(result)


def test_agents_customers_and_the_inventory_come_from_the_adapter(zendesk_warehouse: Path) -> None:
    agents = _one(zendesk_warehouse, "select count(*) from zendesk.\"user\" where role in ('agent', 'admin')")
    assert _one(zendesk_warehouse, "select count(*) from staging.stg_agents") == agents > 0
    requesters_missing = _one(
        zendesk_warehouse,
        "select count(*) from staging.stg_tickets t"
        " left join staging.stg_customers c on t.customer_id = c.customer_id where c.customer_id is null",
    )
    assert requesters_missing == 0
    inventory = {
        table: (present, rows)
        for table, present, rows in query(
            zendesk_warehouse, "select table_name, is_present, rows_loaded from staging.stg_table_inventory"
        )
    }
    assert inventory["tickets"] == (True, _one(zendesk_warehouse, "select count(*) from staging.stg_tickets"))
    assert inventory["agents"] == (True, agents)
    assert inventory["surveys"][0] is True
    assert inventory["holidays"][0] is True
    assert inventory["reviews"][0] is False  # not Zendesk data, no contract file loaded


def test_csat_is_each_kept_ticket_s_latest_good_or_bad_rating(zendesk_warehouse: Path) -> None:
    expected = dict(
        query(
            zendesk_warehouse,
            """
            select cast(h.ticket_id as varchar), case when h.value in ('good', 'goodwithcomment') then 1.0 else 0.0 end
            from zendesk.ticket_field_history h
            join staging.stg_tickets t on cast(h.ticket_id as varchar) = t.ticket_id
            where h.field_name = 'satisfaction_score'
                and h.value in ('good', 'goodwithcomment', 'bad', 'badwithcomment')
                -- a rating after the as-of time does not exist yet (the data's as-of: no var as_of here)
                and h.updated <= (select as_of_at from intermediate.int_reporting_bounds_computed)
            qualify row_number() over (partition by h.ticket_id order by h.updated desc) = 1
            """,
        )
    )
    assert set(expected.values()) == {0.0, 1.0}, "the sample should hold good and bad ratings"
    built = query(
        zendesk_warehouse, "select ticket_id, score, scale_min, scale_max, survey_type from main.fct_survey_responses"
    )
    assert {ticket_id: score for ticket_id, score, *_ in built} == expected
    assert {(low, high, kind) for _, _, low, high, kind in built} == {(0, 1, "csat")}


def test_schedules_holidays_and_each_ticket_s_schedule(zendesk_warehouse: Path) -> None:
    zones = dict(query(zendesk_warehouse, "select distinct schedule_id, timezone from staging.stg_business_schedules"))
    rails = dict(query(zendesk_warehouse, "select distinct cast(id as varchar), time_zone from zendesk.schedule"))
    assert set(zones) == set(rails)
    assert {rails[schedule]: zone for schedule, zone in zones.items()} == {name: ZONES[name] for name in rails.values()}
    # Weekly minutes are kept: the open minutes per schedule equal the Zendesk intervals' total.
    open_minutes = dict(
        query(
            zendesk_warehouse,
            "select schedule_id, sum(cast(split_part(end_time, ':', 1) as int) * 60"
            " + cast(split_part(end_time, ':', 2) as int) - cast(split_part(start_time, ':', 1) as int) * 60"
            " - cast(split_part(start_time, ':', 2) as int))"
            " from staging.stg_business_schedules group by 1",
        )
    )
    zendesk_minutes = dict(
        query(
            zendesk_warehouse,
            "select cast(id as varchar), sum(end_time - start_time) from zendesk.schedule group by 1",
        )
    )
    assert open_minutes == zendesk_minutes
    holiday_days = _one(
        zendesk_warehouse,
        "select count(*) from (select distinct schedule_id, unnest(generate_series(start_date, end_date,"
        " interval 1 day)) as day from zendesk.schedule_holiday where not coalesce(_fivetran_deleted, false))",
    )
    assert _one(zendesk_warehouse, "select count(*) from staging.stg_holidays") == holiday_days
    assert _one(zendesk_warehouse, "select count(*) from staging.stg_tickets where schedule_id is null") == 0
