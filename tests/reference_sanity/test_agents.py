"""The reference's agent KPIs: replies, active agents, utilization, engagement, worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from reference import compute_kpi_values
from tests.reference_sanity.builders import (
    agent_reply,
    bot_message,
    customer_message,
    find,
    internal_note,
    parts,
    status_change,
    ticket,
    write_folder,
    write_table,
)


def test_agent_replies_and_active_agents_by_the_replying_agent(tmp_path: Path) -> None:
    # T1 (chat, assigned to a9): public replies by a1 and a2 on 03-02, a1 on 03-03; an internal note (a3)
    # and a bot message are no agent replies. T2 (email, a1): a1 and an agent reply without actor_id on 03-02.
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T08:00:00", channel="chat", assignee_id="a9"),
         ticket("T2", "2026-03-02T08:00:00", channel="email", assignee_id="a1")],
        [
            agent_reply("T1", "2026-03-02T09:00:00", actor_id="a1"),
            agent_reply("T1", "2026-03-02T10:00:00", actor_id="a2"),
            internal_note("T1", "2026-03-02T10:30:00", actor_id="a3"),
            bot_message("T1", "2026-03-02T10:40:00"),
            agent_reply("T1", "2026-03-03T09:00:00", actor_id="a1"),
            agent_reply("T2", "2026-03-02T09:00:00", actor_id="a1"),
            agent_reply("T2", "2026-03-02T09:30:00", actor_id=""),
        ],
    )  # fmt: skip
    rows = compute_kpi_values(folder)
    # 03-02: 4 replies (a1, a2, a1, unknown) by 2 identified agents (a1, a2).
    assert parts(find(rows, "agent_replies", "day", "2026-03-02")) == (4.0, None, None, 4)
    assert parts(find(rows, "active_agents", "day", "2026-03-02")) == (2.0, None, None, 2)
    # By agent = the replier, not the assignee: a1 2 replies, a2 1, unknown 1 (but no active agent), a9 none.
    assert find(rows, "agent_replies", "day", "2026-03-02", "agent", "a1").value == 2.0
    assert find(rows, "active_agents", "day", "2026-03-02", "agent", "a1").value == 1.0
    assert find(rows, "agent_replies", "day", "2026-03-02", "agent", "unknown").value == 1.0
    assert find(rows, "active_agents", "day", "2026-03-02", "agent", "unknown") is None
    assert find(rows, "agent_replies", "day", "2026-03-02", "agent", "a9") is None
    # Other dimensions from the ticket: chat 2 replies by 2 agents; email 2 replies by 1 agent (a1).
    assert find(rows, "active_agents", "day", "2026-03-02", "channel", "chat").value == 2.0
    assert parts(find(rows, "active_agents", "day", "2026-03-02", "channel", "email")) == (1.0, None, None, 1)
    # Week: 5 replies, still 2 distinct agents.
    assert find(rows, "agent_replies", "week", "2026-03-02").value == 5.0
    assert find(rows, "active_agents", "week", "2026-03-02").value == 2.0


def utilization_folder(folder: Path) -> Path:
    # a1 (team billing): reply 03-02 09:00 (600 s), internal note 10:00 (300 s), a status change
    # 23:30 UTC (60 s; 00:30 on 03-03 in Berlin), a reply on 03-04 (100 s, a day with 0 logged-in seconds)
    # and one on 03-05 (no activity row). a2 (not in agents.csv): reply 03-02 11:00 (900 s).
    # A customer message with handle time is not the agent's.
    write_folder(
        folder,
        [ticket("T1", "2026-03-02T08:00:00")],
        [
            customer_message("T1", "2026-03-02T08:00:00", handle_seconds="999"),
            agent_reply("T1", "2026-03-02T09:00:00", actor_id="a1", handle_seconds="600"),
            internal_note("T1", "2026-03-02T10:00:00", actor_id="a1", handle_seconds="300"),
            agent_reply("T1", "2026-03-02T11:00:00", actor_id="a2", handle_seconds="900"),
            status_change("T1", "2026-03-02T23:30:00", "pending", actor_id="a1", handle_seconds="60"),
            agent_reply("T1", "2026-03-04T09:00:00", actor_id="a1", handle_seconds="100"),
            agent_reply("T1", "2026-03-05T09:00:00", actor_id="a1", handle_seconds="100"),
        ],
    )
    write_table(folder, "agents", [{"agent_id": "a1", "name": "Ann", "team": "billing"}])
    write_table(
        folder,
        "agent_activity",
        [
            {
                "agent_id": "a1",
                "activity_date": "2026-03-02",
                "scheduled_seconds": "28800",
                "logged_in_seconds": "3600",
            },
            {
                "agent_id": "a1",
                "activity_date": "2026-03-03",
                "scheduled_seconds": "28800",
                "logged_in_seconds": "7200",
            },
            {"agent_id": "a1", "activity_date": "2026-03-04", "scheduled_seconds": "28800", "logged_in_seconds": "0"},
            {
                "agent_id": "a2",
                "activity_date": "2026-03-02",
                "scheduled_seconds": "28800",
                "logged_in_seconds": "1800",
            },
            {
                "agent_id": "a2",
                "activity_date": "2026-03-09",
                "scheduled_seconds": "28800",
                "logged_in_seconds": "1800",
            },
        ],
    )
    return folder


def test_utilization_per_agent_day(tmp_path: Path) -> None:
    rows = compute_kpi_values(utilization_folder(tmp_path))  # as-of = the last event, 03-05 09:00
    # a1 on 03-02: (600 + 300 + 60) / 3600 = 26.67 %.
    assert parts(find(rows, "agent_utilization_pct", "day", "2026-03-02", "agent", "a1")) == (
        pytest.approx(960 / 3600 * 100), 960.0, 3600.0, 1
    )  # fmt: skip
    # a1 on 03-03: nothing handled -> 0 / 7200 = 0 %, a row. 03-04 has no logged-in time: no row.
    assert parts(find(rows, "agent_utilization_pct", "day", "2026-03-03", "agent", "a1")) == (0.0, 0.0, 7200.0, 1)
    assert find(rows, "agent_utilization_pct", "day", "2026-03-04") is None
    # All agents on 03-02: (960 + 900) / (3600 + 1800) over 2 agent-days.
    assert parts(find(rows, "agent_utilization_pct", "day", "2026-03-02")) == (
        pytest.approx(1860 / 5400 * 100), 1860.0, 5400.0, 2
    )  # fmt: skip
    # Team: a1 is billing; a2 is not in agents.csv -> unknown. The week sums the parts:
    # billing 960 / (3600 + 7200); all 1860 / 12600 over 3 agent-days (a2's 03-09 is after the as-of).
    assert find(rows, "agent_utilization_pct", "week", "2026-03-02", "team", "billing").value == pytest.approx(
        960 / 10800 * 100
    )
    assert find(rows, "agent_utilization_pct", "day", "2026-03-02", "team", "unknown").value == pytest.approx(50.0)
    assert parts(find(rows, "agent_utilization_pct", "week", "2026-03-02")) == (
        pytest.approx(1860 / 12600 * 100), 1860.0, 12600.0, 3
    )  # fmt: skip
    assert find(rows, "agent_utilization_pct", "day", "2026-03-09") is None


def test_utilization_takes_the_event_day_in_the_reporting_zone(tmp_path: Path) -> None:
    # In Berlin the 23:30 UTC status change falls on 03-03: a1 03-02 = 900 / 3600, 03-03 = 60 / 7200.
    rows = compute_kpi_values(utilization_folder(tmp_path), reporting_timezone="Europe/Berlin")
    assert find(rows, "agent_utilization_pct", "day", "2026-03-02", "agent", "a1").value == pytest.approx(25.0)
    assert find(rows, "agent_utilization_pct", "day", "2026-03-03", "agent", "a1").value == pytest.approx(
        60 / 7200 * 100
    )


def test_engagement_and_employee_nps(tmp_path: Path) -> None:
    write_folder(tmp_path, [ticket("T1", "2026-03-02T23:00:00")], [])
    write_table(tmp_path, "agents", [{"agent_id": "a1", "team": "t1"}, {"agent_id": "a2", "team": "t1"}])
    write_table(
        tmp_path,
        "engagement_surveys",
        [
            {"response_id": "G1", "agent_id": "a1", "responded_at": "2026-03-02T09:00:00", "score": "9"},
            {"response_id": "G2", "agent_id": "a1", "responded_at": "2026-03-02T09:00:00", "score": "6"},
            {"response_id": "G3", "agent_id": "a2", "responded_at": "2026-03-02T09:00:00", "score": "7"},
            {"response_id": "G4", "agent_id": "a3", "responded_at": "2026-03-02T09:00:00", "score": "10"},
            {"response_id": "G5", "agent_id": "a3", "responded_at": "2026-03-03T09:00:00", "score": "0"},
        ],
    )
    rows = compute_kpi_values(tmp_path)  # as-of 03-02 23:00: G5 does not exist
    # Mean (9 + 6 + 7 + 10) / 4 = 8; eNPS promoters 9, 10 and detractor 6 -> 100 x (2 - 1) / 4 = 25.
    assert parts(find(rows, "employee_engagement_avg", "day", "2026-03-02")) == (8.0, 32.0, 4.0, 4)
    assert parts(find(rows, "employee_nps", "day", "2026-03-02")) == (25.0, 100.0, 4.0, 4)
    # Team t1 (a1, a2): (9 + 6 + 7) / 3; eNPS (1 - 1) / 3 = 0. a3 is in no team -> unknown.
    assert find(rows, "employee_engagement_avg", "day", "2026-03-02", "team", "t1").value == pytest.approx(22 / 3)
    assert parts(find(rows, "employee_nps", "day", "2026-03-02", "team", "t1")) == (0.0, 0.0, 3.0, 3)
    assert parts(find(rows, "employee_nps", "day", "2026-03-02", "team", "unknown")) == (100.0, 100.0, 1.0, 1)
    assert find(rows, "employee_engagement_avg", "day", "2026-03-02", "agent", "a1").value == 7.5
    assert find(rows, "employee_nps", "day", "2026-03-03") is None
