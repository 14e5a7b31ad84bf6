"""The reference's backlog at period ends and at the as-of time, worked out by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from reference import compute_kpi_values
from tests.reference_sanity.builders import customer_message, find, series, status_change, ticket, write_folder


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
