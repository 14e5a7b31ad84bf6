"""The KPI reference implementation (tests/reference) on tiny folders whose answers are worked out by hand."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from reference import KpiRow, compute_kpi_values
from reference.business_clock import BusinessClock
from reference.sla import ticket_sla_measures
from reference.stats import median, percentile_cont
from reference_business import OpeningRow, Schedule, business_seconds

TICKET_HEADER = (
    "ticket_id",
    "created_at",
    "updated_at",
    "customer_id",
    "channel",
    "priority",
    "category",
    "product",
    "status",
    "assignee_id",
    "team",
    "subject",
    "schedule_id",
)
EVENT_HEADER = (
    "event_id",
    "ticket_id",
    "occurred_at",
    "event_type",
    "actor_type",
    "actor_id",
    "is_public",
    "new_status",
    "handle_seconds",
)

Row = dict[str, str]


def ticket(ticket_id: str, created_at: str, status: str = "open", channel: str = "email", **other: str) -> Row:
    return {"ticket_id": ticket_id, "created_at": created_at, "status": status, "channel": channel, **other}


def customer_message(ticket_id: str, at: str, **other: str) -> Row:
    return {"ticket_id": ticket_id, "occurred_at": at, "event_type": "message", "actor_type": "customer",
            "is_public": "true", **other}  # fmt: skip


def agent_reply(ticket_id: str, at: str, **other: str) -> Row:
    return {"ticket_id": ticket_id, "occurred_at": at, "event_type": "message", "actor_type": "agent",
            "actor_id": "a1", "is_public": "true", **other}  # fmt: skip


def internal_note(ticket_id: str, at: str, **other: str) -> Row:
    return agent_reply(ticket_id, at, **{"is_public": "false", **other})


def bot_message(ticket_id: str, at: str) -> Row:
    return {"ticket_id": ticket_id, "occurred_at": at, "event_type": "message", "actor_type": "bot",
            "is_public": "true"}  # fmt: skip


def status_change(ticket_id: str, at: str, new_status: str, **other: str) -> Row:
    return {"ticket_id": ticket_id, "occurred_at": at, "event_type": "status_change", "actor_type": "agent",
            "new_status": new_status, **other}  # fmt: skip


def escalation(ticket_id: str, at: str) -> Row:
    return {"ticket_id": ticket_id, "occurred_at": at, "event_type": "escalation", "actor_type": "system"}


def write_csv(path: Path, header: tuple[str, ...], rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def write_folder(folder: Path, tickets: list[Row], events: list[Row], customers: list[Row] | None = None) -> Path:
    """Events are numbered e1, e2, ... in list (= file) order unless they carry an event_id."""
    numbered = [{"event_id": f"e{i}", **event} for i, event in enumerate(events, start=1)]
    write_csv(folder / "tickets.csv", TICKET_HEADER, tickets)
    write_csv(folder / "ticket_events.csv", EVENT_HEADER, numbered)
    if customers is not None:
        write_csv(folder / "customers.csv", ("customer_id", "segment", "region"), customers)
    return folder


def find(rows: list[KpiRow], kpi_id: str, grain: str, period: str, dimension: str = "all", value: str = "all"):
    matches = [
        r
        for r in rows
        if (r.kpi_id, r.grain, r.period_start, r.dimension, r.dimension_value)
        == (kpi_id, grain, date.fromisoformat(period), dimension, value)
    ]
    assert len(matches) <= 1, "the key of kpi_values must be unique"
    return matches[0] if matches else None


def series(rows: list[KpiRow], kpi_id: str, grain: str, dimension: str = "all", value: str = "all") -> dict[str, float]:
    """{period_start: value} of one KPI, grain and segment."""
    return {
        r.period_start.isoformat(): r.value
        for r in rows
        if (r.kpi_id, r.grain, r.dimension, r.dimension_value) == (kpi_id, grain, dimension, value)
    }


# --- stats -------------------------------------------------------------------------------------


def test_percentile_cont_on_one_two_and_five_values() -> None:
    # One value: every percentile is that value.
    assert median([7.0]) == 7.0
    assert percentile_cont([7.0], 0.9) == 7.0
    # Two values 1, 3: median at position 0.5*(2-1)=0.5 -> 1 + 0.5*(3-1) = 2; p90 at 0.9 -> 1 + 0.9*2 = 2.8.
    assert median([3.0, 1.0]) == 2.0
    assert percentile_cont([3.0, 1.0], 0.9) == pytest.approx(2.8)
    # Five values 1,2,3,4,10 (given unsorted): median at position 2 -> 3;
    # p90 at position 0.9*4 = 3.6 -> 4 + 0.6*(10-4) = 7.6.
    assert median([10.0, 2.0, 4.0, 1.0, 3.0]) == 3.0
    assert percentile_cont([10.0, 2.0, 4.0, 1.0, 3.0], 0.9) == pytest.approx(7.6)


# --- response times ----------------------------------------------------------------------------


def test_customer_message_and_agent_reply_at_the_same_second_wait_zero(tmp_path: Path) -> None:
    # The reply comes first in the file, but on equal timestamps a customer message sorts first,
    # so the ticket is customer-initiated and both waits are 09:00 - 09:00 = 0.
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T09:00:00")],
        [agent_reply("T1", "2026-03-02T09:00:00"), customer_message("T1", "2026-03-02T09:00:00")],
    )
    rows = compute_kpi_values(folder)
    for kpi_id in ("first_response_time_median_minutes", "first_response_time_p90_minutes"):
        assert find(rows, kpi_id, "day", "2026-03-02") == KpiRow(
            kpi_id, "day", date(2026, 3, 2), "all", "all", 0.0, None, None, 1
        )
    assert find(rows, "first_response_time_avg_minutes", "day", "2026-03-02") == KpiRow(
        "first_response_time_avg_minutes", "day", date(2026, 3, 2), "all", "all", 0.0, 0.0, 1.0, 1
    )
    assert find(rows, "average_response_time_minutes", "day", "2026-03-02") == KpiRow(
        "average_response_time_minutes", "day", date(2026, 3, 2), "all", "all", 0.0, 0.0, 1.0, 1
    )


def test_events_out_of_file_order_make_reply_cycles(tmp_path: Path) -> None:
    # T1 (created 10:00) in time order: customer 10:00, customer 10:10 (same open cycle), agent 10:30
    # -> cycle 30 min; customer 11:00, agent 11:15 -> cycle 15 min; agent 11:20 (no open cycle);
    # customer 12:00 never answered -> left out. First response 10:30 - 10:00 = 30 min.
    # T2 (created 23:50): customer 23:50, agent 00:20 next day -> cycle 30 min attributed to 03-03
    # (the reply), first response 30 min attributed to 03-02 (created_at).
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T10:00:00"), ticket("T2", "2026-03-02T23:50:00")],
        [
            agent_reply("T1", "2026-03-02T11:15:00"),
            customer_message("T1", "2026-03-02T12:00:00"),
            agent_reply("T2", "2026-03-03T00:20:00"),
            customer_message("T1", "2026-03-02T11:00:00"),
            agent_reply("T1", "2026-03-02T11:20:00"),
            customer_message("T1", "2026-03-02T10:10:00"),
            agent_reply("T1", "2026-03-02T10:30:00"),
            customer_message("T2", "2026-03-02T23:50:00"),
            customer_message("T1", "2026-03-02T10:00:00"),
        ],
    )
    rows = compute_kpi_values(folder)
    # Day 03-02: cycles (30 + 15) / 2 = 22.5 min; day 03-03: T2's 30 min.
    day2 = find(rows, "average_response_time_minutes", "day", "2026-03-02")
    assert (day2.value, day2.numerator, day2.denominator, day2.sample_size) == (22.5, 45.0, 2.0, 2)
    assert find(rows, "average_response_time_minutes", "day", "2026-03-03").value == 30.0
    # Week of Monday 03-02: (30 + 15 + 30) / 3 = 25.
    week = find(rows, "average_response_time_minutes", "week", "2026-03-02")
    assert (week.value, week.numerator, week.sample_size) == (25.0, 75.0, 3)
    # First response, both attributed to 03-02: [30, 30] -> median 30, 2 tickets.
    frt = find(rows, "first_response_time_median_minutes", "day", "2026-03-02")
    assert (frt.value, frt.sample_size) == (30.0, 2)
    assert find(rows, "first_response_time_median_minutes", "day", "2026-03-03") is None


def test_internal_notes_and_bot_messages_are_no_response(tmp_path: Path) -> None:
    # Only a customer message, an internal note and a public bot message: no first response, no cycle.
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T09:00:00")],
        [
            customer_message("T1", "2026-03-02T09:00:00"),
            internal_note("T1", "2026-03-02T09:05:00", is_public="no"),
            bot_message("T1", "2026-03-02T09:10:00"),
        ],
    )
    rows = compute_kpi_values(folder)
    assert [r for r in rows if r.kpi_id.startswith(("first_response", "average_response"))] == []
    assert find(rows, "tickets_created", "day", "2026-03-02").value == 1.0


def test_agent_initiated_ticket_is_left_out_of_response_times(tmp_path: Path) -> None:
    # T1: the agent writes first (09:00), the customer answers 09:30, the agent 10:00 -> outbound, excluded
    # (else it would add a 0 min first response and a 30 min cycle).
    # T2: an internal note and a bot message precede the customer's 09:00 message; they don't decide,
    # so T2 is customer-initiated: first response 09:20 - 09:00 = 20 min, one 20 min cycle.
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T09:00:00"), ticket("T2", "2026-03-02T09:00:00")],
        [
            agent_reply("T1", "2026-03-02T09:00:00"),
            customer_message("T1", "2026-03-02T09:30:00"),
            agent_reply("T1", "2026-03-02T10:00:00"),
            internal_note("T2", "2026-03-02T08:59:00"),
            bot_message("T2", "2026-03-02T08:59:30"),
            customer_message("T2", "2026-03-02T09:00:00"),
            agent_reply("T2", "2026-03-02T09:20:00"),
        ],
    )
    rows = compute_kpi_values(folder)
    frt = find(rows, "first_response_time_avg_minutes", "day", "2026-03-02")
    assert (frt.value, frt.sample_size) == (20.0, 1)
    art = find(rows, "average_response_time_minutes", "day", "2026-03-02")
    assert (art.value, art.sample_size) == (20.0, 1)
    assert find(rows, "tickets_created", "day", "2026-03-02").value == 2.0


def test_reply_before_created_at_is_no_first_response(tmp_path: Path) -> None:
    # Customer 08:50, agent 08:55, ticket created 09:00, agent 09:10. Customer-initiated (customer first);
    # first response is the first reply at or after created_at: 09:10 - 09:00 = 10 min;
    # the reply cycle is 08:50 -> 08:55 = 5 min (cycles don't look at created_at).
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T09:00:00")],
        [
            customer_message("T1", "2026-03-02T08:50:00"),
            agent_reply("T1", "2026-03-02T08:55:00"),
            agent_reply("T1", "2026-03-02T09:10:00"),
        ],
    )
    rows = compute_kpi_values(folder)
    assert find(rows, "first_response_time_median_minutes", "day", "2026-03-02").value == 10.0
    assert find(rows, "average_response_time_minutes", "day", "2026-03-02").value == 5.0


def test_never_answered_ticket(tmp_path: Path) -> None:
    # One customer message, no reply, no status change: created, open in the backlog, no response time.
    # resolved_within_target_pct: created at the as-of time (09:00), 0 h < 24 h and unresolved -> left out.
    folder = write_folder(
        tmp_path, [ticket("T1", "2026-03-02T09:00:00")], [customer_message("T1", "2026-03-02T09:00:00")]
    )
    rows = compute_kpi_values(folder)
    produced = {r.kpi_id for r in rows if r.dimension == "all"}
    assert produced == {"tickets_created", "backlog_open_tickets", "escalation_rate_pct"}
    assert find(rows, "backlog_open_tickets", "day", "2026-03-02").value == 1.0
    assert find(rows, "escalation_rate_pct", "day", "2026-03-02").value == 0.0


# --- resolution, reopen, first contact ---------------------------------------------------------


def test_solve_reopen_solve(tmp_path: Path) -> None:
    # T1 (email): created 03-02 08:00, reply 09:00 (300 s), solved 10:00, customer 03-03 08:00 and reopened
    # (open) at the same second, internal note 09:30 (200 s), solved 03-03 12:00; current status solved.
    # T2 (chat): created 03-02 09:00, reply 09:30, solved 11:00, no handle time.
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T08:00:00", "solved"), ticket("T2", "2026-03-02T09:00:00", "solved", "chat")],
        [
            customer_message("T1", "2026-03-02T08:00:00"),
            agent_reply("T1", "2026-03-02T09:00:00", handle_seconds="300"),
            status_change("T1", "2026-03-02T10:00:00", "solved"),
            status_change("T1", "2026-03-03T08:00:00", "open"),
            customer_message("T1", "2026-03-03T08:00:00"),
            internal_note("T1", "2026-03-03T09:30:00", handle_seconds="200"),
            status_change("T1", "2026-03-03T12:00:00", "solved"),
            customer_message("T2", "2026-03-02T09:00:00"),
            agent_reply("T2", "2026-03-02T09:30:00"),
            status_change("T2", "2026-03-02T11:00:00", "solved"),
        ],
    )
    rows = compute_kpi_values(folder)
    # First resolved: T1 03-02 10:00 (2 h), T2 03-02 11:00 (2 h). The second solve of T1 is no first one.
    assert series(rows, "tickets_solved", "day") == {"2026-03-02": 2.0}
    assert find(rows, "resolution_time_median_hours", "day", "2026-03-02").value == 2.0
    avg = find(rows, "resolution_time_avg_hours", "day", "2026-03-02")
    assert (avg.value, avg.numerator, avg.denominator) == (2.0, 4.0, 2.0)
    # Last resolved: T1 03-03 12:00 -> 28 h (attributed to 03-03), T2 11:00 -> 2 h; week of 03-02: median(2, 28) = 15.
    assert series(rows, "full_resolution_time_median_hours", "day") == {"2026-03-02": 2.0, "2026-03-03": 28.0}
    assert find(rows, "full_resolution_time_median_hours", "week", "2026-03-02").value == 15.0
    # Reopen rate: T1 reopened -> 1 / 2 = 50 %; by channel email 1/1, chat 0/1.
    reopen = find(rows, "reopen_rate_pct", "day", "2026-03-02")
    assert (reopen.value, reopen.numerator, reopen.denominator, reopen.sample_size) == (50.0, 1.0, 2.0, 2)
    assert find(rows, "reopen_rate_pct", "day", "2026-03-02", "channel", "email").value == 100.0
    assert find(rows, "reopen_rate_pct", "day", "2026-03-02", "channel", "chat").value == 0.0
    # FCR: both have exactly 1 public reply, but T1 was reopened -> only T2 -> 1 / 2 = 50 %.
    fcr = find(rows, "first_contact_resolution_pct", "day", "2026-03-02")
    assert (fcr.value, fcr.numerator, fcr.denominator) == (50.0, 1.0, 2.0)
    # Interaction CES: T1 and T2 have 1 reply each (easy) -> 0 - 2 = -2 over 2 tickets.
    ces = find(rows, "ces_interaction_net", "day", "2026-03-02")
    assert (ces.value, ces.numerator, ces.denominator, ces.sample_size) == (-2.0, None, None, 2)
    # Handle time over the whole history (after the first solve too): T1 300 + 200 = 500 s, T2 0 s;
    # mean = (500/60 + 0) / 2 = 4.1667 min, numerator 500/60 = 8.3333 min.
    aht = find(rows, "average_handle_time_minutes", "day", "2026-03-02")
    assert aht.value == pytest.approx(500 / 60 / 2)
    assert (aht.numerator, aht.denominator) == (pytest.approx(500 / 60), 2.0)


def test_solved_then_closed_is_one_solve(tmp_path: Path) -> None:
    # T1: pending 08:30, pending again 08:40 (same status: nothing), solved 09:00, closed 10:00; now closed.
    #     One solve at 09:00: resolution 1 h, last resolved also 09:00 (closing is no solve) -> 1 h, no reopen.
    # T2: solved 09:00, open 09:30 (reopen); now open -> no last resolved, so no full resolution time.
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T08:00:00", "closed"), ticket("T2", "2026-03-02T08:00:00", "open")],
        [
            status_change("T1", "2026-03-02T08:30:00", "pending"),
            status_change("T1", "2026-03-02T08:40:00", "pending"),
            status_change("T1", "2026-03-02T09:00:00", "solved"),
            status_change("T1", "2026-03-02T10:00:00", "closed"),
            status_change("T2", "2026-03-02T09:00:00", "solved"),
            status_change("T2", "2026-03-02T09:30:00", "open"),
        ],
    )
    rows = compute_kpi_values(folder)
    assert find(rows, "tickets_solved", "day", "2026-03-02").value == 2.0
    full = find(rows, "full_resolution_time_median_hours", "day", "2026-03-02")
    assert (full.value, full.sample_size) == (1.0, 1)
    reopen = find(rows, "reopen_rate_pct", "day", "2026-03-02")
    assert (reopen.numerator, reopen.denominator) == (1.0, 2.0)  # only T2
    # No public agent reply at all: neither ticket is in first-contact resolution.
    assert find(rows, "first_contact_resolution_pct", "day", "2026-03-02") is None
    # Backlog at the end of 03-02 (= the as-of 10:00, the latest event): T1 closed, T2 open -> 1.
    assert series(rows, "backlog_open_tickets", "day") == {"2026-03-02": 1.0}


def test_status_changes_at_the_same_second_follow_file_order(tmp_path: Path) -> None:
    # T1: "open" then "solved" at 09:00 (file order) -> new -> open -> solved: one solve.
    # T2: "solved" then "open" at 09:00 -> a solve then a reopen.
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T08:00:00", "solved"), ticket("T2", "2026-03-02T08:00:00", "open")],
        [
            status_change("T1", "2026-03-02T09:00:00", "open"),
            status_change("T1", "2026-03-02T09:00:00", "solved"),
            status_change("T2", "2026-03-02T09:00:00", "solved"),
            status_change("T2", "2026-03-02T09:00:00", "open"),
        ],
    )
    rows = compute_kpi_values(folder)
    reopen = find(rows, "reopen_rate_pct", "day", "2026-03-02")
    assert (reopen.numerator, reopen.denominator) == (1.0, 2.0)
    # At the as-of 09:00 T2's last change is "open": backlog 1.
    assert series(rows, "backlog_open_tickets", "day") == {"2026-03-02": 1.0}


def test_reply_counts_interaction_effort_and_first_contact(tmp_path: Path) -> None:
    # All first resolved on 03-02 at 12:00. Public agent replies (whole history, after the solve too):
    # T0: 0 (an internal note only) -> neutral, not in FCR;  T1: 1 -> easy, FCR yes;
    # T2: 1 before + 1 after the solve = 2 -> easy, FCR no;  T3: 3 -> neutral;  T4: 4 -> difficult;
    # T5: 5 replies but never solved -> nowhere.
    # ces_interaction_net = 1 difficult - 2 easy = -1 over 5 tickets; FCR = 1 / 4 = 25 %.
    tickets = [ticket(f"T{i}", "2026-03-02T08:00:00") for i in range(6)]
    events = [internal_note("T0", "2026-03-02T09:00:00")]
    for i, count in ((1, 1), (2, 1), (3, 3), (4, 4), (5, 5)):
        events += [agent_reply(f"T{i}", f"2026-03-02T09:0{k}:00") for k in range(count)]
    events += [status_change(f"T{i}", "2026-03-02T12:00:00", "solved") for i in range(5)]
    events.append(agent_reply("T2", "2026-03-02T13:00:00"))
    rows = compute_kpi_values(write_folder(tmp_path, tickets, events))
    ces = find(rows, "ces_interaction_net", "day", "2026-03-02")
    assert (ces.value, ces.sample_size) == (-1.0, 5)
    fcr = find(rows, "first_contact_resolution_pct", "day", "2026-03-02")
    assert (fcr.value, fcr.numerator, fcr.denominator, fcr.sample_size) == (25.0, 1.0, 4.0, 4)


def test_handle_time_and_escalations_up_to_as_of(tmp_path: Path) -> None:
    # as_of 03-02 12:00. T1: reply 120 s, solve (null handle), note after the solve 300 s, and an event
    # after the as-of time (1000 s, ignored) -> 420 s = 7 min. T2: phone call 60 s, escalated, solved -> 1 min.
    # T3: 600 s but unresolved -> not in AHT. AHT = (7 + 1) / 2 = 4 min. Escalation rate = 1 / 3 tickets.
    folder = write_folder(
        tmp_path,
        [ticket(f"T{i}", f"2026-03-02T{7 + i:02d}:00:00") for i in (1, 2, 3)],
        [
            customer_message("T1", "2026-03-02T08:00:00"),
            agent_reply("T1", "2026-03-02T08:10:00", handle_seconds="120"),
            status_change("T1", "2026-03-02T08:20:00", "solved"),
            internal_note("T1", "2026-03-02T09:00:00", handle_seconds="300"),
            internal_note("T1", "2026-03-02T13:00:00", handle_seconds="1000"),
            agent_reply("T2", "2026-03-02T09:00:00", handle_seconds="60"),
            escalation("T2", "2026-03-02T09:10:00"),
            status_change("T2", "2026-03-02T09:30:00", "solved"),
            internal_note("T3", "2026-03-02T10:30:00", handle_seconds="600"),
        ],
    )
    rows = compute_kpi_values(folder, as_of=datetime(2026, 3, 2, 12, 0))
    aht = find(rows, "average_handle_time_minutes", "day", "2026-03-02")
    assert (aht.value, aht.numerator, aht.denominator, aht.sample_size) == (4.0, 8.0, 2.0, 2)
    esc = find(rows, "escalation_rate_pct", "day", "2026-03-02")
    assert esc.value == pytest.approx(100 / 3)
    assert (esc.numerator, esc.denominator) == (1.0, 3.0)


# --- resolved within target --------------------------------------------------------------------


def resolution_target_folder(folder: Path) -> Path:
    # as_of 03-10 12:00 (a Tuesday; the week starts Monday 03-09).
    # T1 created 03-10 00:00, unresolved, 12 h old < 24 h -> left out.
    # T2 created 03-09 12:00, unresolved, exactly 24 h old (not less) -> counted, missed.
    # T3 created 03-10 06:00, solved 07:00 (1 h) -> hit.
    # T4 created 03-08 00:00, solved 03-09 00:00 (exactly 24 h, "within" is <=) -> hit.
    # T5 created 03-08 00:00, solved 03-09 00:00:01 (24 h + 1 s) -> missed.
    return write_folder(
        folder,
        [
            ticket("T1", "2026-03-10T00:00:00"),
            ticket("T2", "2026-03-09T12:00:00"),
            ticket("T3", "2026-03-10T06:00:00", "solved"),
            ticket("T4", "2026-03-08T00:00:00", "solved"),
            ticket("T5", "2026-03-08T00:00:00", "solved"),
        ],
        [
            status_change("T3", "2026-03-10T07:00:00", "solved"),
            status_change("T4", "2026-03-09T00:00:00", "solved"),
            status_change("T5", "2026-03-09T00:00:01", "solved"),
        ],
    )


def test_resolved_within_target_leaves_out_young_unresolved_tickets(tmp_path: Path) -> None:
    rows = compute_kpi_values(resolution_target_folder(tmp_path), as_of=datetime(2026, 3, 10, 12, 0))
    # Days: 03-10 T3 hit -> 1/1; 03-09 T2 missed -> 0/1; 03-08 T4 hit, T5 missed -> 1/2.
    assert series(rows, "resolved_within_target_pct", "day") == {
        "2026-03-08": 50.0,
        "2026-03-09": 0.0,
        "2026-03-10": 100.0,
    }
    zero = find(rows, "resolved_within_target_pct", "day", "2026-03-09")
    assert (zero.numerator, zero.denominator, zero.sample_size) == (0.0, 1.0, 1)
    # Weeks: 03-09 holds T2, T3 -> 1/2; 03-02 holds T4, T5 -> 1/2. Month: T3, T4 of T2..T5 -> 2/4.
    assert series(rows, "resolved_within_target_pct", "week") == {"2026-03-02": 50.0, "2026-03-09": 50.0}
    month = find(rows, "resolved_within_target_pct", "month", "2026-03-01")
    assert (month.value, month.numerator, month.denominator, month.sample_size) == (50.0, 2.0, 4.0, 4)


def test_resolved_within_target_takes_the_target_setting(tmp_path: Path) -> None:
    # Target 1 h: T1 (12 h old, unresolved) is now old enough and missed; T3 (1 h) is the only hit
    # (T4, T5 take 24 h, T2 is unresolved) -> month 1 / 5 = 20 %.
    rows = compute_kpi_values(
        resolution_target_folder(tmp_path), as_of=datetime(2026, 3, 10, 12, 0), resolution_target_hours=1.0
    )
    month = find(rows, "resolved_within_target_pct", "month", "2026-03-01")
    assert (month.value, month.numerator, month.denominator) == (20.0, 1.0, 5.0)


# --- backlog -----------------------------------------------------------------------------------


def test_backlog_at_day_week_and_month_ends_with_as_of_mid_period(tmp_path: Path) -> None:
    # as_of Wed 2026-02-04 12:00. ISO weeks start Mon 01-26 and Mon 02-02.
    # T1 (email) created Fri 01-30 10:00, solved Mon 02-02 09:00.
    # T2 (chat) created Sat 01-31 12:00, no status change (= open); its solve at 12:00:01 is after the as-of.
    # T3 (email) created Mon 02-02 10:00, solved at exactly 02-03 00:00:00 -> still open at the end of 02-02.
    # T4 (email) created 02-04 11:00, solved at the as-of instant -> counts as solved at the as-of.
    # T5 (email) created 02-04 13:00, after the as-of -> does not exist.
    # T6 (email) created Fri 01-30 09:00, solved 10:00, reopened Sun 02-01 10:00, never solved again.
    folder = write_folder(
        tmp_path,
        [
            ticket("T1", "2026-01-30T10:00:00", "solved"),
            ticket("T2", "2026-01-31T12:00:00", "open", "chat"),
            ticket("T3", "2026-02-02T10:00:00", "solved"),
            ticket("T4", "2026-02-04T11:00:00", "solved"),
            ticket("T5", "2026-02-04T13:00:00", "new"),
            ticket("T6", "2026-01-30T09:00:00", "open"),
        ],
        [
            status_change("T1", "2026-02-02T09:00:00", "solved"),
            status_change("T2", "2026-02-04T12:00:01", "solved"),
            status_change("T3", "2026-02-03T00:00:00", "solved"),
            status_change("T4", "2026-02-04T12:00:00", "solved"),
            status_change("T6", "2026-01-30T10:00:00", "solved"),
            status_change("T6", "2026-02-01T10:00:00", "open"),
        ],
    )
    rows = compute_kpi_values(folder, as_of=datetime(2026, 2, 4, 12, 0))
    # Day ends: 01-30 T1 (T6 solved) = 1 | 01-31 T1 T2 = 2 | 02-01 T1 T2 T6 = 3 | 02-02 T2 T3 T6 = 3
    #           02-03 T2 T6 = 2 | 02-04 (as-of 12:00) T2 T6 = 2 (T4 solved at the as-of, T5 not yet created).
    assert series(rows, "backlog_open_tickets", "day") == {
        "2026-01-30": 1.0,
        "2026-01-31": 2.0,
        "2026-02-01": 3.0,
        "2026-02-02": 3.0,
        "2026-02-03": 2.0,
        "2026-02-04": 2.0,
    }
    # Week ends: 02-02 00:00 -> T1 T2 T6 = 3; as-of -> T2 T6 = 2.
    assert series(rows, "backlog_open_tickets", "week") == {"2026-01-26": 3.0, "2026-02-02": 2.0}
    # Month ends: 02-01 00:00 -> T1 T2 (T6 solved until 02-01 10:00) = 2; as-of -> T2 T6 = 2.
    assert series(rows, "backlog_open_tickets", "month") == {"2026-01-01": 2.0, "2026-02-01": 2.0}
    # By channel on 02-02: chat T2 = 1, email T3 T6 = 2; the count is its own sample size.
    chat = find(rows, "backlog_open_tickets", "day", "2026-02-02", "channel", "chat")
    assert (chat.value, chat.numerator, chat.denominator, chat.sample_size) == (1.0, None, None, 1)
    assert find(rows, "backlog_open_tickets", "day", "2026-02-02", "channel", "email").value == 2.0
    # Nothing after the as-of: T5 is not created, no period starts after 02-04.
    assert series(rows, "tickets_created", "day")["2026-02-04"] == 1.0
    assert max(r.period_start for r in rows) == date(2026, 2, 4)


def test_backlog_has_no_row_for_an_empty_period_and_as_of_defaults_to_latest_fact(tmp_path: Path) -> None:
    # T1 created 03-02 09:00 and solved 10:00; T2 created 03-04 09:00 with a customer message at 11:00.
    # Default as-of = latest fact = 03-04 11:00; an orphan event (ticket T9 not in tickets.csv) on 03-09
    # is ignored and does not move it. Backlog: 03-02 0 (no row), 03-03 0 (no row), 03-04 1.
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T09:00:00", "solved"), ticket("T2", "2026-03-04T09:00:00")],
        [
            status_change("T1", "2026-03-02T10:00:00", "solved"),
            customer_message("T2", "2026-03-04T11:00:00"),
            customer_message("T9", "2026-03-09T11:00:00"),
        ],
    )
    rows = compute_kpi_values(folder)
    assert series(rows, "backlog_open_tickets", "day") == {"2026-03-04": 1.0}
    assert max(r.period_start for r in rows) == date(2026, 3, 4)


# --- reporting time zone -----------------------------------------------------------------------


def time_zone_folder(folder: Path) -> Path:
    # A: Sun 03-01 23:30 UTC, written with an offset as Mon 03-02 00:30+01:00 (Berlin is UTC+1 in March).
    # B: Sat 01-31 23:30 UTC = Sun 02-01 00:30 Berlin (another month).
    # C: Mon 03-02 12:00 UTC, no offset -> taken as UTC = 13:00 Berlin.
    return write_folder(
        folder,
        [
            ticket("A", "2026-03-02T00:30:00+01:00"),
            ticket("B", "2026-01-31T23:30:00Z"),
            ticket("C", "2026-03-02T12:00:00"),
        ],
        [],
    )


def test_periods_in_utc(tmp_path: Path) -> None:
    rows = compute_kpi_values(time_zone_folder(tmp_path))
    assert series(rows, "tickets_created", "day") == {"2026-01-31": 1.0, "2026-03-01": 1.0, "2026-03-02": 1.0}
    # Weeks: B in Mon 01-26; A (Sunday) in Mon 02-23; C in Mon 03-02.
    assert series(rows, "tickets_created", "week") == {"2026-01-26": 1.0, "2026-02-23": 1.0, "2026-03-02": 1.0}
    assert series(rows, "tickets_created", "month") == {"2026-01-01": 1.0, "2026-03-01": 2.0}


def test_periods_in_europe_berlin(tmp_path: Path) -> None:
    rows = compute_kpi_values(time_zone_folder(tmp_path), reporting_timezone="Europe/Berlin")
    # Local days: A 03-02, B 02-01, C 03-02.
    assert series(rows, "tickets_created", "day") == {"2026-02-01": 1.0, "2026-03-02": 2.0}
    # A crosses into the week of Mon 03-02; B (Sunday 02-01) stays in the week of Mon 01-26.
    assert series(rows, "tickets_created", "week") == {"2026-01-26": 1.0, "2026-03-02": 2.0}
    # B crosses into February.
    assert series(rows, "tickets_created", "month") == {"2026-02-01": 1.0, "2026-03-01": 2.0}


# --- input conventions -------------------------------------------------------------------------


def test_duplicate_ticket_rows_keep_the_latest_version(tmp_path: Path) -> None:
    # T1: updated 03-05 (email, billing) beats the later-read updated 03-04 (chat, bug).
    # T2: both updated_at null -> the last row read (web).
    # T3: a dated row (social) beats an undated one (other).
    # T4: an exact duplicate -> one ticket (chat).
    # T5: equal updated_at -> the last row read (messaging).
    created = "2026-03-02T09:00:00"
    folder = write_folder(
        tmp_path,
        [
            ticket("T1", created, channel="email", updated_at="2026-03-05T00:00:00", category="billing"),
            ticket("T1", created, channel="chat", updated_at="2026-03-04T00:00:00", category="bug"),
            ticket("T2", created, channel="phone"),
            ticket("T2", created, channel="web"),
            ticket("T3", created, channel="social", updated_at="2026-03-04T00:00:00"),
            ticket("T3", created, channel="other"),
            ticket("T4", created, channel="chat"),
            ticket("T4", created, channel="chat"),
            ticket("T5", created, channel="email", updated_at="2026-03-04T00:00:00"),
            ticket("T5", created, channel="messaging", updated_at="2026-03-04T00:00:00"),
        ],
        [],
    )
    rows = compute_kpi_values(folder)
    assert find(rows, "tickets_created", "day", "2026-03-02").value == 5.0
    by_channel = {r.dimension_value: r.value for r in rows if r.kpi_id == "tickets_created" and r.grain == "day"
                  and r.dimension == "channel"}  # fmt: skip
    assert by_channel == {"email": 1.0, "web": 1.0, "social": 1.0, "chat": 1.0, "messaging": 1.0}
    assert find(rows, "tickets_created", "day", "2026-03-02", "category", "billing").value == 1.0
    assert find(rows, "tickets_created", "day", "2026-03-02", "category", "bug") is None


def test_duplicate_event_rows_last_read_wins(tmp_path: Path) -> None:
    # e1 first says "solved" at 09:00, its later copy says "pending" at 09:00 -> never solved.
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T08:00:00")],
        [
            status_change("T1", "2026-03-02T09:00:00", "solved", event_id="e1"),
            status_change("T1", "2026-03-02T09:00:00", "pending", event_id="e1"),
        ],
    )
    rows = compute_kpi_values(folder)
    assert find(rows, "tickets_solved", "day", "2026-03-02") is None
    assert series(rows, "backlog_open_tickets", "day") == {"2026-03-02": 1.0}


def test_csv_conventions_and_dimensions(tmp_path: Path) -> None:
    # A BOM, enums with spaces and capitals, booleans as Yes/1, "NA" as a value, ids verbatim
    # ("007" is not "7"), a quoted subject with a comma and a newline, null priority -> normal,
    # null category -> uncategorized, other nulls -> unknown, a customer missing from customers.csv -> unknown.
    (tmp_path / "tickets.csv").write_text(
        "\ufeffticket_id,created_at,customer_id,channel,priority,category,product,status,assignee_id,team,subject\n"
        'T1,2026-03-02 09:00:00,007, Email ,HIGH,Billing,,Open,a1,NA,"Hi, ""there""\nsecond line"\n'
        "T2,2026-03-02T10:00:00Z,7,chat,,,app,SOLVED,,,\n"
        "T3,2026-03-02T11:00:00,999,chat,,,,new,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "ticket_events.csv").write_text(
        "event_id,ticket_id,occurred_at,event_type,actor_type,is_public,new_status\n"
        "e1,T1,2026-03-02T09:00:00, Message ,CUSTOMER,Yes,\n"
        "e2,T1,2026-03-02T09:06:00,message,Agent,1,\n"
        "e3,T2,2026-03-02T11:00:00,Status_Change,agent,, Solved \n",
        encoding="utf-8",
    )
    (tmp_path / "customers.csv").write_text(
        "customer_id,segment,region\n007,enterprise,EMEA\n7,smb,\n", encoding="utf-8"
    )
    rows = compute_kpi_values(tmp_path)

    def created_by(dimension: str) -> dict[str, float]:
        return {r.dimension_value: r.value for r in rows
                if (r.kpi_id, r.grain, r.dimension) == ("tickets_created", "day", dimension)}  # fmt: skip

    assert created_by("channel") == {"email": 1.0, "chat": 2.0}
    assert created_by("priority") == {"high": 1.0, "normal": 2.0}
    assert created_by("category") == {"Billing": 1.0, "uncategorized": 2.0}
    assert created_by("team") == {"NA": 1.0, "unknown": 2.0}
    assert created_by("agent") == {"a1": 1.0, "unknown": 2.0}
    assert created_by("product") == {"app": 1.0, "unknown": 2.0}
    assert created_by("segment") == {"enterprise": 1.0, "smb": 1.0, "unknown": 1.0}
    assert created_by("region") == {"EMEA": 1.0, "unknown": 2.0}
    # T1's reply (is_public "1") 6 min after its message; T2 solved 1 h after creation.
    assert find(rows, "first_response_time_median_minutes", "day", "2026-03-02").value == 6.0
    assert find(rows, "resolution_time_median_hours", "day", "2026-03-02").value == 1.0


def test_a_row_breaking_the_contract_is_named(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, [ticket("T1", "2026-03-02T09:00:00", channel="fax")], [])
    with pytest.raises(ValueError, match=r"tickets\.csv row 1 channel: unknown value 'fax'"):
        compute_kpi_values(folder)


# --- optional tables: helpers -----------------------------------------------------------------


def write_table(folder: Path, table: str, rows: list[Row], header: tuple[str, ...] = ()) -> None:
    """One optional table; the header is `header` or the keys of the rows in first-seen order."""
    columns = header or tuple(dict.fromkeys(key for row in rows for key in row))
    write_csv(folder / f"{table}.csv", columns, rows)


def kpis_of(rows: list[KpiRow]) -> set[str]:
    return {r.kpi_id for r in rows}


def parts(row: KpiRow | None) -> tuple[float | None, float | None, float | None, int] | None:
    """(value, numerator, denominator, sample_size) of a row, None when there is no row."""
    return None if row is None else (row.value, row.numerator, row.denominator, row.sample_size)


BEYOND_FLOW = {
    "csat_pct", "csat_avg_normalized", "nps", "ces_avg", "positive_reviews", "positive_review_share_pct",
    "avg_days_between_positive_reviews", "agent_replies", "active_agents", "agent_utilization_pct",
    "employee_engagement_avg", "employee_nps", "kb_articles_live", "kb_articles_published", "self_service_sessions",
    "self_service_resolution_pct", "deflection_rate_pct", "kb_helpfulness_pct", "bot_resolution_pct",
    "customer_churn_rate_pct", "customer_retention_rate_pct", "mrr", "mrr_growth_rate_pct", "arpa",
    "customer_lifetime_value", "support_cost", "cost_per_ticket", "support_cost_to_revenue_pct", "new_customers",
    "customer_acquisition_cost",
}  # fmt: skip
NEEDS_ONLY_TICKETS = {"agent_replies", "active_agents", "bot_resolution_pct"}


# --- surveys -----------------------------------------------------------------------------------


def survey_folder(folder: Path) -> Path:
    write_folder(
        folder,
        [ticket("T1", "2026-03-02T08:00:00", channel="chat", customer_id="C1", assignee_id="a1", team="t1")],
        [],
        [{"customer_id": "C1", "segment": "enterprise", "region": "emea"},
         {"customer_id": "C2", "segment": "smb", "region": "apac"}],
    )  # fmt: skip
    survey = ("response_id", "survey_type", "ticket_id", "customer_id", "responded_at", "score", "scale_min",
              "scale_max")  # fmt: skip
    write_table(
        folder,
        "surveys",
        [
            # CSAT on mixed scales.
            {"response_id": "S1", "survey_type": "csat", "ticket_id": "T1", "customer_id": "C1",
             "responded_at": "2026-03-02T10:00:00", "score": "4", "scale_min": "1", "scale_max": "5"},
            {"response_id": "S2", "survey_type": " CSAT ", "customer_id": "C2",
             "responded_at": "2026-03-02T11:00:00", "score": "8", "scale_min": "1", "scale_max": "10"},
            {"response_id": "S3", "survey_type": "csat", "ticket_id": "T1",
             "responded_at": "2026-03-02T12:00:00", "score": "7", "scale_min": "1", "scale_max": "10"},
            {"response_id": "S4", "survey_type": "csat", "responded_at": "2026-03-03T09:00:00", "score": "3"},
            {"response_id": "S5", "survey_type": "csat", "responded_at": "2026-03-31T00:00:00", "score": "5"},
            # NPS: only passives on 03-02; 10, 9, 6, 8 on 03-03.
            *({"response_id": f"N{i}", "survey_type": "nps", "responded_at": "2026-03-02T09:00:00", "score": s}
              for i, s in enumerate(("7", "8", "8"), start=1)),
            *({"response_id": f"N{i}", "survey_type": "nps", "responded_at": "2026-03-03T09:00:00", "score": s}
              for i, s in enumerate(("10", "9", "6", "8"), start=4)),
            # CES: 2 on the default 1-7, 5 on 1-5.
            {"response_id": "E1", "survey_type": "ces", "responded_at": "2026-03-02T09:00:00", "score": "2"},
            {"response_id": "E2", "survey_type": "ces", "ticket_id": "T1", "responded_at": "2026-03-02T09:00:00",
             "score": "5", "scale_min": "1", "scale_max": "5"},
        ],
        survey,
    )  # fmt: skip
    return folder


def test_csat_on_mixed_scales_with_ticket_and_customer_dimensions(tmp_path: Path) -> None:
    # as-of 03-20: S5 (03-31) does not exist yet.
    # Normalized: S1 (4-1)/4 = 0.75 satisfied; S2 (8-1)/9 = 0.778 satisfied; S3 (7-1)/9 = 0.667 not;
    # S4 (3-1)/(5-1) = 0.5 not (null scale = 1-5).
    rows = compute_kpi_values(survey_folder(tmp_path), as_of=datetime(2026, 3, 20))
    # Day 03-02 (S1, S2, S3): 2 / 3 satisfied.
    assert parts(find(rows, "csat_pct", "day", "2026-03-02")) == (pytest.approx(200 / 3), 2.0, 3.0, 3)
    # Mean normalized x 100: (75 + 700/9 + 600/9) / 3 = (1975/9) / 3 = 73.148.
    avg = find(rows, "csat_avg_normalized", "day", "2026-03-02")
    assert (avg.value, avg.numerator, avg.denominator, avg.sample_size) == (
        pytest.approx(1975 / 27),
        pytest.approx(1975 / 9),
        3.0,
        3,
    )
    # Month (S1..S4): 2 / 4 = 50 %; mean (1975/9 + 50) / 4 = 2425/36 = 67.36.
    assert parts(find(rows, "csat_pct", "month", "2026-03-01")) == (50.0, 2.0, 4.0, 4)
    assert find(rows, "csat_avg_normalized", "month", "2026-03-01").value == pytest.approx(2425 / 36)
    # Ticket dimensions only for the linked S1, S3 (chat, agent a1): 1 / 2; the unlinked S2, S4 are in no channel.
    assert parts(find(rows, "csat_pct", "month", "2026-03-01", "channel", "chat")) == (50.0, 1.0, 2.0, 2)
    assert {r.dimension_value for r in rows if r.kpi_id == "csat_pct" and r.dimension == "channel"} == {"chat"}
    assert find(rows, "csat_pct", "month", "2026-03-01", "agent", "a1").sample_size == 2
    assert find(rows, "csat_pct", "month", "2026-03-01", "priority", "normal").sample_size == 2
    # Segment through the survey's customer; S3 names none and takes its ticket's customer C1:
    # enterprise S1, S3 -> 1/2; smb S2 -> 1/1; S4 (no ticket, no customer) -> unknown 0/1.
    assert parts(find(rows, "csat_pct", "month", "2026-03-01", "segment", "enterprise")) == (50.0, 1.0, 2.0, 2)
    assert parts(find(rows, "csat_pct", "month", "2026-03-01", "segment", "smb")) == (100.0, 1.0, 1.0, 1)
    assert parts(find(rows, "csat_pct", "month", "2026-03-01", "region", "unknown")) == (0.0, 0.0, 1.0, 1)


def test_nps_with_only_passives_is_zero_and_ces_rescales_to_one_to_seven(tmp_path: Path) -> None:
    rows = compute_kpi_values(survey_folder(tmp_path), as_of=datetime(2026, 3, 20))
    # 03-02: 7, 8, 8 are passives -> 100 x (0 - 0) / 3 = 0, and the row exists.
    assert parts(find(rows, "nps", "day", "2026-03-02")) == (0.0, 0.0, 3.0, 3)
    # 03-03: 10, 9 promoters, 6 detractor, 8 passive -> 100 x (2 - 1) / 4 = 25.
    assert parts(find(rows, "nps", "day", "2026-03-03")) == (25.0, 100.0, 4.0, 4)
    # Month: 100 x (2 - 1) / 7.
    assert parts(find(rows, "nps", "month", "2026-03-01")) == (pytest.approx(100 / 7), 100.0, 7.0, 7)
    # CES: 2 on 1-7 -> 1 + 6 x 1/6 = 2; 5 on 1-5 -> 1 + 6 x 1 = 7; mean 4.5.
    ces = find(rows, "ces_avg", "day", "2026-03-02")
    assert (ces.value, ces.numerator, ces.denominator, ces.sample_size) == (
        pytest.approx(4.5),
        pytest.approx(9.0),
        2.0,
        2,
    )
    # Only E2 is linked to T1 (chat).
    assert find(rows, "ces_avg", "day", "2026-03-02", "channel", "chat").value == pytest.approx(7.0)


def test_a_score_outside_its_scale_is_named(tmp_path: Path) -> None:
    write_folder(tmp_path, [ticket("T1", "2026-03-02T08:00:00")], [])
    write_table(tmp_path, "surveys", [{"response_id": "S1", "survey_type": "csat",
                                       "responded_at": "2026-03-02T09:00:00", "score": "6"}])  # fmt: skip
    with pytest.raises(ValueError, match=r"surveys\.csv row 1: score 6\.0 is outside its scale 1-5"):
        compute_kpi_values(tmp_path)


# --- reviews -----------------------------------------------------------------------------------


def test_gaps_between_consecutive_positive_reviews(tmp_path: Path) -> None:
    write_folder(
        tmp_path,
        [ticket("T1", "2026-03-01T00:00:00")],
        [],
        [{"customer_id": "C1", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "segment": "enterprise", "region": "emea"}],
    )  # fmt: skip
    write_table(
        tmp_path,
        "reviews",
        [
            {"review_id": "R1", "customer_id": "C1", "rating": "5", "published_at": "2026-03-01T00:00:00"},
            {"review_id": "R2", "customer_id": "C2", "rating": "4", "published_at": "2026-03-02T00:00:00"},
            {"review_id": "R3", "customer_id": "C2", "rating": "5", "published_at": "2026-03-03T12:00:00"},
            {"review_id": "R4", "customer_id": "C1", "rating": "5", "published_at": "2026-03-05T00:00:00"},
            {"review_id": "R5", "customer_id": "", "rating": "5", "published_at": "2026-04-01T00:00:00"},
            {"review_id": "R6", "customer_id": "C1", "rating": "5", "published_at": "2026-04-20T00:00:00"},
        ],
    )  # fmt: skip
    rows = compute_kpi_values(tmp_path, as_of=datetime(2026, 4, 10))
    # R6 is after the as-of. 5-star instants: 03-01 00:00, 03-03 12:00, 03-05 00:00, 04-01 00:00
    # -> gaps 2.5 d (to 03-03), 1.5 d (to 03-05), 27 d (to 04-01), each in the later review's period.
    assert series(rows, "avg_days_between_positive_reviews", "day") == {
        "2026-03-03": 2.5, "2026-03-05": 1.5, "2026-04-01": 27.0
    }  # fmt: skip
    # March: (2.5 + 1.5) / 2 = 2 days over 2 gaps; the first 5-star review ever has no gap.
    assert parts(find(rows, "avg_days_between_positive_reviews", "month", "2026-03-01")) == (2.0, 4.0, 2.0, 2)
    assert parts(find(rows, "avg_days_between_positive_reviews", "month", "2026-04-01")) == (27.0, 27.0, 1.0, 1)
    # Within a segment the pairs are that segment's own: smb 03-01 -> 03-05 = 4 d; enterprise has one
    # 5-star review and unknown one (R5): no gap, no row. Region emea: R1, R3, R4 -> 2.5 and 1.5.
    assert parts(find(rows, "avg_days_between_positive_reviews", "month", "2026-03-01", "segment", "smb")) == (
        4.0, 4.0, 1.0, 1
    )  # fmt: skip
    assert find(rows, "avg_days_between_positive_reviews", "month", "2026-03-01", "segment", "enterprise") is None
    assert find(rows, "avg_days_between_positive_reviews", "month", "2026-04-01", "segment", "unknown") is None
    assert find(rows, "avg_days_between_positive_reviews", "month", "2026-03-01", "region", "emea").value == 2.0
    # Positive reviews: March R1, R3, R4 of 4 reviews -> 3 and 75 %; April R5 -> 1 and 100 %.
    assert parts(find(rows, "positive_reviews", "month", "2026-03-01")) == (3.0, None, None, 3)
    assert parts(find(rows, "positive_review_share_pct", "month", "2026-03-01")) == (75.0, 3.0, 4.0, 4)
    assert parts(find(rows, "positive_review_share_pct", "month", "2026-04-01")) == (100.0, 1.0, 1.0, 1)
    # The 4-star day has a share row of 0 % and no positive_reviews row (a count with no row is zero).
    assert parts(find(rows, "positive_review_share_pct", "day", "2026-03-02")) == (0.0, 0.0, 1.0, 1)
    assert find(rows, "positive_reviews", "day", "2026-03-02") is None


# --- agents ------------------------------------------------------------------------------------


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


# --- knowledge base and self-service -----------------------------------------------------------


def kb_folder(folder: Path) -> Path:
    write_folder(folder, [ticket("T1", "2026-01-05T00:00:00")], [])
    write_table(
        folder,
        "kb_articles",
        [
            {"article_id": "K1", "title": "a", "published_at": "2026-01-10T09:00:00", "archived_at": ""},
            # Archived exactly at the first instant of February: still live at January's end.
            {"article_id": "K2", "title": "b", "published_at": "2026-01-20T09:00:00",
             "archived_at": "2026-02-01T00:00:00"},
            # Published in the last second of January (UTC), archived mid-February.
            {"article_id": "K3", "title": "c", "published_at": "2026-01-31T23:59:59",
             "archived_at": "2026-02-15T00:00:00"},
            {"article_id": "K4", "title": "draft", "published_at": "", "archived_at": ""},
            # Archived after the as-of time: live at the as-of.
            {"article_id": "K5", "title": "e", "published_at": "2026-02-20T09:00:00",
             "archived_at": "2026-03-20T00:00:00"},
            {"article_id": "K6", "title": "f", "published_at": "2026-03-11T09:00:00", "archived_at": ""},
        ],
    )  # fmt: skip
    return folder


def test_live_kb_articles_across_a_month_end_with_an_archive(tmp_path: Path) -> None:
    rows = compute_kpi_values(kb_folder(tmp_path), as_of=datetime(2026, 3, 10, 12, 0))
    # January's end (before 02-01 00:00): K1, K2, K3. February's end: K1, K5 (K2, K3 archived).
    # March, at the as-of: K1, K5 (K5's archive and K6's publication are after the as-of).
    assert series(rows, "kb_articles_live", "month") == {"2026-01-01": 3.0, "2026-02-01": 2.0, "2026-03-01": 2.0}
    assert parts(find(rows, "kb_articles_live", "month", "2026-01-01")) == (3.0, None, None, 3)
    # Days: the first period is the first publication's (01-10); 01-31 ends with 3, 02-01 with K1, K3.
    days = series(rows, "kb_articles_live", "day")
    assert min(days) == "2026-01-10"
    assert (days["2026-01-10"], days["2026-01-31"], days["2026-02-01"], days["2026-03-10"]) == (1.0, 3.0, 2.0, 2.0)
    assert max(days) == "2026-03-10"
    # Week of Mon 01-26 ends at 02-02 00:00: K1, K3.
    assert find(rows, "kb_articles_live", "week", "2026-01-26").value == 2.0
    # Published: January K1, K2, K3; February K5; K6 not yet. No dimensions besides all.
    assert series(rows, "kb_articles_published", "month") == {"2026-01-01": 3.0, "2026-02-01": 1.0}
    assert {r.dimension for r in rows if r.kpi_id.startswith("kb_articles")} == {"all"}


def test_live_kb_articles_at_a_berlin_month_end(tmp_path: Path) -> None:
    # K3 is published 02-01 00:59:59 Berlin time, K2 archived 02-01 01:00 Berlin: January's end has K1, K2.
    rows = compute_kpi_values(
        kb_folder(tmp_path), as_of=datetime(2026, 3, 10, 12, 0), reporting_timezone="Europe/Berlin"
    )
    assert find(rows, "kb_articles_live", "month", "2026-01-01").value == 2.0
    assert find(rows, "kb_articles_published", "month", "2026-02-01").value == 2.0  # K3 and K5


def test_sessions_without_votes_have_no_helpfulness(tmp_path: Path) -> None:
    write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T12:00:00", customer_id="C1"), ticket("T2", "2026-03-03T12:00:00", customer_id="C2")],
        [],
        [{"customer_id": "C1", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "segment": "enterprise", "region": "emea"}],
    )  # fmt: skip
    header = ("session_id", "customer_id", "started_at", "article_id", "resolved", "ticket_id", "helpful")
    write_table(
        tmp_path,
        "self_service_sessions",
        [
            # 03-02: no votes at all.
            {"session_id": "X1", "customer_id": "C1", "started_at": "2026-03-02T09:00:00", "resolved": "true"},
            {"session_id": "X2", "customer_id": "C1", "started_at": "2026-03-02T10:00:00", "resolved": "TRUE",
             "ticket_id": "T1"},
            {"session_id": "X3", "started_at": "2026-03-02T11:00:00", "resolved": "false"},
            {"session_id": "X4", "customer_id": "C2", "started_at": "2026-03-02T11:30:00"},
            # 03-03: three votes.
            {"session_id": "X5", "customer_id": "C1", "started_at": "2026-03-03T09:00:00", "resolved": "yes",
             "helpful": "true"},
            {"session_id": "X6", "customer_id": "C1", "started_at": "2026-03-03T10:00:00", "resolved": "no",
             "helpful": "false"},
            {"session_id": "X7", "started_at": "2026-03-03T11:00:00", "resolved": "1", "helpful": "1"},
        ],
        header,
    )  # fmt: skip
    rows = compute_kpi_values(tmp_path)  # as-of: T2's creation, 03-03 12:00
    # 03-02: 4 sessions; resolved without a ticket: X1 only (X2 opened T1) -> 1/4; no vote -> no helpfulness row.
    assert parts(find(rows, "self_service_sessions", "day", "2026-03-02")) == (4.0, None, None, 4)
    assert parts(find(rows, "self_service_resolution_pct", "day", "2026-03-02")) == (25.0, 1.0, 4.0, 4)
    assert find(rows, "kb_helpfulness_pct", "day", "2026-03-02") is None
    # Deflection 03-02: deflected X1 / (X1 + ticket T1) = 1/2.
    assert parts(find(rows, "deflection_rate_pct", "day", "2026-03-02")) == (50.0, 1.0, 2.0, 2)
    # 03-03: helpful X5, X7 of 3 votes; resolved X5, X7 of 3; deflection 2 / (2 + T2) = 2/3.
    assert parts(find(rows, "kb_helpfulness_pct", "day", "2026-03-03")) == (pytest.approx(200 / 3), 2.0, 3.0, 3)
    assert parts(find(rows, "self_service_resolution_pct", "day", "2026-03-03")) == (
        pytest.approx(200 / 3), 2.0, 3.0, 3
    )  # fmt: skip
    assert parts(find(rows, "deflection_rate_pct", "day", "2026-03-03")) == (pytest.approx(200 / 3), 2.0, 3.0, 3)
    # Segments through the customer, a ticket's for the denominator: smb 03-02 X1 / (X1 + T1) = 1/2;
    # enterprise 03-02 has neither deflection nor ticket -> no row; 03-03 T2 only -> 0/1; unknown 03-03 X7 -> 1/1.
    assert parts(find(rows, "deflection_rate_pct", "day", "2026-03-02", "segment", "smb")) == (50.0, 1.0, 2.0, 2)
    assert find(rows, "deflection_rate_pct", "day", "2026-03-02", "segment", "enterprise") is None
    assert parts(find(rows, "deflection_rate_pct", "day", "2026-03-03", "segment", "enterprise")) == (0.0, 0.0, 1.0, 1)
    assert parts(find(rows, "deflection_rate_pct", "day", "2026-03-03", "segment", "unknown")) == (
        100.0, 1.0, 1.0, 1
    )  # fmt: skip
    # Sessions by segment: unknown X3 (03-02), resolution 0/1.
    assert parts(find(rows, "self_service_resolution_pct", "day", "2026-03-02", "segment", "unknown")) == (
        0.0, 0.0, 1.0, 1
    )  # fmt: skip
    assert {r.dimension for r in rows if r.kpi_id == "self_service_sessions"} == {"all", "segment", "region"}


def test_bot_containment_over_the_whole_history(tmp_path: Path) -> None:
    # All solved on 03-02. T1 chat: bot only -> contained. T2 chat: bot and an agent reply -> not.
    # T3 email: no bot -> not. T4 email: bot, solved, then an agent reply after the solve -> not.
    # T5: bot, never solved -> outside. T6 email: bot and an internal note (not public) -> contained.
    folder = write_folder(
        tmp_path,
        [ticket(t, "2026-03-02T08:00:00", channel="chat" if t in ("T1", "T2") else "email")
         for t in ("T1", "T2", "T3", "T4", "T5", "T6")],
        [
            bot_message("T1", "2026-03-02T08:01:00"), status_change("T1", "2026-03-02T09:00:00", "solved"),
            bot_message("T2", "2026-03-02T08:01:00"), agent_reply("T2", "2026-03-02T08:30:00"),
            status_change("T2", "2026-03-02T09:00:00", "solved"),
            status_change("T3", "2026-03-02T09:00:00", "solved"),
            bot_message("T4", "2026-03-02T08:01:00"), status_change("T4", "2026-03-02T09:00:00", "solved"),
            agent_reply("T4", "2026-03-02T10:00:00"),
            bot_message("T5", "2026-03-02T08:01:00"),
            bot_message("T6", "2026-03-02T08:01:00"), internal_note("T6", "2026-03-02T08:30:00"),
            status_change("T6", "2026-03-02T09:00:00", "closed"),
        ],
    )  # fmt: skip
    rows = compute_kpi_values(folder)
    # Contained T1, T6 of first resolved T1, T2, T3, T4, T6 -> 2/5; chat 1/2; email 1/3.
    assert parts(find(rows, "bot_resolution_pct", "day", "2026-03-02")) == (40.0, 2.0, 5.0, 5)
    assert parts(find(rows, "bot_resolution_pct", "day", "2026-03-02", "channel", "chat")) == (50.0, 1.0, 2.0, 2)
    assert find(rows, "bot_resolution_pct", "day", "2026-03-02", "channel", "email").value == pytest.approx(100 / 3)


# --- customers and money -----------------------------------------------------------------------


def money_folder(folder: Path) -> Path:
    write_folder(
        folder,
        [ticket("T1", "2026-01-05T00:00:00")],
        [],
        [{"customer_id": "C1", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "segment": "smb", "region": "emea"},
         {"customer_id": "C3", "segment": "enterprise", "region": "emea"}],
    )  # fmt: skip
    revenue = [
        # C1 churns in March (a row of 0) and comes back in April; C2 leaves in April (no row);
        # C3 starts in February. No row at all in May; June is after the as-of.
        ("C1", "2026-01-01", "100"), ("C1", "2026-02-01", "100"), ("C1", "2026-03-01", "0"),
        ("C1", "2026-04-01", "120"), ("C1", "2026-06-01", "999"),
        ("C2", "2026-01-01", "50"), ("C2", "2026-02-01", "60"), ("C2", "2026-03-01", "60"),
        ("C3", "2026-02-01", "40"), ("C3", "2026-03-01", "40"), ("C3", "2026-04-01", "40"),
    ]  # fmt: skip
    write_table(folder, "customer_revenue", [{"customer_id": c, "month": m, "mrr": v} for c, m, v in revenue])
    return folder


def test_a_customer_churning_and_coming_back(tmp_path: Path) -> None:
    rows = compute_kpi_values(money_folder(tmp_path), as_of=datetime(2026, 5, 10))
    # Active: Jan {C1, C2} 150 | Feb {C1, C2, C3} 200 | Mar {C2, C3} 100 | Apr {C1, C3} 160 | May {} 0.
    assert series(rows, "mrr", "month") == {"2026-01-01": 150.0, "2026-02-01": 200.0, "2026-03-01": 100.0,
                                            "2026-04-01": 160.0}  # fmt: skip
    assert parts(find(rows, "mrr", "month", "2026-04-01")) == (160.0, None, None, 2)
    assert parts(find(rows, "arpa", "month", "2026-02-01")) == (pytest.approx(200 / 3), 200.0, 3.0, 3)
    # January has no previous active customer: no churn, retention or growth row.
    assert find(rows, "customer_churn_rate_pct", "month", "2026-01-01") is None
    assert find(rows, "mrr_growth_rate_pct", "month", "2026-01-01") is None
    # March: S = 3, C1 lost -> churn 1/3, retention (E 2 - N 0) / 3.
    assert parts(find(rows, "customer_churn_rate_pct", "month", "2026-03-01")) == (pytest.approx(100 / 3), 1.0, 3.0, 3)
    assert parts(find(rows, "customer_retention_rate_pct", "month", "2026-03-01")) == (
        pytest.approx(200 / 3), 2.0, 3.0, 3
    )  # fmt: skip
    # April: S = {C2, C3}, C2 lost -> churn 1/2; C1 is back (N = 1): retention (2 - 1) / 2 = 50 %.
    assert parts(find(rows, "customer_churn_rate_pct", "month", "2026-04-01")) == (50.0, 1.0, 2.0, 2)
    assert parts(find(rows, "customer_retention_rate_pct", "month", "2026-04-01")) == (50.0, 1.0, 2.0, 2)
    # Growth: Feb (200 - 150) / 150; Mar (100 - 200) / 200; Apr (160 - 100) / 100; sample = last month's actives.
    assert parts(find(rows, "mrr_growth_rate_pct", "month", "2026-02-01")) == (pytest.approx(100 / 3), 50.0, 150.0, 2)
    assert parts(find(rows, "mrr_growth_rate_pct", "month", "2026-03-01")) == (-50.0, -100.0, 200.0, 3)
    assert parts(find(rows, "mrr_growth_rate_pct", "month", "2026-04-01")) == (60.0, 60.0, 100.0, 2)
    # Lifetime value = ARPA x 100 % / churn: Mar 50 / (1/3) = 150; Apr 80 / (1/2) = 160.
    assert parts(find(rows, "customer_lifetime_value", "month", "2026-03-01")) == (pytest.approx(150.0), None, None, 3)
    assert find(rows, "customer_lifetime_value", "month", "2026-04-01").value == pytest.approx(160.0)
    # May has no revenue row: everyone inactive -> churn 2/2, retention 0, growth -100 %; no MRR or ARPA row
    # (no active customer), lifetime value null (no ARPA). June is after the as-of: no row.
    assert parts(find(rows, "customer_churn_rate_pct", "month", "2026-05-01")) == (100.0, 2.0, 2.0, 2)
    assert parts(find(rows, "customer_retention_rate_pct", "month", "2026-05-01")) == (0.0, 0.0, 2.0, 2)
    assert parts(find(rows, "mrr_growth_rate_pct", "month", "2026-05-01")) == (-100.0, -160.0, 160.0, 2)
    assert find(rows, "mrr", "month", "2026-05-01") is None
    assert parts(find(rows, "customer_lifetime_value", "month", "2026-05-01")) == (None, None, None, 2)
    assert max(r.period_start for r in rows if r.kpi_id == "mrr") == date(2026, 4, 1)
    # Segment smb (C1, C2): April S = {C2}, E = {C1} returning -> churn 100 %, retention (1 - 1) / 1 = 0.
    assert parts(find(rows, "customer_churn_rate_pct", "month", "2026-04-01", "segment", "smb")) == (
        100.0, 1.0, 1.0, 1
    )  # fmt: skip
    assert parts(find(rows, "customer_retention_rate_pct", "month", "2026-04-01", "segment", "smb")) == (
        0.0, 0.0, 1.0, 1
    )  # fmt: skip
    # Month grain only.
    assert {r.grain for r in rows if r.kpi_id in ("mrr", "customer_churn_rate_pct")} == {"month"}


def test_a_month_without_churn_has_a_null_lifetime_value(tmp_path: Path) -> None:
    rows = compute_kpi_values(money_folder(tmp_path), as_of=datetime(2026, 5, 10))
    # February: S = {C1, C2} both still active -> churn 0 % (a row), lifetime value row with a null value.
    assert parts(find(rows, "customer_churn_rate_pct", "month", "2026-02-01")) == (0.0, 0.0, 2.0, 2)
    assert parts(find(rows, "customer_lifetime_value", "month", "2026-02-01")) == (None, None, None, 2)
    # Enterprise (C3) in March: no churn either -> null; its growth (40 - 40) / 40 = 0.
    assert parts(find(rows, "customer_lifetime_value", "month", "2026-03-01", "segment", "enterprise")) == (
        None, None, None, 1
    )  # fmt: skip
    assert find(rows, "mrr_growth_rate_pct", "month", "2026-03-01", "segment", "enterprise").value == 0.0


def test_lifetime_value_takes_the_gross_margin(tmp_path: Path) -> None:
    # March: ARPA 50 x 40 % / (1/3) = 60.
    rows = compute_kpi_values(money_folder(tmp_path), as_of=datetime(2026, 5, 10), gross_margin_pct=40.0)
    assert find(rows, "customer_lifetime_value", "month", "2026-03-01").value == pytest.approx(60.0)


def test_costs_with_no_solved_tickets(tmp_path: Path) -> None:
    # T1 created in March, never solved; T2, T3 created and first resolved in April (as-of = 04-04 10:00).
    write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T08:00:00"), ticket("T2", "2026-04-01T08:00:00", "solved"),
         ticket("T3", "2026-04-03T08:00:00", "solved")],
        [status_change("T2", "2026-04-02T09:00:00", "solved"), status_change("T3", "2026-04-04T10:00:00", "solved")],
        [{"customer_id": "C1", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "segment": "enterprise", "region": "emea"}],
    )  # fmt: skip
    write_table(
        tmp_path,
        "customers",
        [{"customer_id": "C1", "created_at": "2026-03-05T10:00:00", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "created_at": "2026-03-20T10:00:00", "segment": "enterprise", "region": "emea"},
         {"customer_id": "C3", "created_at": "2026-02-10T10:00:00", "segment": "smb", "region": "emea"},
         {"customer_id": "C4", "created_at": "2026-04-20T10:00:00", "segment": "smb", "region": "emea"}],
    )  # fmt: skip
    write_table(tmp_path, "customer_revenue", [{"customer_id": "C1", "month": "2026-03-01", "mrr": "2000"},
                                              {"customer_id": "C1", "month": "2026-04-01", "mrr": "1600"}])  # fmt: skip
    write_table(
        tmp_path,
        "support_costs",
        [{"month": "2026-03-01", "category": "salaries", "amount": "1000"},
         {"month": "2026-03-01", "category": " Tooling", "amount": "500"},
         {"month": "2026-04-01", "category": "salaries", "amount": "800"},
         {"month": "2026-05-01", "category": "salaries", "amount": "700"}],
    )  # fmt: skip
    write_table(tmp_path, "marketing_spend", [{"month": "2026-03-01", "amount": "300"},
                                             {"month": "2026-04-01", "amount": "500"}])  # fmt: skip
    rows = compute_kpi_values(tmp_path)
    # March: cost 1000 + 500 over 2 cost rows; no ticket solved -> no cost_per_ticket row;
    # cost to revenue 1500 / 2000 = 75 % (1 active customer).
    assert parts(find(rows, "support_cost", "month", "2026-03-01")) == (1500.0, None, None, 2)
    assert find(rows, "cost_per_ticket", "month", "2026-03-01") is None
    assert parts(find(rows, "support_cost_to_revenue_pct", "month", "2026-03-01")) == (75.0, 1500.0, 2000.0, 1)
    # April: 800 / 2 tickets first resolved = 400; 800 / 1600 = 50 %. May is after the as-of month.
    assert parts(find(rows, "cost_per_ticket", "month", "2026-04-01")) == (400.0, 800.0, 2.0, 2)
    assert find(rows, "support_cost_to_revenue_pct", "month", "2026-04-01").value == 50.0
    assert series(rows, "support_cost", "month") == {"2026-03-01": 1500.0, "2026-04-01": 800.0}
    # New customers by created_at month inside the money months (March, the first revenue month, to April):
    # C1 and C2 in March; C3 (February) is before them, C4 after the as-of.
    # CAC: March 300 / 2 = 150; April's spend has no new customer -> no row.
    assert series(rows, "new_customers", "month") == {"2026-03-01": 2.0}
    assert find(rows, "new_customers", "month", "2026-03-01", "segment", "enterprise").value == 1.0
    assert parts(find(rows, "customer_acquisition_cost", "month", "2026-03-01")) == (150.0, 300.0, 2.0, 2)
    assert find(rows, "customer_acquisition_cost", "month", "2026-04-01") is None
    # Cost and spend KPIs have no dimension but all.
    cost_kpis = ("support_cost", "cost_per_ticket", "support_cost_to_revenue_pct", "customer_acquisition_cost")
    assert {r.dimension for r in rows if r.kpi_id in cost_kpis} == {"all"}


def test_absent_optional_tables_give_no_rows_for_their_kpis(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T08:00:00", "solved")],
        [customer_message("T1", "2026-03-02T08:00:00"), agent_reply("T1", "2026-03-02T08:10:00"),
         status_change("T1", "2026-03-02T09:00:00", "solved")],
    )  # fmt: skip
    rows = compute_kpi_values(folder)
    # Only the KPIs that need nothing but tickets and events.
    assert kpis_of(rows) & BEYOND_FLOW == NEEDS_ONLY_TICKETS
    # A table present with a header only is no data either (and deflection needs sessions).
    write_table(folder, "self_service_sessions", [], ("session_id", "customer_id", "started_at", "resolved"))
    write_table(folder, "customer_revenue", [], ("customer_id", "month", "mrr"))
    with_sessions = compute_kpi_values(folder)
    # Deflection: 0 deflected / (0 + T1) = 0 %, once the sessions table exists.
    assert kpis_of(with_sessions) & BEYOND_FLOW == NEEDS_ONLY_TICKETS | {"deflection_rate_pct"}
    assert parts(find(with_sessions, "deflection_rate_pct", "day", "2026-03-02")) == (0.0, 0.0, 1.0, 1)


# --- business time and SLAs ----------------------------------------------------------------------

WEEKDAYS_9_TO_5_UTC = [
    {"schedule_id": "default", "timezone": "UTC", "day_of_week": str(day), "start_time": "09:00", "end_time": "17:00"}
    for day in range(1, 6)
]
SCHEDULE_HEADER = ("schedule_id", "timezone", "day_of_week", "start_time", "end_time")
POLICY_HEADER = ("priority", "channel", "first_response_minutes", "resolution_minutes", "business_hours")
BUSINESS_AND_SLA = {
    "first_response_time_business_median_minutes",
    "resolution_time_business_median_hours",
    "sla_first_response_attainment_pct",
    "sla_resolution_attainment_pct",
}


def policy(priority: str, channel: str, first_response: str, resolution: str, business_hours: str) -> Row:
    return {"priority": priority, "channel": channel, "first_response_minutes": first_response,
            "resolution_minutes": resolution, "business_hours": business_hours}  # fmt: skip


def test_business_clock_equals_interval_arithmetic_across_daylight_saving() -> None:
    # New York, Mon-Fri 08:00-12:00 and 13:00-17:00 (a split shift), a holiday on Monday 03-09.
    shifts = (("08:00", "12:00"), ("13:00", "17:00"))
    rows = tuple(OpeningRow.from_text(day, start, end) for day in range(1, 6) for start, end in shifts)
    schedule = Schedule("America/New_York", rows, frozenset({date(2026, 3, 9)}))
    clock = BusinessClock(schedule)
    # Friday 03-06 16:30 EST (21:30 UTC) -> Tuesday 03-10 09:15 EDT (13:15 UTC): Friday 30 min, Monday is a
    # holiday, Tuesday 08:00-09:15 = 75 min -> 105 min, across the spring-forward Sunday.
    assert clock.seconds_between(datetime(2026, 3, 6, 21, 30), datetime(2026, 3, 10, 13, 15)) == 105 * 60
    for start, end in [
        (datetime(2026, 3, 6, 21, 30), datetime(2026, 3, 10, 13, 15)),
        (datetime(2026, 2, 27, 0, 0), datetime(2026, 4, 2, 18, 0, 30)),
        (datetime(2026, 10, 30, 12, 0), datetime(2026, 11, 3, 16, 59, 59)),  # US fall-back Sunday 11-01
    ]:
        assert clock.seconds_between(start, end) == business_seconds(schedule, start, end)
        assert clock.seconds_between(end, start) == -business_seconds(schedule, start, end)
    # An earlier instant after later ones moves the clock's anchor without spoiling its readings.
    assert clock.seconds_between(datetime(2025, 12, 1, 13, 0), datetime(2025, 12, 1, 14, 0)) == 3600


def business_medians_folder(folder: Path) -> Path:
    write_folder(
        folder,
        [ticket("T1", "2026-03-06T16:00:00", "solved"), ticket("T2", "2026-03-09T08:00:00", "solved"),
         ticket("T3", "2026-03-07T10:00:00", "solved"), ticket("T4", "2026-03-09T09:00:00", "solved")],
        [customer_message("T1", "2026-03-06T16:00:00"), agent_reply("T1", "2026-03-09T09:30:00"),
         status_change("T1", "2026-03-09T10:00:00", "solved"),
         customer_message("T2", "2026-03-09T08:00:00"), agent_reply("T2", "2026-03-09T09:10:00"),
         status_change("T2", "2026-03-09T12:00:00", "solved"),
         customer_message("T3", "2026-03-07T10:00:00"), agent_reply("T3", "2026-03-07T11:00:00"),
         status_change("T3", "2026-03-08T10:00:00", "solved"),
         # T4 is agent-initiated: out of the first-response median, in the resolution one.
         agent_reply("T4", "2026-03-09T09:00:00"), customer_message("T4", "2026-03-09T09:05:00"),
         status_change("T4", "2026-03-09T13:00:00", "solved")],
    )  # fmt: skip
    write_table(folder, "business_schedules", WEEKDAYS_9_TO_5_UTC)
    return folder


def test_business_medians_count_only_open_hours(tmp_path: Path) -> None:
    rows = compute_kpi_values(business_medians_folder(tmp_path))
    # Mon-Fri 09:00-17:00 UTC. Friday 03-06 is a weekday; 03-07/08 the weekend.
    # T1: Fri 16:00 -> Mon 09:30 = 60 + 30 = 90 min; solved Mon 10:00 = 60 + 60 min = 2 h.
    # T2: Mon 08:00 (closed) -> 09:10 = 10 min; solved 12:00 = 3 h.
    # T3: created, answered and solved at the weekend: 0 min, 0 h.
    # T4: agent-initiated; solved Mon 13:00 = 4 h.
    minutes = "first_response_time_business_median_minutes"
    assert parts(find(rows, minutes, "month", "2026-03-01")) == (10.0, None, None, 3)  # median of 0, 10, 90
    assert series(rows, minutes, "day") == {"2026-03-06": 90.0, "2026-03-07": 0.0, "2026-03-09": 10.0}
    hours = "resolution_time_business_median_hours"
    # Attributed to the first solve: 03-08 T3 (0 h); 03-09 T1 2 h, T2 3 h, T4 4 h -> median 3 h.
    assert series(rows, hours, "day") == {"2026-03-08": 0.0, "2026-03-09": 3.0}
    assert parts(find(rows, hours, "month", "2026-03-01")) == (2.5, None, None, 4)  # median of 0, 2, 3, 4
    # The calendar median of the same tickets differs: T3 60, T2 70 and T1 3930 min -> 70.
    assert find(rows, "first_response_time_median_minutes", "month", "2026-03-01").value == 70.0


def sla_status_folder(folder: Path) -> Path:
    write_folder(
        folder,
        [ticket("M", "2026-03-09T09:00:00", "solved", channel="email", priority="normal"),
         ticket("L", "2026-03-09T09:00:00", channel="email", priority="normal"),
         ticket("N", "2026-03-10T10:00:00", channel="phone", priority="high"),
         ticket("R", "2026-03-10T11:30:00", channel="email", priority="normal")],
        [customer_message("M", "2026-03-09T09:00:00"), agent_reply("M", "2026-03-09T10:00:00"),
         status_change("M", "2026-03-09T16:00:00", "solved"),
         customer_message("L", "2026-03-09T09:00:00"), agent_reply("L", "2026-03-09T10:01:00"),
         customer_message("N", "2026-03-10T10:00:00"),
         # R's reply comes after the as-of time: it does not exist yet.
         customer_message("R", "2026-03-10T11:30:00"), agent_reply("R", "2026-03-10T13:00:00")],
    )  # fmt: skip
    write_table(folder, "business_schedules", WEEKDAYS_9_TO_5_UTC)
    write_table(folder, "sla_policies", [policy("normal", "*", "60", "480", "true"),
                                         policy("high", "*", "30", "120", "false")])  # fmt: skip
    return folder


def test_sla_met_breached_and_running(tmp_path: Path) -> None:
    rows = compute_kpi_values(sla_status_folder(tmp_path), as_of=datetime(2026, 3, 10, 12, 0))
    # As-of Tue 03-10 12:00; normal: 60 / 480 business minutes, high: 30 / 120 calendar minutes.
    # M: reply after 60 business min (<= 60) met; solved after 420 (09:00-16:00) met.
    # L: reply after 61 min, breached; unsolved, 480 (Mon) + 180 (Tue 09-12) = 660 > 480 at the as-of: breached.
    # N: unanswered, 120 calendar min at the as-of > 30: breached; unsolved at exactly 120 = target: running.
    # R: 30 business min at the as-of (its 13:00 reply is later): both running, left out.
    first_response, resolution = "sla_first_response_attainment_pct", "sla_resolution_attainment_pct"
    assert parts(find(rows, first_response, "month", "2026-03-01")) == (pytest.approx(100 / 3), 1.0, 3.0, 3)
    assert parts(find(rows, first_response, "day", "2026-03-09")) == (50.0, 1.0, 2.0, 2)
    assert parts(find(rows, first_response, "day", "2026-03-10")) == (0.0, 0.0, 1.0, 1)
    assert parts(find(rows, resolution, "month", "2026-03-01")) == (50.0, 1.0, 2.0, 2)
    assert find(rows, resolution, "day", "2026-03-10") is None
    assert parts(find(rows, first_response, "week", "2026-03-09", "priority", "high")) == (0.0, 0.0, 1.0, 1)
    # A minute later N's resolution (121 > 120) is breached too; R (31 business min) still runs.
    later = compute_kpi_values(sla_status_folder(tmp_path), as_of=datetime(2026, 3, 10, 12, 1))
    assert parts(find(later, resolution, "day", "2026-03-10")) == (0.0, 0.0, 1.0, 1)
    assert parts(find(later, first_response, "day", "2026-03-10")) == (0.0, 0.0, 1.0, 1)


def test_sla_policy_matching_by_priority_and_channel(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path,
        [ticket("E", "2026-03-09T09:00:00", channel="email", priority="normal"),
         ticket("C", "2026-03-09T09:00:00", channel="chat", priority="normal"),
         ticket("CN", "2026-03-09T09:00:00", channel="chat"),  # null priority = normal
         ticket("LO", "2026-03-09T09:00:00", channel="email", priority="low"),
         ticket("U", "2026-03-09T09:00:00", channel="phone", priority="urgent"),
         ticket("AI", "2026-03-09T09:00:00", channel="email", priority="normal")],
        [*(e for t in ("E", "C", "CN", "LO", "U")
           for e in (customer_message(t, "2026-03-09T09:00:00"), agent_reply(t, "2026-03-09T09:30:00"))),
         agent_reply("AI", "2026-03-09T09:00:00"), customer_message("AI", "2026-03-09T10:00:00")],
    )  # fmt: skip
    write_table(folder, "business_schedules", WEEKDAYS_9_TO_5_UTC)
    write_table(
        folder,
        "sla_policies",
        [policy("normal", "*", "60", "", ""),  # null business_hours: business minutes
         policy("normal", " Chat ", "10", "", "true"), policy("urgent", "*", "5", "", "false")],
    )  # fmt: skip
    rows = compute_kpi_values(folder)
    # Every reply comes 30 min (calendar and business) after creation.
    # E: normal/* 60 -> met. C and CN: normal/chat 10 beats normal/* -> breached. LO: no low policy -> out.
    # U: urgent/* 5 calendar -> breached. AI: agent-initiated -> out. Met 1 of 4.
    kpi_id = "sla_first_response_attainment_pct"
    assert parts(find(rows, kpi_id, "day", "2026-03-09")) == (25.0, 1.0, 4.0, 4)
    assert parts(find(rows, kpi_id, "day", "2026-03-09", "channel", "email")) == (100.0, 1.0, 1.0, 1)
    assert parts(find(rows, kpi_id, "day", "2026-03-09", "channel", "chat")) == (0.0, 0.0, 2.0, 2)
    assert parts(find(rows, kpi_id, "day", "2026-03-09", "priority", "normal")) == (pytest.approx(100 / 3), 1.0, 3.0, 3)
    assert find(rows, kpi_id, "day", "2026-03-09", "priority", "low") is None
    # No resolution target anywhere: no resolution SLA rows.
    assert "sla_resolution_attainment_pct" not in kpis_of(rows)


def test_unknown_schedule_has_no_business_time_but_a_calendar_sla(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path,
        [ticket("B", "2026-03-09T09:00:00", priority="normal", schedule_id="nowhere"),
         ticket("K", "2026-03-09T09:00:00", priority="urgent", schedule_id="nowhere")],
        [customer_message("B", "2026-03-09T09:00:00"), agent_reply("B", "2026-03-09T09:30:00"),
         customer_message("K", "2026-03-09T09:00:00"), agent_reply("K", "2026-03-09T09:30:00")],
    )  # fmt: skip
    write_table(folder, "business_schedules", WEEKDAYS_9_TO_5_UTC)
    write_table(folder, "sla_policies", [policy("normal", "*", "60", "", "true"),
                                         policy("urgent", "*", "5", "", "false")])  # fmt: skip
    rows = compute_kpi_values(folder)
    # No business minutes for either ticket; B's business policy cannot be judged; K: 30 > 5 calendar min.
    assert "first_response_time_business_median_minutes" not in kpis_of(rows)
    assert find(rows, "first_response_time_median_minutes", "day", "2026-03-09").value == 30.0
    assert parts(find(rows, "sla_first_response_attainment_pct", "day", "2026-03-09")) == (0.0, 0.0, 1.0, 1)


def holiday_folder(folder: Path) -> Path:
    # Good Friday 04-03 and Easter Monday 04-06 are shipped holidays of the shipped `emea` schedule
    # (Europe/London, Mon-Fri 08:00-18:00). BST is UTC+1.
    return write_folder(
        folder,
        [ticket("H", "2026-04-03T09:00:00", schedule_id="emea"), ticket("D", "2026-04-06T16:00:00")],
        [customer_message("H", "2026-04-03T09:00:00"), agent_reply("H", "2026-04-07T08:00:00"),
         customer_message("D", "2026-04-06T16:00:00"), agent_reply("D", "2026-04-07T09:30:00")],
    )  # fmt: skip


def test_shipped_configuration_and_its_holidays(tmp_path: Path) -> None:
    rows = compute_kpi_values(holiday_folder(tmp_path))
    # H: Fri and Mon are holidays; Tue opens 08:00 BST = 07:00 UTC, reply 08:00 UTC -> 60 min.
    # D: shipped `default` Mon-Fri 09:00-17:00 UTC: Mon 16:00-17:00 + Tue 09:00-09:30 = 90 min.
    minutes = "first_response_time_business_median_minutes"
    assert series(rows, minutes, "day") == {"2026-04-03": 60.0, "2026-04-06": 90.0}
    # Shipped policy normal/* 240 business min: both met.
    assert parts(find(rows, "sla_first_response_attainment_pct", "week", "2026-03-30")) == (100.0, 1.0, 1.0, 1)


def test_user_schedules_replace_the_shipped_ones_and_keep_the_shipped_default(tmp_path: Path) -> None:
    folder = holiday_folder(tmp_path)
    write_table(
        folder,
        "business_schedules",
        [{"schedule_id": "emea", "timezone": "Europe/London", "day_of_week": str(day), "start_time": "08:00",
          "end_time": "18:00"} for day in range(1, 6)],
    )  # fmt: skip
    rows = compute_kpi_values(folder)
    # The user's `emea` keeps no shipped holiday: H = Fri 10:00-18:00 BST (480) + Mon 08:00-18:00 (600)
    # + Tue 08:00-09:00 (60) = 1140 min. D: the shipped `default` is added (no `default` in the file): 90 min.
    minutes = "first_response_time_business_median_minutes"
    assert series(rows, minutes, "day") == {"2026-04-03": 1140.0, "2026-04-06": 90.0}
    # The user's own holidays replace the shipped ones and do apply: Easter Monday off again -> 540 min.
    write_table(folder, "holidays", [{"schedule_id": "emea", "holiday_date": "2026-04-06", "name": "Easter Monday"}])
    assert series(compute_kpi_values(folder), minutes, "day") == {"2026-04-03": 540.0, "2026-04-06": 90.0}
    # A header-only schedules file is no configuration: the shipped one holds again.
    write_table(folder, "business_schedules", [], SCHEDULE_HEADER)
    write_table(folder, "holidays", [], ("schedule_id", "holiday_date", "name"))
    assert series(compute_kpi_values(folder), minutes, "day") == {"2026-04-03": 60.0, "2026-04-06": 90.0}


def test_breach_instants(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path,
        [ticket("F", "2026-03-06T16:00:00", priority="normal"), ticket("S", "2026-03-07T10:00:00", priority="normal"),
         ticket("U", "2026-03-06T16:00:00", priority="urgent"), ticket("A", "2026-03-06T16:00:00", priority="normal")],
        [customer_message("F", "2026-03-06T16:00:00"), agent_reply("F", "2026-03-06T17:30:00"),
         customer_message("S", "2026-03-07T10:00:00"), customer_message("U", "2026-03-06T16:00:00"),
         agent_reply("A", "2026-03-06T16:00:00")],
    )  # fmt: skip
    write_table(folder, "business_schedules", WEEKDAYS_9_TO_5_UTC)
    write_table(folder, "sla_policies", [policy("normal", "*", "60", "600", "true"),
                                         policy("urgent", "*", "30", "", "false")])  # fmt: skip
    measures = ticket_sla_measures(folder, as_of=datetime(2026, 3, 9, 12, 0))
    f, s, u, a = (measures[t] for t in ("F", "S", "U", "A"))
    # F: 60 business min from Fri 16:00 run out at the 17:00 closing; still exactly 60 at the Friday
    # 17:30 reply (met); more than 60 only once Monday opens: breach instant Mon 09:00.
    assert (f.sla.first_response_status, f.first_response_breach_at) == ("met", datetime(2026, 3, 9, 9, 0))
    # Resolution 600 min: Fri 60 + Mon 480 (to 17:00) + Tue 60 -> Tue 03-10 10:00; 180 min at the as-of: running.
    assert (f.sla.resolution_status, f.resolution_breach_at) == ("running", datetime(2026, 3, 10, 10, 0))
    assert f.sla.business_first_response_minutes == 60.0
    # S: created Saturday; the clock starts Monday 09:00 -> breach at 10:00; 180 min at the as-of: breached.
    assert (s.sla.first_response_status, s.first_response_breach_at) == ("breached", datetime(2026, 3, 9, 10, 0))
    # U: calendar 30 min -> 16:30 Friday; no resolution target -> no status and no breach instant.
    assert (u.sla.first_response_status, u.first_response_breach_at) == ("breached", datetime(2026, 3, 6, 16, 30))
    assert (u.sla.resolution_status, u.resolution_breach_at) == (None, None)
    # A: agent-initiated, outside the SLAs.
    assert (a.sla.first_response_status, a.first_response_breach_at, a.sla.policy is not None) == (None, None, True)


def test_sla_kpis_at_every_grain_and_ticket_dimension(tmp_path: Path) -> None:
    rows = compute_kpi_values(sla_status_folder(tmp_path), as_of=datetime(2026, 3, 10, 12, 0))
    for kpi_id in BUSINESS_AND_SLA - {"resolution_time_business_median_hours"}:
        found = {(r.grain, r.dimension) for r in rows if r.kpi_id == kpi_id}
        assert {g for g, _ in found} == {"day", "week", "month"}, kpi_id
        assert {d for _, d in found} == {"all", "channel", "priority", "category", "team", "agent", "product",
                                         "segment", "region"}, kpi_id  # fmt: skip
