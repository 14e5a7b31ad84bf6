"""scripts/compare_dbt_zendesk.py: the per-ticket comparison with dbt_zendesk (the pure part; CI has no dbt_zendesk)."""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compare_dbt_zendesk.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("compare_dbt_zendesk", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def theirs(ticket_id, frt=None, frt_b=None, final=None, reopens=0, replies=0, one_touch=False, **facts):
    return {
        "ticket_id": ticket_id,  # integer, as in zendesk__ticket_metrics
        "status": "open",
        "first_reply_time_calendar_minutes": frt,
        "first_reply_time_business_minutes": frt_b,
        "final_resolution_calendar_minutes": final,
        "count_resolutions": None if reopens is None else reopens + 1,
        "count_reopens": reopens,
        "count_public_agent_comments": replies,
        "is_one_touch_resolution": one_touch,
        **facts,
    }


def ours(
    ticket_id,
    frt=None,
    frt_b=None,
    created="2026-03-02 10:00:00",
    resolved=None,
    reopens=0,
    solves=0,
    replies=0,
    status="open",
    agent_initiated=False,
):
    full_hours = None
    if resolved and status in ("solved", "closed"):
        full_hours = (datetime.fromisoformat(resolved) - datetime.fromisoformat(created)).total_seconds() / 3600
    return {
        "ticket_id": str(ticket_id),
        "created_at": created,
        "last_resolved_at": resolved,
        "first_response_minutes": frt,
        "business_first_response_minutes": frt_b,
        "full_resolution_hours": full_hours,
        "solve_count": solves,
        "reopen_count": reopens,
        "public_agent_reply_count": replies,
        "status_at_as_of": status,
        "is_agent_initiated": agent_initiated,
    }


THEIRS = [
    # Agrees everywhere. Created 10:00:00, solved 12:00:30: 120.5 exact minutes, 120 minute boundaries crossed.
    theirs(1, frt=10.0, frt_b=5.0, final=120, replies=1, one_touch=True),
    # FRT 30.00004 rounds to 30.0000: agrees; business 2.5 ≠ 0; reopened once and re-solved in theirs, not in ours.
    theirs(2, frt=30.0, frt_b=0.0, final=61, reopens=1, replies=2, frt_in_dst_week=True),
    theirs(3, frt=0.0, frt_b=0.0, final=None, replies=1),  # agent-created: FRT out of scope
    theirs(4, frt=None, frt_b=None, final=300, reopens=1, replies=0),  # reopened, not re-solved
    theirs(5, frt=5.0, replies=1, one_touch=True, _fivetran_deleted=True),  # deleted: only in dbt_zendesk
    theirs(7, reopens=None),  # never solved: dbt_zendesk's count_reopens is null
]
OURS = [
    ours(1, frt=10.0, frt_b=5.0, resolved="2026-03-02 12:00:30", replies=1, solves=1, status="solved"),
    ours(2, frt=30.00004, frt_b=2.5, resolved="2026-03-02 11:01:00", solves=2, reopens=0, replies=2, status="closed"),
    ours(3, frt=None, replies=1, agent_initiated=True),
    ours(4, resolved="2026-03-02 15:00:00", solves=1, reopens=2, replies=0, status="open"),
    ours(6, frt=1.0, replies=1, status="open"),  # requester without user row: only in support-kpis
    ours(7),
]


def by_name(results):
    return {r.name.split(" (")[0].split(",")[0] + (", business" if "business" in r.name else ""): r for r in results}


DST = "interval in the week (Sunday 00:00 UTC) before a DST change of the schedule's zone"


def test_compare_counts_agreement_per_measure_with_causes(script):
    results, presence = script.compare(THEIRS, OURS)
    assert presence == {
        "only in dbt_zendesk": {"_fivetran_deleted": ["5"]},
        "only in support-kpis": {"not in zendesk__ticket_metrics": ["6"]},
    }
    r = by_name(results)

    frt = r["first reply time"]
    assert (frt.compared, frt.agreeing, frt.differing) == (4, 4, 0)  # ticket 3 (agent-initiated) is left out
    business = r["first reply time, business"]
    assert (business.compared, business.agreeing) == (4, 3)
    assert business.differences == {f"support-kpis higher — {DST}": ["2"]}

    final = r["final resolution"]
    # 1: 10:00:00 → 12:00:30 crosses 120 minute boundaries; 2: 10:00:00 → 11:01:00 crosses 61.
    assert (final.compared, final.agreeing, final.differing) == (5, 4, 1)
    assert final.differences == {"null in support-kpis only — reopened and not re-solved at the as-of": ["4"]}

    reopens = r["reopens"]
    assert reopens.differences == {
        "support-kpis lower": ["2"],
        "support-kpis higher — reopened and not re-solved at the as-of": ["4"],
        "null in dbt_zendesk only — never solved": ["7"],
    }
    assert r["public agent replies"].differing == 0

    one_touch = r["one-touch resolution"]
    assert (one_touch.compared, one_touch.agreeing) == (5, 5)


def test_first_reply_minutes_agree_after_their_four_decimal_rounding_only(script):
    def frt(their, our):
        results, _ = script.compare([theirs(1, frt=their)], [ours(1, frt=our)])
        return results[0].differences

    assert frt(10.0, 10.00004) == {}  # rounds to 10.0000
    assert frt(10.0, 10.0001) == {"support-kpis higher": ["1"]}
    assert frt(10.0, 9.9999) == {"support-kpis lower": ["1"]}
    assert frt(None, None) == {}
    assert frt(None, 3.0) == {"null in dbt_zendesk only": ["1"]}


def test_final_resolution_counts_minute_boundaries_like_dbt_datediff(script):
    def final(their, created, resolved):
        results, _ = script.compare(
            [theirs(1, final=their)], [ours(1, created=created, resolved=resolved, solves=1, status="solved")]
        )
        return by_name(results)["final resolution"].differences

    # 10:00:59 → 10:01:00 is one second but crosses one minute boundary: datediff('minute') = 1.
    assert final(1, "2026-03-02 10:00:59", "2026-03-02 10:01:00") == {}
    # 10:00:00 → 10:01:59 is 1.98 exact minutes, one boundary.
    assert final(1, "2026-03-02 10:00:00", "2026-03-02 10:01:59") == {}
    assert final(2, "2026-03-02 10:00:00", "2026-03-02 10:01:59") == {"support-kpis lower": ["1"]}


def test_first_reply_scope_is_the_requesters_first_public_comment_when_extracted(script):
    # The raw fact wins over our flag: ticket 1 is compared although ours says agent-initiated, ticket 2 is not.
    their_rows = [
        theirs(1, frt=5.0, is_requester_first_public=True),
        theirs(2, frt=5.0, is_requester_first_public="false"),
    ]
    our_rows = [ours(1, frt=5.0, agent_initiated=True), ours(2, frt=5.0)]
    results, _ = script.compare(their_rows, our_rows)
    assert by_name(results)["first reply time"].compared == 1


def test_counts_and_flags_are_exact_and_read_from_text(script):
    # A CSV gives every value as text: "False"/"true", "2", "" (null).
    their = {**theirs(1), "count_reopens": "1", "is_one_touch_resolution": "False", "count_public_agent_comments": ""}
    our = {**ours(1, replies=1, status="solved"), "reopen_count": "1", "is_agent_initiated": "false"}
    results, _ = script.compare([their], [our])
    r = by_name(results)
    assert r["reopens"].differing == 0
    assert r["public agent replies"].differences == {"null in dbt_zendesk only": ["1"]}
    assert r["one-touch resolution"].differences == {"dbt_zendesk False, support-kpis True": ["1"]}


def test_report_lists_at_most_five_examples(script):
    their_rows = [theirs(i, reopens=0) for i in range(1, 9)]
    our_rows = [ours(i, reopens=1) for i in range(1, 9)]
    results, presence = script.compare(their_rows, our_rows)
    report = script.format_report(results, presence)
    assert "reopens — support-kpis higher: 8 (e.g. 1, 2, 3, 4, 5)" in report
    assert "only in dbt_zendesk: 0" in report
    markdown = script.format_markdown(results, presence)
    assert "| reopens | 8 | 0 | 8 |" in markdown
    assert "| reopens | support-kpis higher | 8 | 1, 2, 3, 4, 5 |" in markdown


def test_run_timed_measures_that_childs_peak_memory(script, tmp_path):
    # A child that holds 200 MiB: its own peak RSS is at least that, whatever ran before.
    run = script.run_timed(
        [sys.executable, "-c", "block = bytearray(200 * 1024 * 1024); print('held')"], tmp_path, os.environ
    )
    assert run.returncode == 0
    assert run.output.strip() == "held"
    assert run.peak_rss_mib >= 200
    assert len(run.load_average.split()) == 3


def test_read_rows_from_csv_and_duckdb(script, tmp_path):
    path = tmp_path / "fct_tickets.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(OURS[0]))
        writer.writeheader()
        writer.writerows(OURS)
    assert [row["ticket_id"] for row in script.read_rows(path)] == ["1", "2", "3", "4", "6", "7"]

    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema marts")
        con.execute(f"create table marts.fct_tickets as select * from read_csv('{path}', header = true)")
    rows = script.read_rows(database)
    assert len(rows) == 6
    results, presence = script.compare(THEIRS, rows)
    assert presence["only in support-kpis"] == {"not in zendesk__ticket_metrics": ["6"]}
    assert by_name(results)["final resolution"].differences == {
        "null in support-kpis only — reopened and not re-solved at the as-of": ["4"]
    }


def test_scratch_project_must_be_outside_the_repository(script):
    with pytest.raises(SystemExit, match="inside the repository"):
        script._outside_repo(SCRIPT.parent / "scratch")


def test_command_line_compares_an_earlier_run_with_our_csv(script, tmp_path, capsys):
    def write(path, rows):
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(dict.fromkeys(k for row in rows for k in row)))
            writer.writeheader()
            writer.writerows(rows)

    write(tmp_path / "theirs.csv", THEIRS)
    write(tmp_path / "fct_tickets.csv", OURS)
    assert (
        script.main(
            [
                "--their-metrics",
                str(tmp_path / "theirs.csv"),
                "--our-fct-tickets",
                str(tmp_path / "fct_tickets.csv"),
                "--output",
                str(tmp_path / "comparison.md"),
            ]
        )
        == 0
    )
    markdown = (tmp_path / "comparison.md").read_text()
    # Ticket 1-4 and 7 are in both; 3 is agent-initiated, so 4 first replies are compared, all agreeing.
    assert "| first reply time, calendar minutes (customer-initiated) | 4 | 4 | 0 |" in markdown
    assert "| only in dbt_zendesk (_fivetran_deleted: 1 (e.g. 5)) | 1 | | |" in markdown
    report = capsys.readouterr().out
    assert "only in dbt_zendesk: 1\n  _fivetran_deleted: 1 (e.g. 5)" in report
    assert (
        "final resolution, calendar minutes — null in support-kpis only — reopened and not re-solved at the as-of:"
        " 1 (e.g. 4)"
    ) in report


def test_load_keeps_types_and_the_reserved_default_column(script, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "ticket.csv").write_text(
        "id,created_at,status,_fivetran_synced\n1,2026-01-02T03:04:05,open,2026-02-01T00:00:00\n"
    )
    (data / "ticket_comment.csv").write_text("id,ticket_id,created,public\n7,1,2026-01-02T03:04:05,true\n")
    (data / "ticket_field_history.csv").write_text(
        "field_name,ticket_id,updated,value\nstatus,1,2026-01-02T03:04:05,open\n"
    )
    (data / "user.csv").write_text("id,role\n5,agent\n")
    (data / "brand.csv").write_text("id,name,default\n9,Acme,true\n")
    database = tmp_path / "warehouse.duckdb"
    assert script.load_csvs(data, database) == {
        "brand": 1,
        "ticket": 1,
        "ticket_comment": 1,
        "ticket_field_history": 1,
        "user": 1,
    }
    with duckdb.connect(str(database)) as con:
        assert con.execute('select "default", id from zendesk.brand').fetchone() == (True, 9)
        assert str(con.execute("select typeof(created_at) from zendesk.ticket").fetchone()[0]) == "TIMESTAMP"
    assert script.as_of_of(database) == "2026-02-01 00:00:00"


def test_load_refuses_a_folder_without_a_table_dbt_zendesk_needs(script, tmp_path):
    (tmp_path / "ticket.csv").write_text("id\n1\n")
    with pytest.raises(SystemExit, match=re.escape("no ticket_comment.csv, ticket_field_history.csv, user.csv")):
        script.load_csvs(tmp_path, tmp_path / "warehouse.duckdb")


def test_exact_resolution_gap_is_what_the_minute_boundary_count_hides(script):
    # Ticket 1: 120.5 exact minutes vs their 120 → 0.5; ticket 2: 61 vs 61 → 0; 4 has no final resolution of ours.
    assert script.exact_resolution_gap(THEIRS, OURS) == (2, 0.5)


def test_live_tickets_dbt_zendesk_drops_are_listed_with_the_join_that_dropped_them(script, tmp_path):
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema zendesk")
        con.execute('create table zendesk."user" as select * from (values (10), (11)) v(id)')
        con.execute(
            "create table zendesk.ticket as select * from (values"
            " (1, 10, 10, 'open', false),"  # in their metrics
            " (2, 99, 10, 'open', false),"  # requester 99 has no user row
            " (3, 10, 98, 'solved', false),"  # submitter 98 has no user row
            " (4, 99, 10, 'deleted', false),"  # deleted: not a live ticket
            " (5, 99, 10, 'open', true)"  # _fivetran_deleted: not a live ticket
            ") v(id, requester_id, submitter_id, status, _fivetran_deleted)"
        )
        con.execute("create table main.zendesk__ticket_metrics as select 1 as ticket_id")
        missing = script.missing_tickets(con, "main.zendesk__ticket_metrics")
    assert missing == {
        "2": "requester has no user row (zendesk__ticket_enriched.sql l.153 inner join)",
        "3": "submitter has no user row (zendesk__ticket_enriched.sql l.169 inner join)",
    }
    their_rows = [theirs(1), *({"ticket_id": key, "missing_reason": why} for key, why in missing.items())]
    _, presence = script.compare(their_rows, [ours(1), ours(2), ours(3)])
    assert presence["only in support-kpis"] == {
        "requester has no user row (zendesk__ticket_enriched.sql l.153 inner join)": ["2"],
        "submitter has no user row (zendesk__ticket_enriched.sql l.169 inner join)": ["3"],
    }
    assert presence["only in dbt_zendesk"] == {}


def test_business_minutes_differences_name_every_cause_that_applies(script):
    both = theirs(1, frt_b=0.0, frt_in_dst_week="true", frt_reply_on_spine_start="true")
    unexplained = theirs(2, frt_b=0.0)
    results, _ = script.compare([both, unexplained], [ours(1, frt_b=90.0), ours(2, frt_b=3.0)])
    assert by_name(results)["first reply time, business"].differences == {
        f"support-kpis higher — {DST} + first reply on the Sunday (UTC) a dbt_zendesk schedule-spine version starts": [
            "1"
        ],
        "support-kpis higher": ["2"],
    }
