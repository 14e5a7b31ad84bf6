"""The reference's first-response and reply-cycle times on tiny folders worked out by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reference import KpiRow, compute_kpi_values
from tests.reference_sanity.builders import (
    agent_reply,
    bot_message,
    customer_message,
    find,
    internal_note,
    ticket,
    write_folder,
)


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
