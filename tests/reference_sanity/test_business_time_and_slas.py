"""The reference's business clock, business-hours medians and SLA attainment, worked out by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from reference import compute_kpi_values
from reference.business_clock import BusinessClock
from reference.sla import ticket_sla_measures
from reference_business import OpeningRow, Schedule, business_seconds
from tests.reference_sanity.builders import (
    Row,
    agent_reply,
    customer_message,
    find,
    kpis_of,
    parts,
    series,
    status_change,
    ticket,
    write_folder,
    write_table,
)

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
