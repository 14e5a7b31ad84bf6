"""The KPI reference implementation (tests/reference) on tiny folders whose answers are worked out by hand."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from reference import KpiRow, compute_kpi_values
from reference.stats import median, percentile_cont

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
