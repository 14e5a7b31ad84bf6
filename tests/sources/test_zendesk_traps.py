"""The Zendesk traps, by hand: a few hand-written Fivetran Zendesk tables, built with `--vars '{source: zendesk}'`,
and the values each trap must give, computed by hand below (UTC unless a local time is named).

Users: 1 agent, 2 admin (both agents for the contract), 11 and 12 end-users (customers).
Schedules: 600 `UTC` Mon-Fri 00:00-24:00, created first (the account's default); 601 `Pacific Time (US & Canada)`
Mon-Fri 09:00-17:00 local; 602 `Berlin` Mon-Fri 08:00-17:00 local with a holiday 2026-12-24..2026-12-25.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from support_kpis.dbt_runner import run_dbt
from support_kpis.loading.zendesk_tables import load_zendesk_tables
from tests.sources.zendesk_export import write_tables
from tests.warehouses import query

pytestmark = pytest.mark.slow

AS_OF = "2027-01-05T00:00:00Z"
# After ticket 9's bad rating (2026-12-30 09:00), before the good one (2027-01-02 09:00): the bad one counts.
AS_OF_BETWEEN_RATINGS = (
    "2027-01-01T00:00:00Z",
    "2027-01-02T10:00:00+02:00",  # 08:00 UTC; read without its offset it would be after the good rating
    None,  # the data's as-of: ticket 10's creation, 2027-01-01 00:00
)

AGENT, ADMIN, CUSTOMER, CUSTOMER_2 = 1, 2, 11, 12
UTC_SCHEDULE, PACIFIC, BERLIN, ASTANA = 600, 601, 602, 603
TABLES = ("ticket", "ticket_comment", "ticket_field_history", "ticket_schedule", "user", "group", "brand")
TABLES += ("schedule", "schedule_holiday")


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _week(schedule_id: int, name: str, zone: str, created: str, open_hour: int, close_hour: int) -> list[dict]:
    # Zendesk: minutes from Sunday 00:00 local time; Monday is day 1.
    return [
        {
            "id": schedule_id,
            "name": name,
            "created_at": t(created),
            "time_zone": zone,
            "start_time": 1440 * day + 60 * open_hour,
            "end_time": 1440 * day + 60 * close_hour,
        }
        for day in range(1, 6)
    ]


class Zendesk:
    """Collects hand-made rows per connector table."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict]] = {name: [] for name in TABLES}
        self.comment_id = 0

    def ticket(self, ticket_id: int, created: str, status: str, **columns: object) -> None:
        row = {"id": ticket_id, "created_at": t(created), "updated_at": t(created), "status": status}
        row |= {"requester_id": CUSTOMER, "via_channel": "email", "priority": "normal", "type": "question"}
        self.tables["ticket"].append(row | columns)

    def comment(self, ticket_id: int, at: str, user_id: int | None, public: bool, body: str = "text") -> None:
        self.comment_id += 1
        self.tables["ticket_comment"].append(
            {"id": self.comment_id, "ticket_id": ticket_id, "user_id": user_id, "created": t(at)}
            | {"public": public, "body": body}
        )

    def field(self, ticket_id: int, at: str, name: str, value: str | None, user_id: int | None = None) -> None:
        self.tables["ticket_field_history"].append(
            {"ticket_id": ticket_id, "field_name": name, "updated": t(at), "value": value, "user_id": user_id}
        )


def _zendesk_tables() -> Zendesk:
    z = Zendesk()
    z.tables["user"] = [
        {"id": AGENT, "name": "Ada Agent", "role": "agent", "created_at": t("2025-01-01 00:00:00"), "active": True},
        {"id": ADMIN, "name": "Al Admin", "role": "admin", "created_at": t("2025-01-01 00:00:00"), "active": True},
        {"id": CUSTOMER, "name": "Cy", "role": "end-user", "created_at": t("2025-06-01 00:00:00"), "active": True},
        {"id": CUSTOMER_2, "name": "Di", "role": "end-user", "created_at": t("2025-06-01 00:00:00"), "active": True},
    ]
    z.tables["schedule"] = (
        _week(UTC_SCHEDULE, "Round the clock", "UTC", "2019-01-01 00:00:00", 0, 24)
        + _week(PACIFIC, "US West", "Pacific Time (US & Canada)", "2020-01-01 00:00:00", 9, 17)
        + _week(BERLIN, "EMEA", "Berlin", "2020-02-01 00:00:00", 8, 17)
        + _week(ASTANA, "Central Asia", "Astana", "2020-03-01 00:00:00", 9, 18)
    )
    z.tables["schedule_holiday"] = [
        {"id": 1, "schedule_id": BERLIN, "name": "Christmas", "start_date": dt.date(2026, 12, 24)}
        | {"end_date": dt.date(2026, 12, 25)}
    ]

    # 1. Created by an agent: the agent's public comment opens it; the customer answers, the agent replies.
    z.ticket(1, "2026-02-02 10:00:00", "solved")
    z.comment(1, "2026-02-02 10:00:00", AGENT, True)
    z.comment(1, "2026-02-02 11:00:00", CUSTOMER, True)
    z.comment(1, "2026-02-02 12:00:00", AGENT, True)
    z.field(1, "2026-02-02 10:00:00", "status", "new", AGENT)
    z.field(1, "2026-02-02 12:30:00", "status", "solved", AGENT)

    # 2. Internal notes only: the agent never answers publicly.
    z.ticket(2, "2026-02-04 09:00:00", "pending")
    z.comment(2, "2026-02-04 09:00:00", CUSTOMER, True)
    z.comment(2, "2026-02-04 09:10:00", AGENT, False)
    z.comment(2, "2026-02-04 09:20:00", ADMIN, False)
    z.field(2, "2026-02-04 09:00:00", "status", "new")
    z.field(2, "2026-02-04 09:10:00", "status", "pending", AGENT)

    # 3. Reopened after solve: solved, the customer writes back (reopen), solved again, closed by automation.
    z.ticket(3, "2026-02-03 09:00:00", "closed")
    z.comment(3, "2026-02-03 09:00:00", CUSTOMER, True)
    z.comment(3, "2026-02-03 09:30:00", AGENT, True)
    z.field(3, "2026-02-03 09:00:00", "status", "new")
    z.field(3, "2026-02-03 10:00:00", "status", "solved", AGENT)
    z.comment(3, "2026-02-05 08:00:00", CUSTOMER, True)
    z.field(3, "2026-02-05 08:00:00", "status", "open", CUSTOMER)
    z.comment(3, "2026-02-05 09:00:00", ADMIN, True)
    z.field(3, "2026-02-05 09:30:00", "status", "solved", ADMIN)
    z.field(3, "2026-02-09 10:00:00", "status", "closed")

    # 4. Deleted (current status), and 40 deleted since the last sync: both with a quick public reply that would
    #    count if they were kept.
    for ticket_id, status, gone in ((4, "deleted", False), (40, "solved", True)):
        z.ticket(ticket_id, "2026-02-06 09:00:00", status, _fivetran_deleted=gone)
        z.comment(ticket_id, "2026-02-06 09:00:00", CUSTOMER, True)
        z.comment(ticket_id, "2026-02-06 09:05:00", AGENT, True)
        z.field(ticket_id, "2026-02-06 09:00:00", "status", "new")
        z.field(ticket_id, "2026-02-06 09:10:00", "status", "deleted" if status == "deleted" else "solved", AGENT)
        z.field(ticket_id, "2026-02-06 10:00:00", "satisfaction_score", "bad", CUSTOMER)

    # 5. Merged into ticket 3: closed at the merge (11:00) from open, with the private merge note.
    z.ticket(5, "2026-02-10 09:00:00", "closed")
    z.comment(5, "2026-02-10 09:00:00", CUSTOMER_2, True)
    z.field(5, "2026-02-10 09:00:00", "status", "new")
    z.field(5, "2026-02-10 09:05:00", "status", "open", AGENT)
    z.comment(5, "2026-02-10 11:00:00", AGENT, False, "Closed and merged into request #3")
    z.field(5, "2026-02-10 11:00:00", "status", "closed", AGENT)

    # 6. Pacific schedule across the spring change (2026-03-08 02:00 PST -> 03:00 PDT): created Friday 16:00 PST
    #    (2026-03-07 00:00 UTC), answered Monday 10:00 PDT (2026-03-09 17:00 UTC). The schedule is stamped 2 s after
    #    creation; a later move to schedule 600 does not count.
    z.ticket(6, "2026-03-07 00:00:00", "open", requester_id=CUSTOMER_2)
    z.comment(6, "2026-03-07 00:00:00", CUSTOMER_2, True)
    z.comment(6, "2026-03-09 17:00:00", AGENT, True)
    z.tables["ticket_schedule"] += [
        {"ticket_id": 6, "created_at": t("2026-03-07 00:00:02"), "schedule_id": PACIFIC},
        {"ticket_id": 6, "created_at": t("2026-03-08 12:00:00"), "schedule_id": UTC_SCHEDULE},
    ]

    # 7. Pacific schedule across the autumn change (2026-11-01 02:00 PDT -> 01:00 PST): created Friday 16:30 PDT
    #    (2026-10-30 23:30 UTC), answered Monday 09:30 PST (2026-11-02 17:30 UTC).
    z.ticket(7, "2026-10-30 23:30:00", "open")
    z.comment(7, "2026-10-30 23:30:00", CUSTOMER, True)
    z.comment(7, "2026-11-02 17:30:00", AGENT, True)
    z.tables["ticket_schedule"].append({"ticket_id": 7, "created_at": t("2026-10-30 23:30:00"), "schedule_id": PACIFIC})

    # 8. Berlin schedule, a holiday over Thursday 24 and Friday 25 December: created Wednesday 16:00 CET
    #    (2026-12-23 15:00 UTC), answered Monday 09:00 CET (2026-12-28 08:00 UTC).
    z.ticket(8, "2026-12-23 15:00:00", "open")
    z.comment(8, "2026-12-23 15:00:00", CUSTOMER, True)
    z.comment(8, "2026-12-28 08:00:00", AGENT, True)
    z.tables["ticket_schedule"].append({"ticket_id": 8, "created_at": t("2026-12-23 15:00:05"), "schedule_id": BERLIN})
    # Its SLA targets as Zendesk applies them: first reply 480 business minutes, raised to 60 when the priority
    # changed; resolution 2880 calendar minutes, then the policy removed (null); agent work time has no contract
    # metric. The deleted ticket 4 has a target too.
    z.field(8, "2026-12-23 15:00:00", "first_reply_time", '{"minutes": 480, "in_business_hours": true}')
    z.field(8, "2026-12-23 15:00:00", "total_resolution_time", '{"minutes": 2880, "in_business_hours": false}')
    z.field(8, "2026-12-23 15:00:00", "agent_work_time", '{"minutes": 120, "in_business_hours": true}')
    z.field(8, "2026-12-23 15:30:00", "first_reply_time", '{"minutes": 60, "in_business_hours": true}')
    z.field(8, "2026-12-23 15:30:00", "next_reply_time", '{"minutes": 240, "in_business_hours": true}')
    z.field(8, "2026-12-24 09:00:00", "total_resolution_time", None)
    z.field(4, "2026-02-06 09:00:00", "first_reply_time", '{"minutes": 60, "in_business_hours": true}')

    # 9. CSAT offered, rated bad (with a comment), later changed to good.
    z.ticket(9, "2026-12-29 10:00:00", "solved")
    z.comment(9, "2026-12-29 10:00:00", CUSTOMER, True)
    z.comment(9, "2026-12-29 10:30:00", AGENT, True)
    z.field(9, "2026-12-29 10:00:00", "status", "new")
    z.field(9, "2026-12-29 11:00:00", "status", "solved", AGENT)
    z.field(9, "2026-12-29 11:00:00", "satisfaction_score", "offered")
    z.field(9, "2026-12-30 09:00:00", "satisfaction_score", "badwithcomment", CUSTOMER)
    z.field(9, "2026-12-30 09:00:00", "satisfaction_comment", "Too slow", CUSTOMER)
    z.field(9, "2027-01-02 09:00:00", "satisfaction_score", "good", CUSTOMER)

    # 10. The last ticket of the data, created between ticket 9's two ratings: with as_of null the data's as-of
    #     is its creation, 2027-01-01 00:00.
    z.ticket(10, "2027-01-01 00:00:00", "new")

    # 11. Opened by a user the connector has no row for (an unknown author is the customer), answered 15 min later.
    z.ticket(11, "2026-04-01 09:00:00", "open", requester_id=99)
    z.comment(11, "2026-04-01 09:00:00", 99, True)
    z.comment(11, "2026-04-01 09:15:00", AGENT, True)

    # 12. Astana schedule: Rails maps "Astana" to Asia/Almaty, UTC+5 since Kazakhstan's 2024 change (it was
    #     Asia/Dhaka, UTC+6, in older Rails). Created Monday 2026-06-01 03:00 UTC (08:00 local), answered 05:00 UTC
    #     (10:00 local).
    z.ticket(12, "2026-06-01 03:00:00", "open")
    z.comment(12, "2026-06-01 03:00:00", CUSTOMER, True)
    z.comment(12, "2026-06-01 05:00:00", AGENT, True)
    z.tables["ticket_schedule"].append({"ticket_id": 12, "created_at": t("2026-06-01 03:00:01"), "schedule_id": ASTANA})

    # 13. Next-reply breach while pending (default schedule 600: Mon-Fri round the clock, UTC). Monday 2026-09-07:
    #     the customer writes 09:00, the agent answers 09:10 (the first response, never a next reply); the customer
    #     writes again 10:00 and the agent only sets `pending` with an internal note at 10:05. No public reply ever
    #     follows: at the as-of (2027-01-05) the cycle started 10:00 still waits, far past its 60-minute target.
    z.ticket(13, "2026-09-07 09:00:00", "pending")
    z.field(13, "2026-09-07 09:00:00", "next_reply_time", '{"minutes": 60, "in_business_hours": true}')
    z.comment(13, "2026-09-07 09:00:00", CUSTOMER, True)
    z.comment(13, "2026-09-07 09:10:00", AGENT, True)
    z.comment(13, "2026-09-07 10:00:00", CUSTOMER, True)
    z.comment(13, "2026-09-07 10:05:00", AGENT, False, "waiting for the logs")
    z.field(13, "2026-09-07 10:05:00", "status", "pending", AGENT)

    # 14. The same day, a next reply in time: customer 09:00, agent 09:05, customer 11:00, agent 11:30 (30 <= 60).
    z.ticket(14, "2026-09-07 09:00:00", "open", requester_id=CUSTOMER_2)
    z.field(14, "2026-09-07 09:00:00", "next_reply_time", '{"minutes": 60, "in_business_hours": true}')
    z.comment(14, "2026-09-07 09:00:00", CUSTOMER_2, True)
    z.comment(14, "2026-09-07 09:05:00", AGENT, True)
    z.comment(14, "2026-09-07 11:00:00", CUSTOMER_2, True)
    z.comment(14, "2026-09-07 11:30:00", AGENT, True)

    # 100+. One ticket per via_channel value (May 2026), with the channel the sources spec maps it to.
    for n, via in enumerate(VIA_CHANNELS):
        z.ticket(100 + n, f"2026-05-04 09:{n:02d}:00", "open", via_channel=via)
    return z


# via_channel -> contract channel, as the sources spec lists them (values are lower-cased and trimmed first).
VIA_CHANNELS = {
    "email": "email",
    " Email ": "email",
    "web": "web",
    "web_form": "web",
    "web_widget": "web",
    "help_center": "web",
    "chat": "chat",
    "chat_transcript": "chat",
    "native_messaging": "chat",
    "voice": "phone",
    "voice_inbound": "phone",
    "phone_call_outbound": "phone",
    "mobile": "messaging",
    "mobile_sdk": "messaging",
    "sdk": "messaging",
    "whatsapp": "messaging",
    "line": "messaging",
    "wechat": "messaging",
    "sms": "messaging",
    "twitter": "social",
    "facebook": "social",
    "instagram_dm": "social",
    "twitter_dm": "social",
    "facebook_post": "social",
    "api": "other",
    "rule": "other",
    "closed_ticket": "other",
    "merge": "other",
    "voicemail": "other",  # not voice_*: the pattern needs the underscore
}  # (a null via_channel never reaches the adapter: the loader quarantines the row, a required column)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("zendesk_traps")
    write_tables(work / "tables", _zendesk_tables().tables)
    built = work / "traps.duckdb"
    load_zendesk_tables(work / "tables", built)
    run_dbt(["build"], warehouse=built, dbt_vars={"source": "zendesk", "as_of": AS_OF}, target_dir=work / "t")
    return built


def _tickets(warehouse: Path, columns: str) -> dict[str, tuple]:
    return {row[0]: tuple(row[1:]) for row in query(warehouse, f"select ticket_id, {columns} from main.fct_tickets")}


def _kpi(warehouse: Path, kpi_id: str, period: str) -> tuple:
    ((value, sample),) = query(
        warehouse,
        "select value, sample_size from main.kpi_values where kpi_id = ? and grain = 'month'"
        " and cast(period_start as varchar) = ? and dimension = 'all'",
        [kpi_id, period],
    )
    return value, sample


def test_via_channel_maps_to_the_contract_channel(warehouse: Path) -> None:
    channels = _tickets(warehouse, "channel")
    assert {via: channels[str(100 + n)][0] for n, via in enumerate(VIA_CHANNELS)} == VIA_CHANNELS


def test_agent_created_ticket_is_out_of_first_response(warehouse: Path) -> None:
    tickets = _tickets(warehouse, "is_agent_initiated")
    assert tickets["1"] == (True,)
    assert {ticket for ticket, (flag,) in tickets.items() if flag} == {"1"}
    # February's customer-initiated tickets: 2 (no public reply), 3 (replied 09:00 -> 09:30 = 30 min), 5 (merged,
    # no public reply); 4 and 40 are deleted. Ticket 1 would add 0 min (its own opening comment) or 120 min.
    assert _kpi(warehouse, "first_response_time_median_minutes", "2026-02-01") == (30.0, 1)
    assert _kpi(warehouse, "first_response_time_avg_minutes", "2026-02-01") == (30.0, 1)


def test_internal_notes_only_is_no_first_response(warehouse: Path) -> None:
    assert _tickets(warehouse, "first_response_at, public_agent_reply_count, is_agent_initiated")["2"] == (
        None,
        0,
        False,
    )


def test_who_acted_comes_from_the_user_s_current_role(warehouse: Path) -> None:
    # Ticket 3: comments by the customer (end-user), the agent and the admin; status set by the agent (solved), the
    # customer (the reopen), the admin (solved again) and no user (the automation's close, and the creation row).
    events = query(
        warehouse,
        "select event_type, actor_type, count(*) from staging.stg_ticket_events where ticket_id = '3' group by all",
    )
    assert sorted(events) == [
        ("message", "agent", 2),
        ("message", "customer", 2),
        ("status_change", "agent", 2),
        ("status_change", "customer", 1),
        ("status_change", "system", 2),
    ]
    # Ticket 11: the opening comment's author (user 99) has no user row: a customer, so the ticket is
    # customer-initiated and the agent's reply 15 min later is its first response.
    assert _tickets(warehouse, "is_agent_initiated, first_response_minutes")["11"] == (False, 15.0)


def test_reopen_after_solve(warehouse: Path) -> None:
    # First solve 2026-02-03 10:00 (1 h after creation at 09:00); reopened 02-05 08:00; solved again 02-05 09:30
    # = 2 days 0.5 h = 48.5 h after creation; the automation's close after a solve is not a solve.
    row = _tickets(warehouse, "reopen_count, solve_count, first_resolution_hours, full_resolution_hours")["3"]
    assert row == (1, 2, 1.0, 48.5)
    # Of February's first solves (1 on 02-02, 3 on 02-03, 5 on 02-10) one was reopened: 1 / 3 x 100.
    value, sample = _kpi(warehouse, "reopen_rate_pct", "2026-02-01")
    assert (round(value, 9), sample) == (round(100 / 3, 9), 3)


def test_deleted_tickets_are_left_out_and_counted(warehouse: Path) -> None:
    left_out = dict(query(warehouse, "select ticket_id, reason from staging.stg_zendesk__tickets_left_out"))
    assert left_out == {"4": "status_deleted", "40": "fivetran_deleted"}
    kept = {"1", "2", "3", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"}
    kept |= {str(100 + n) for n in range(len(VIA_CHANNELS))}
    assert set(_tickets(warehouse, "status")) == kept
    # February: tickets 1, 2, 3, 5 (4 and 40 left out).
    assert _kpi(warehouse, "tickets_created", "2026-02-01") == (4.0, 4)
    rated = {ticket for (ticket,) in query(warehouse, "select ticket_id from main.fct_survey_responses")}
    assert rated == {"9"}


def test_merged_ticket_is_solved_at_the_merge(warehouse: Path) -> None:
    # Closed from open at 11:00, created 09:00: a solve, 2 h; the private merge note is not a reply.
    row = _tickets(warehouse, "status, first_resolved_at, first_resolution_hours, first_response_at, reopen_count")
    assert row["5"] == ("closed", t("2026-02-10 11:00:00"), 2.0, None, 0)


def test_business_first_response_across_dst_changes(warehouse: Path) -> None:
    rows = _tickets(warehouse, "schedule_id, first_response_minutes, business_first_response_minutes")
    # Ticket 6: calendar 2026-03-07 00:00 -> 03-09 17:00 = 2 d 17 h = 65 h = 3900 min. Business: Friday 16:00-17:00
    # PST = 60, Monday 09:00-10:00 PDT = 60 -> 120 (a fixed PST offset would put the reply at 09:00: 60).
    assert rows["6"] == ("601", 3900.0, 120.0)
    # Ticket 7: calendar 2026-10-30 23:30 -> 11-02 17:30 = 2 d 18 h = 66 h = 3960 min. Business: Friday 16:30-17:00
    # PDT = 30, Monday 09:00-09:30 PST = 30 -> 60 (a fixed PDT offset would put the reply at 10:30: 120).
    assert rows["7"] == ("601", 3960.0, 60.0)
    # Tickets without a ticket_schedule row run on the earliest created schedule.
    assert rows["3"][0] == "600"
    zone = query(warehouse, "select distinct timezone from staging.stg_business_schedules where schedule_id = '601'")
    assert zone == [("America/Los_Angeles",)]


def test_a_zone_rails_moved(warehouse: Path) -> None:
    # Ticket 12: open from 09:00 local = 04:00 UTC; 04:00-05:00 UTC = 60 business minutes (UTC+6 would open at
    # 03:00 UTC and count 120); calendar 03:00 -> 05:00 = 120.
    assert _tickets(warehouse, "schedule_id, first_response_minutes, business_first_response_minutes")["12"] == (
        "603",
        120.0,
        60.0,
    )


def test_holiday_spanning_two_days(warehouse: Path) -> None:
    # Ticket 8: Wednesday 16:00-17:00 CET = 60, Thursday 24 and Friday 25 are the holiday (0), the weekend is
    # closed, Monday 08:00-09:00 = 60 -> 120 (9 h x 2 = 1080 more without the holiday). Calendar: 2026-12-23 15:00
    # -> 12-28 08:00 = 4 d 17 h = 113 h = 6780 min.
    assert _tickets(warehouse, "schedule_id, first_response_minutes, business_first_response_minutes")["8"] == (
        "602",
        6780.0,
        120.0,
    )
    days = query(warehouse, "select schedule_id, cast(holiday_date as varchar) from staging.stg_holidays order by 2")
    assert days == [("602", "2026-12-24"), ("602", "2026-12-25")]


def test_sla_targets_from_the_field_history(warehouse: Path) -> None:
    # Ticket 8's five SLA rows minus agent_work_time (no contract metric) and the null resolution value (policy
    # removed); ticket 4 is deleted (none of its rows at all).
    rows = query(
        warehouse,
        "select ticket_id, metric, target_minutes, business_hours, applied_at"
        " from staging.stg_zendesk__ticket_sla_targets where ticket_id = '8' order by metric, applied_at",
    )
    assert not query(warehouse, "select 1 from staging.stg_zendesk__ticket_sla_targets where ticket_id = '4'")
    assert rows == [
        ("8", "first_response", 480.0, True, t("2026-12-23 15:00:00")),
        ("8", "first_response", 60.0, True, t("2026-12-23 15:30:00")),
        ("8", "next_response", 240.0, True, t("2026-12-23 15:30:00")),
        ("8", "resolution", 2880.0, False, t("2026-12-23 15:00:00")),
    ]


def test_an_sla_target_changed_mid_life_decides_by_the_one_in_force_at_the_reply(warehouse: Path) -> None:
    # Ticket 8, Berlin 08:00-17:00, holiday Thu 24 + Fri 25 Dec: created Wed 16:00 CET, first reply Mon 28 Dec 09:00
    # CET = Wed 16:00-17:00 (60) + Mon 08:00-09:00 (60) = 120 business minutes. The first-reply target was 480 at
    # creation and 60 from 15:30 UTC that day, before the reply: 60 decides, 120 > 60, breached (480 would be met).
    # Resolution: 2880 calendar minutes (the later null row removes nothing); unsolved at the as-of, 2027-01-05
    # 00:00, which is 12 days 9 hours = 17,820 minutes after creation > 2880: breached.
    tickets = _tickets(
        warehouse,
        "business_first_response_minutes, first_response_target_minutes, first_response_target_source,"
        " first_response_sla_status, resolution_target_minutes, resolution_sla_status",
    )
    assert tickets["8"] == (120.0, 60.0, "ticket", "breached", 2880.0, "breached")


def test_a_next_reply_breaches_while_the_ticket_is_pending(warehouse: Path) -> None:
    # Tickets 13 and 14 (September 2026): each ticket's first cycle is its first response, not a next reply.
    # Ticket 13's second cycle (10:00) never got a public reply, only an internal note and `pending`: waiting past
    # its 60 minutes at the as-of, breached. Ticket 14's second cycle was answered in 30 minutes: met.
    cycles = query(
        warehouse,
        "select ticket_id, cycle_number, next_response_sla_status from main.fct_next_replies"
        " where ticket_id in ('13', '14') order by ticket_id, cycle_number",
    )
    assert [(ticket, status) for ticket, _, status in cycles] == [("13", "breached"), ("14", "met")]
    # met / (met + breached) x 100 = 1 / 2 x 100.
    assert _kpi(warehouse, "sla_next_response_attainment_pct", "2026-09-01") == (50.0, 2)


def test_csat_bad_then_good_is_one_survey_the_latest_rating(warehouse: Path) -> None:
    # As of 2027-01-05: the good rating of 2027-01-02 counts (score 1 on 0-1); `offered` is no response; the
    # comment belongs to the bad rating, not to this one.
    responses = query(
        warehouse,
        "select r.ticket_id, r.score, r.scale_min, r.scale_max, r.responded_at, s.comment"
        " from main.fct_survey_responses r join staging.stg_surveys s using (response_id)",
    )
    assert responses == [("9", 1, 0, 1, t("2027-01-02 09:00:00"), None)]


@pytest.mark.parametrize("as_of", AS_OF_BETWEEN_RATINGS)
def test_csat_as_of_between_the_ratings_is_the_bad_one(as_of: str | None, warehouse: Path, tmp_path: Path) -> None:
    between = tmp_path / "between.duckdb"
    shutil.copy(warehouse, between)
    run_dbt(
        ["run", "--select", "stg_zendesk__surveys+"],
        warehouse=between,
        dbt_vars={"source": "zendesk", "as_of": as_of},
        target_dir=tmp_path / "t",
        quiet=True,
    )
    responses = query(
        between,
        "select r.ticket_id, r.score, r.responded_at, s.comment"
        " from main.fct_survey_responses r join staging.stg_surveys s using (response_id)",
    )
    assert responses == [("9", 0, t("2026-12-30 09:00:00"), "Too slow")]
