"""The reference's resolution, reopen, first-contact and resolved-within-target KPIs, worked out by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from reference import compute_kpi_values
from tests.reference_sanity.builders import (
    agent_reply,
    customer_message,
    escalation,
    find,
    internal_note,
    series,
    status_change,
    ticket,
    write_folder,
)


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
