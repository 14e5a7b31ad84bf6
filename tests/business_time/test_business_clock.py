"""Business time: the dbt business clock and its macros against the independent Python reference.

The warehouse is loaded and built once per session (real loader, real `dbt build` of the business-time models
and their parents). Each hypothesis example then rewrites the raw configuration tables and re-runs the
models' compiled SQL (dbt's own output, read from its manifest) in dependency order, and the readings and
deadlines macros run as compiled once by `dbt compile --inline`: the SQL under test is the project's, not a
copy. Deadlines run in both implementations: DuckDB's as-of join and the portable default (range join).
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference_business import (
    OpeningRow,
    Schedule,
    business_seconds,
    business_seconds_by_walking,
    deadline,
    deadline_by_walking,
    open_pieces,
)
from reference_business.interval_arithmetic import constant_offset_spans
from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN
from support_kpis.dbt_runner import dbt_command, dbt_environment, run_dbt
from support_kpis.loading import load_folder
from support_kpis.settings import PROJECT_ROOT

ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "UTC",
)
FIRST_DAY = datetime(2025, 1, 1)
LAST_DAY = datetime(2027, 6, 30)

# Tables the configuration feeds, in dependency order; staging models are views and need no rebuild.
REBUILT_MODELS = (
    "int_reporting_bounds_computed",
    "int_business_schedules_selected",
    "int_holidays_selected",
    "int_sla_policies_selected",
    "int_business_clock_schedules",
    "int_business_schedule_hours",
    "int_business_time_zone_offsets",
    "int_business_clock_intervals",
    "int_business_clock_days",
)
PROBE_TABLE = "main.business_time_probe"
PROBE_QUERIES = {
    "readings": "{{ business_clock_readings(PROBE, 'probe_id', 'schedule_id', ['start_at', 'end_at']) }}",
    "deadlines": (
        "{{ business_clock_deadlines(PROBE, 'probe_id', 'schedule_id', 'start_at', {'due_at': 'target_seconds'}) }}"
    ),
    "deadlines_portable": (
        "{{ default__business_clock_deadlines(PROBE, 'probe_id', 'schedule_id', 'start_at',"
        " {'due_at': 'target_seconds'}, []) }}"
    ),
}


def hours_every_day(days: Sequence[int], start: str, end: str) -> tuple[OpeningRow, ...]:
    return tuple(OpeningRow.from_text(day, start, end) for day in days)


WEEKDAYS = (1, 2, 3, 4, 5)
ALL_DAYS = (1, 2, 3, 4, 5, 6, 7)

HAND_SCHEDULES: dict[str, Schedule] = {
    "ny_office": Schedule("America/New_York", hours_every_day(WEEKDAYS, "09:00", "17:00")),
    # Sunday 01:00-03:00 holds New York's skipped (2026-03-08) and repeated (2026-11-01) hour.
    "ny_night": Schedule("America/New_York", (OpeningRow.from_text(7, "01:00", "03:00"),)),
    "london_office": Schedule(
        "Europe/London",
        hours_every_day(WEEKDAYS, "09:00", "17:00"),
        frozenset({date(2026, 4, 3), date(2026, 4, 6)}),
    ),
    # Sunday 00:30-02:30 holds London's skipped (2026-03-29, 01:00-02:00) and repeated (2026-10-25, 01:00-02:00) hour.
    "london_night": Schedule("Europe/London", (OpeningRow.from_text(7, "00:30", "02:30"),)),
    "sydney_office": Schedule("Australia/Sydney", hours_every_day(WEEKDAYS, "09:00", "17:00")),
    # Sunday 01:30-03:30 holds Sydney's repeated (2026-04-05, 02:00-03:00) and skipped (2026-10-04, 02:00-03:00) hour.
    "sydney_night": Schedule("Australia/Sydney", (OpeningRow.from_text(7, "01:30", "03:30"),)),
    "always_on_ny": Schedule("America/New_York", hours_every_day(ALL_DAYS, "00:00", "24:00")),
    # A split Monday running to 24:00, continued by Tuesday 00:00-02:00 (a shift across midnight).
    "kolkata_split": Schedule(
        "Asia/Kolkata",
        (
            OpeningRow.from_text(1, "08:00", "12:00"),
            OpeningRow.from_text(1, "13:00", "24:00"),
            OpeningRow.from_text(2, "00:00", "02:00"),
        ),
    ),
    # A zone the engine does not know: the schedule gets no clock.
    "bogus": Schedule("Mars/Olympus_Mons", hours_every_day(WEEKDAYS, "09:00", "17:00")),
}
HAND_SPAN = (datetime(2025, 12, 1), datetime(2026, 12, 31))


@dataclass(frozen=True)
class Probe:
    probe_id: int
    schedule_id: str
    start_at: datetime
    end_at: datetime
    target_seconds: float | None = None


# ---------------------------------------------------------------------------------------------------------------
# The warehouse


@dataclass
class ClockWarehouse:
    con: duckdb.DuckDBPyConnection
    rebuilds: list[tuple[str, str]]  # (relation, compiled select) in dependency order
    queries: dict[str, str]  # probe query name -> compiled select

    def configure(
        self,
        schedules: Mapping[str, Schedule] | None,
        first_at: datetime,
        as_of_at: datetime,
        sla_policies: Sequence[tuple[str, str, float, float, bool]] = (),
    ) -> None:
        """Replace the user's configuration (empty: no file, the seed applies) and the activity span; rebuild."""
        con = self.con
        for table in ("business_schedules", "holidays", "sla_policies", "tickets", "ticket_events"):
            con.execute(f"delete from raw.{table}")
        schedule_rows, holiday_rows = _configuration_rows(schedules or {})
        if schedule_rows:
            con.executemany(
                "insert into raw.business_schedules (schedule_id, timezone, day_of_week, start_time, end_time,"
                f" {SOURCE_FILE_COLUMN}, {SOURCE_ROW_COLUMN}) values (?, ?, ?, ?, ?, 'business_schedules.csv', ?)",
                [(*row, number + 2) for number, row in enumerate(schedule_rows)],
            )
        if holiday_rows:
            con.executemany(
                f"insert into raw.holidays (schedule_id, holiday_date, name, {SOURCE_FILE_COLUMN},"
                f" {SOURCE_ROW_COLUMN}) values (?, ?, 'holiday', 'holidays.csv', ?)",
                [(*row, number + 2) for number, row in enumerate(holiday_rows)],
            )
        if sla_policies:
            con.executemany(
                "insert into raw.sla_policies (priority, channel, first_response_minutes, resolution_minutes,"
                f" business_hours, {SOURCE_FILE_COLUMN}, {SOURCE_ROW_COLUMN})"
                " values (?, ?, ?, ?, ?, 'sla_policies.csv', ?)",
                [(*row, number + 2) for number, row in enumerate(sla_policies)],
            )
        # Two tickets set the activity span: the clock runs from the first to the as-of time (plus horizon).
        con.executemany(
            "insert into raw.tickets (ticket_id, created_at, channel, status,"
            f" {SOURCE_FILE_COLUMN}, {SOURCE_ROW_COLUMN}) values (?, ?, 'email', 'open', 'tickets.csv', ?)",
            [("first", first_at, 2), ("last", as_of_at, 3)],
        )
        for relation, select in self.rebuilds:
            con.execute(f"create or replace table {relation} as {select}")

    def _run_probes(self, query: str, probes: Sequence[Probe]) -> list[tuple[Any, ...]]:
        self.con.execute(f"delete from {PROBE_TABLE}")
        self.con.executemany(
            f"insert into {PROBE_TABLE} values (?, ?, ?, ?, ?)",
            [(p.probe_id, p.schedule_id, p.start_at, p.end_at, p.target_seconds) for p in probes],
        )
        return self.con.execute(f"select * from ({self.queries[query]}) as probed order by 1").fetchall()

    def durations(self, probes: Sequence[Probe]) -> dict[int, float | None]:
        """Business seconds start -> end of each probe, as reading(end) - reading(start)."""
        rows = self._run_probes("readings", probes)
        return {key: None if start is None or end is None else end - start for key, start, end in rows}

    def deadlines(self, probes: Sequence[Probe], portable: bool = False) -> dict[int, datetime | None]:
        rows = self._run_probes("deadlines_portable" if portable else "deadlines", probes)
        return {key: due_at for key, due_at in rows}

    def coverage(self, schedule_id: str) -> tuple[datetime, datetime] | None:
        rows = self.con.execute(
            "select covered_from_at, covered_to_at from intermediate.int_business_clock_schedules"
            " where schedule_id = ?",
            [schedule_id],
        ).fetchall()
        return None if not rows else (rows[0][0], rows[0][1])

    def scalar(self, sql: str) -> Any:
        rows = self.con.execute(sql).fetchall()
        assert len(rows) == 1
        return rows[0][0]


def _configuration_rows(
    schedules: Mapping[str, Schedule],
) -> tuple[list[tuple[str, str, int, str, str]], list[tuple[str, date]]]:
    schedule_rows = [
        (schedule_id, schedule.timezone, row.day_of_week, row.start_time, row.end_time)
        for schedule_id, schedule in schedules.items()
        for row in schedule.rows
    ]
    holiday_rows = [
        (schedule_id, holiday) for schedule_id, schedule in schedules.items() for holiday in sorted(schedule.holidays)
    ]
    return schedule_rows, holiday_rows


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _compile_probe_queries(warehouse: Path, target_dir: Path) -> dict[str, str]:
    """Compile the macros once, all queries in one `dbt compile --inline`, split on markers."""
    inline = "\n".join(
        f"/* probe:{name} */\n{text.replace('PROBE', repr(PROBE_TABLE))}" for name, text in PROBE_QUERIES.items()
    )
    completed = subprocess.run(
        dbt_command(["compile", "--quiet", "--inline", inline]),
        cwd=PROJECT_ROOT,
        env=dbt_environment(warehouse, target_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    parts = re.split(r"/\* probe:(\w+) \*/", completed.stdout)
    queries = {name: sql.strip() for name, sql in zip(parts[1::2], parts[2::2], strict=True)}
    assert set(queries) == set(PROBE_QUERIES)
    return queries


def _compiled_models(target_dir: Path) -> list[tuple[str, str]]:
    manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    by_name = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    rebuilds = []
    for name in REBUILT_MODELS:
        node = by_name[name]
        assert node["config"]["materialized"] == "table", f"{name} is expected to be a table"
        assert node.get("compiled_code"), f"{name} was not compiled by the session's dbt build"
        rebuilds.append((node["relation_name"], node["compiled_code"]))
    return rebuilds


@pytest.fixture(scope="session")
def clock_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClockWarehouse]:
    work = tmp_path_factory.mktemp("business-time")
    data = work / "data"
    data.mkdir()
    _write_csv(
        data / "tickets.csv",
        ["ticket_id", "created_at", "channel", "status"],
        [["first", HAND_SPAN[0].isoformat(), "email", "open"], ["last", HAND_SPAN[1].isoformat(), "email", "open"]],
    )
    _write_csv(data / "ticket_events.csv", ["event_id", "ticket_id", "occurred_at", "event_type", "actor_type"], [])
    schedule_rows, holiday_rows = _configuration_rows(HAND_SCHEDULES)
    _write_csv(
        data / "business_schedules.csv",
        ["schedule_id", "timezone", "day_of_week", "start_time", "end_time"],
        schedule_rows,
    )
    _write_csv(
        data / "holidays.csv",
        ["schedule_id", "holiday_date", "name"],
        [(schedule_id, day.isoformat(), "holiday") for schedule_id, day in holiday_rows],
    )
    warehouse = work / "business_time.duckdb"
    target_dir = work / "target"
    load_folder(data, warehouse)
    run_dbt(
        ["build", "--select", "+path:models/intermediate/business_time +int_sla_policies_selected"],
        warehouse=warehouse,
        target_dir=target_dir,
        quiet=True,
    )
    rebuilds = _compiled_models(target_dir)  # before the next dbt command rewrites the manifest
    queries = _compile_probe_queries(warehouse, target_dir)
    con = duckdb.connect(str(warehouse))
    con.execute(
        f"create table {PROBE_TABLE} (probe_id integer, schedule_id varchar, start_at timestamp,"
        " end_at timestamp, target_seconds double)"
    )
    try:
        yield ClockWarehouse(con, rebuilds, queries)
    finally:
        con.close()


def _assert_readings_agree(
    warehouse: ClockWarehouse, probes: Sequence[Probe], expected: Mapping[int, float | None]
) -> None:
    actual = warehouse.durations(probes)
    wrong = {key: (actual[key], expected[key]) for key in expected if actual[key] != expected[key]}
    assert not wrong, f"business seconds (actual, expected): {wrong}"


def _assert_deadlines_agree(
    warehouse: ClockWarehouse, probes: Sequence[Probe], expected: Mapping[int, datetime | None]
) -> None:
    for portable in (False, True):
        actual = warehouse.deadlines(probes, portable=portable)
        wrong = {key: (actual[key], expected[key]) for key in expected if actual[key] != expected[key]}
        assert not wrong, f"{'portable' if portable else 'duckdb'} deadlines (actual, expected): {wrong}"


# ---------------------------------------------------------------------------------------------------------------
# Hand cases: expected values worked out by hand in the comments


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


HAND_DURATIONS: list[tuple[str, str, str, float]] = [
    # Fri 2026-03-06 12:00 EST (17:00Z) -> Mon 2026-03-09 12:00 EDT (16:00Z), across the spring-forward weekend:
    # Fri 12-17 = 5 h + Mon 09-12 = 3 h = 8 h = 28800 s (the calendar span is only 71 h).
    ("ny_office", "2026-03-06 17:00", "2026-03-09 16:00", 28800),
    # Fri 2026-10-30 12:00 EDT (16:00Z) -> Mon 2026-11-02 12:00 EST (17:00Z), across fall-back: 5 h + 3 h = 28800 s.
    ("ny_office", "2026-10-30 16:00", "2026-11-02 17:00", 28800),
    # The whole local Sunday 2026-03-08 (05:00Z -> next 04:00Z, 23 h): 01:00-02:00 EST = 06:00-07:00Z is open,
    # 02:00-03:00 does not exist: 3600 s.
    ("ny_night", "2026-03-08 05:00", "2026-03-09 04:00", 3600),
    # Local Sunday 2026-11-01 (04:00Z -> next 05:00Z, 25 h): 01:00-02:00 EDT = 05:00-06:00Z, 01:00-02:00 EST =
    # 06:00-07:00Z, 02:00-03:00 EST = 07:00-08:00Z: 3 h = 10800 s.
    ("ny_night", "2026-11-01 04:00", "2026-11-02 05:00", 10800),
    # London Sunday 2026-03-29 (00:00Z -> 23:00Z): 00:30-01:00 GMT = 00:30-01:00Z, 01:00-02:00 skipped,
    # 02:00-02:30 BST = 01:00-01:30Z: 30 + 30 min = 3600 s.
    ("london_night", "2026-03-29 00:00", "2026-03-29 23:00", 3600),
    # London Sunday 2026-10-25 (10-24 23:00Z -> 10-26 00:00Z): 00:30-01:00 BST = 23:30-00:00Z, 01:00-02:00 BST =
    # 00:00-01:00Z, 01:00-02:00 GMT = 01:00-02:00Z, 02:00-02:30 GMT = 02:00-02:30Z: 30+60+60+30 min = 10800 s.
    ("london_night", "2026-10-24 23:00", "2026-10-26 00:00", 10800),
    # Sydney Sunday 2026-04-05 (04-04 13:00Z -> 04-05 14:00Z): 01:30-02:00 AEDT = 14:30-15:00Z, 02:00-03:00 AEDT =
    # 15:00-16:00Z, 02:00-03:00 AEST = 16:00-17:00Z, 03:00-03:30 AEST = 17:00-17:30Z: 3 h = 10800 s.
    ("sydney_night", "2026-04-04 13:00", "2026-04-05 14:00", 10800),
    # Sydney Sunday 2026-10-04 (10-03 14:00Z -> 10-04 13:00Z): 01:30-02:00 AEST = 15:30-16:00Z, 02:00-03:00
    # skipped, 03:00-03:30 AEDT = 16:00-16:30Z: 3600 s.
    ("sydney_night", "2026-10-03 14:00", "2026-10-04 13:00", 3600),
    # Sydney Fri 2026-10-02 12:00 AEST (02:00Z) -> Mon 2026-10-05 12:00 AEDT (01:00Z): 5 h + 3 h = 28800 s.
    ("sydney_office", "2026-10-02 02:00", "2026-10-05 01:00", 28800),
    # Sydney Fri 2026-04-03 12:00 AEDT (01:00Z) -> Mon 2026-04-06 12:00 AEST (02:00Z): 5 h + 3 h = 28800 s.
    ("sydney_office", "2026-04-03 01:00", "2026-04-06 02:00", 28800),
    # London Fri 2026-10-23 12:00 BST (11:00Z) -> Mon 2026-10-26 12:00 GMT (12:00Z): 5 h + 3 h = 28800 s.
    ("london_office", "2026-10-23 11:00", "2026-10-26 12:00", 28800),
    # London Thu 2026-04-02 12:00 BST (11:00Z) -> Tue 2026-04-07 12:00 BST (11:00Z), Good Friday and Easter Monday
    # are holidays: Thu 12-17 = 5 h + Tue 09-12 = 3 h = 28800 s.
    ("london_office", "2026-04-02 11:00", "2026-04-07 11:00", 28800),
    # Starting and ending outside hours: Mon 2026-01-05 06:00 EST (11:00Z) -> Tue 2026-01-06 20:00 EST
    # (01-07 01:00Z): Mon 8 h + Tue 8 h = 57600 s.
    ("ny_office", "2026-01-05 11:00", "2026-01-07 01:00", 57600),
    # Both ends in the same closed weekend: 0 s.
    ("ny_office", "2026-01-10 10:00", "2026-01-11 20:00", 0),
    # Zero length inside hours (Wed 10:00 EST): 0 s.
    ("ny_office", "2026-01-07 15:00", "2026-01-07 15:00", 0),
    # Reversed: end before start gives the negative of the forward interval (first case): -28800 s.
    ("ny_office", "2026-03-09 16:00", "2026-03-06 17:00", -28800),
    # 24/7 equals calendar time, across spring-forward: 2026-03-07 12:00Z -> 03-09 12:00Z = 48 h = 172800 s.
    ("always_on_ny", "2026-03-07 12:00", "2026-03-09 12:00", 172800),
    # ... and across fall-back: 2026-10-31 12:00Z -> 11-02 12:00Z = 172800 s.
    ("always_on_ny", "2026-10-31 12:00", "2026-11-02 12:00", 172800),
    # ... and across a year: 2026-01-01 -> 2026-12-31 = 364 days * 86400 = 31449600 s.
    ("always_on_ny", "2026-01-01 00:00", "2026-12-31 00:00", 31449600),
    # Kolkata (UTC+05:30) Mon 2026-03-02 00:00 IST (03-01 18:30Z) -> Tue 2026-03-03 12:00 IST (06:30Z):
    # Mon 08-12 = 4 h + 13-24 = 11 h + Tue 00-02 = 2 h = 17 h = 61200 s.
    ("kolkata_split", "2026-03-01 18:30", "2026-03-03 06:30", 61200),
    # Sub-second instants: Wed 2026-01-07 14:00:00.25Z (09:00:00.25 EST) -> 14:00:01.75Z: 1.5 s.
    ("ny_office", "2026-01-07 14:00:00.250000", "2026-01-07 14:00:01.750000", 1.5),
]


@pytest.mark.slow
def test_hand_durations(clock_warehouse: ClockWarehouse) -> None:
    clock_warehouse.configure(HAND_SCHEDULES, *HAND_SPAN)
    probes = [Probe(n, s, utc(a), utc(b)) for n, (s, a, b, _) in enumerate(HAND_DURATIONS)]
    expected = {n: seconds for n, (*_, seconds) in enumerate(HAND_DURATIONS)}
    _assert_readings_agree(clock_warehouse, probes, expected)
    # The reference agrees with the hand arithmetic too.
    for probe in probes:
        assert (
            business_seconds(HAND_SCHEDULES[probe.schedule_id], probe.start_at, probe.end_at)
            == expected[probe.probe_id]
        )


HAND_DEADLINES: list[tuple[str, str, float, str | None]] = [
    # Fri 2026-03-06 16:00 EST (21:00Z) + 2 h: Fri 16-17 gives 1 h, Mon 03-09 09:00-10:00 EDT the other:
    # 10:00 EDT = 14:00Z.
    ("ny_office", "2026-03-06 21:00", 7200, "2026-03-09 14:00"),
    # Target 0: the start itself, even outside hours.
    ("ny_office", "2026-01-10 10:00", 0, "2026-01-10 10:00"),
    # From Sat 2026-01-10 + 8 h: all of Mon 01-12 09-17 EST, reached at its very end 17:00 EST = 22:00Z
    # (not at Tuesday's opening).
    ("ny_office", "2026-01-10 10:00", 28800, "2026-01-12 22:00"),
    # Thu 2026-04-02 16:00 BST (15:00Z) + 2 h: Thu 16-17 = 1 h; Fri and Mon are holidays; Tue 09-10 BST:
    # 10:00 BST = 09:00Z on 04-07.
    ("london_office", "2026-04-02 15:00", 7200, "2026-04-07 09:00"),
    # Sydney Sunday 2026-04-05 from 01:30 AEDT (04-04 14:30Z) + 2 h: 01:30-02:00 AEDT (30 min), 02:00-03:00 AEDT
    # (60 min), then 30 min of the repeated 02:00-03:00 AEST (16:00Z on): 16:30Z.
    ("sydney_night", "2026-04-04 14:30", 7200, "2026-04-04 16:30"),
    # 24/7: calendar time, 1 h after 2026-03-08 06:30Z (01:30 EST) is 07:30Z (03:30 EDT).
    ("always_on_ny", "2026-03-08 06:30", 3600, "2026-03-08 07:30"),
    # Negative target: no deadline.
    ("ny_office", "2026-01-05 15:00", -60, None),
    # 10 years of business time: beyond the clock's horizon, no deadline.
    ("always_on_ny", "2026-01-05 15:00", 10 * 365 * 86400, None),
    # An unknown zone: the schedule has no clock, no deadline.
    ("bogus", "2026-01-05 15:00", 60, None),
    # A schedule nobody defined: no deadline.
    ("nowhere", "2026-01-05 15:00", 60, None),
]


@pytest.mark.slow
def test_hand_deadlines(clock_warehouse: ClockWarehouse) -> None:
    clock_warehouse.configure(HAND_SCHEDULES, *HAND_SPAN)
    probes = [Probe(n, s, utc(a), utc(a), target) for n, (s, a, target, _) in enumerate(HAND_DEADLINES)]
    expected = {n: None if due is None else utc(due) for n, (*_, due) in enumerate(HAND_DEADLINES)}
    _assert_deadlines_agree(clock_warehouse, probes, expected)


@pytest.mark.slow
def test_unknown_schedules_and_instants_outside_the_clock_read_null(clock_warehouse: ClockWarehouse) -> None:
    clock_warehouse.configure(HAND_SCHEDULES, *HAND_SPAN)
    # Hand span 2025-12-01 .. 2026-12-31; UTC-5 makes the local dates 2025-11-30 and 2026-12-30, so the clock runs
    # over local dates 2025-11-28 .. 2026-12-30 + 400 days = 2028-02-03; readings from 2025-11-29 00:00Z to
    # 2028-02-03 00:00Z (excluded).
    assert clock_warehouse.coverage("ny_office") == (datetime(2025, 11, 29), datetime(2028, 2, 3))
    assert clock_warehouse.coverage("bogus") is None
    probes = [
        Probe(1, "bogus", utc("2026-01-05 15:00"), utc("2026-01-06 15:00")),
        Probe(2, "nowhere", utc("2026-01-05 15:00"), utc("2026-01-06 15:00")),
        Probe(3, "ny_office", utc("2025-11-28 23:59:59"), utc("2026-01-06 15:00")),
        Probe(4, "ny_office", utc("2026-01-05 15:00"), utc("2028-02-03 00:00")),
        # Just inside both edges: Mon 2025-12-01 .. Wed 2028-02-02 09:00-17:00 EST, counted by the reference.
        Probe(5, "ny_office", utc("2025-11-29 00:00"), utc("2028-02-02 23:59:59")),
    ]
    expected: dict[int, float | None] = {1: None, 2: None, 3: None, 4: None}
    expected[5] = business_seconds(HAND_SCHEDULES["ny_office"], probes[4].start_at, probes[4].end_at)
    _assert_readings_agree(clock_warehouse, probes, expected)
    assert clock_warehouse.scalar(
        "select count(*) from intermediate.int_business_schedules_selected"
        " where schedule_id = 'bogus' and not is_usable and not is_known_timezone"
    ) == len(WEEKDAYS)


@pytest.mark.slow
def test_seeds_apply_without_user_files(clock_warehouse: ClockWarehouse) -> None:
    clock_warehouse.configure(None, datetime(2025, 6, 1), datetime(2026, 6, 1))
    assert (
        clock_warehouse.scalar(
            "select string_agg(distinct schedule_id, ',' order by schedule_id)"
            " from intermediate.int_business_schedules_selected where config_source = 'seed' and is_usable"
        )
        == "always_on,americas,apac,default,emea"
    )
    assert clock_warehouse.scalar("select count(*) from intermediate.int_sla_policies_selected") == 6
    probes = [
        # emea, London, GMT in December: Wed 2025-12-24 12:00 -> Mon 12-29 12:00: Wed 12-18 = 6 h, Christmas and
        # Boxing Day are holidays, weekend, Mon 08-12 = 4 h: 10 h = 36000 s.
        Probe(1, "emea", utc("2025-12-24 12:00"), utc("2025-12-29 12:00")),
        # americas Friday split shift, Fri 2026-01-09 07:00 -> 18:00 EST (12:00Z -> 23:00Z): 08-12 + 13-17 = 8 h.
        Probe(2, "americas", utc("2026-01-09 12:00"), utc("2026-01-09 23:00")),
        # default Mon-Fri 09-17 UTC: Mon 2026-01-05 00:00Z -> Mon 01-12 00:00Z: 5 * 8 h = 144000 s.
        Probe(3, "default", utc("2026-01-05 00:00"), utc("2026-01-12 00:00")),
        # always_on: calendar time, 2026-03-01 -> 2026-03-02 = 86400 s.
        Probe(4, "always_on", utc("2026-03-01 00:00"), utc("2026-03-02 00:00")),
    ]
    _assert_readings_agree(clock_warehouse, probes, {1: 36000, 2: 28800, 3: 144000, 4: 86400})


@pytest.mark.slow
def test_user_files_replace_the_seeds_but_keep_the_default_schedule(clock_warehouse: ClockWarehouse) -> None:
    # A zone spelt in lower case is still recognised.
    own_emea = Schedule("europe/london", hours_every_day(WEEKDAYS, "09:00", "17:00"))
    clock_warehouse.configure(
        {"emea": own_emea},
        datetime(2025, 6, 1),
        datetime(2026, 6, 1),
        sla_policies=[("high", " Chat ", 10, 600, False)],
    )
    assert (
        clock_warehouse.scalar(
            "select string_agg(distinct timezone, ',') from intermediate.int_business_schedules_selected"
            " where schedule_id = 'emea'"
        )
        == "Europe/London"
    )
    assert clock_warehouse.con.execute(
        "select priority, channel, first_response_target_seconds, resolution_target_seconds, is_business_hours,"
        " config_source from intermediate.int_sla_policies_selected"
    ).fetchall() == [("high", "chat", 600.0, 36000.0, False, "user")]
    assert (
        clock_warehouse.scalar(
            "select string_agg(distinct schedule_id || ':' || config_source, ',' order by schedule_id || ':' ||"
            " config_source) from intermediate.int_business_schedules_selected"
        )
        == "default:seed,emea:user"
    )
    assert clock_warehouse.scalar("select count(*) from intermediate.int_holidays_selected") == 0
    probes = [
        # The user's emea has no holidays: Wed 2025-12-24 12:00 -> Mon 12-29 12:00 GMT: Wed 12-17 = 5 h,
        # Thu 8 h, Fri 8 h, Mon 09-12 = 3 h: 24 h = 86400 s.
        Probe(1, "emea", utc("2025-12-24 12:00"), utc("2025-12-29 12:00")),
        # default still there: Mon 2026-01-05 10:00Z -> 12:00Z = 7200 s.
        Probe(2, "default", utc("2026-01-05 10:00"), utc("2026-01-05 12:00")),
    ]
    _assert_readings_agree(clock_warehouse, probes, {1: 86400, 2: 7200})


# ---------------------------------------------------------------------------------------------------------------
# Property-based tests


def _transitions(zone: str) -> list[datetime]:
    spans = list(constant_offset_spans(Schedule(zone, ()).zone, FIRST_DAY, LAST_DAY + timedelta(days=800)))
    return [span_start for span_start, _, _ in spans[1:]]


TRANSITIONS = sorted({instant for zone in ZONES for instant in _transitions(zone)})


@st.composite
def opening_rows(draw: st.DrawFn) -> tuple[OpeningRow, ...]:
    if draw(st.integers(0, 9)) == 0:
        return hours_every_day(ALL_DAYS, "00:00", "24:00")
    # Early-morning times (where zones change offset) are drawn as often as the rest of the day.
    minute = st.one_of(st.integers(0, 23 * 60 + 59), st.integers(0, 4 * 60))
    rows: list[OpeningRow] = []
    for day in ALL_DAYS:
        starts = draw(st.lists(minute, max_size=3, unique=True))
        for start in starts:
            end = draw(st.one_of(st.integers(start + 1, 24 * 60), st.just(24 * 60)))
            rows.append(OpeningRow(day, start * 60, end * 60))
    if not rows:
        rows.append(OpeningRow(draw(st.sampled_from(ALL_DAYS)), 9 * 3600, 17 * 3600))
    return tuple(rows)


@st.composite
def schedules(draw: st.DrawFn, near: Sequence[date]) -> Schedule:
    # Holidays land near the instants under test, where they matter.
    holiday = st.tuples(st.sampled_from(near), st.integers(-2, 14)).map(lambda pair: pair[0] + timedelta(days=pair[1]))
    holidays = draw(st.frozensets(holiday, max_size=8))
    return Schedule(draw(st.sampled_from(ZONES)), draw(opening_rows()), holidays)


@st.composite
def schedule_and_start(draw: st.DrawFn, whole_minutes: bool) -> tuple[Schedule, datetime]:
    start = draw(instants(whole_minutes))
    return draw(schedules([start.date()])), start


def instants(whole_minutes: bool = False) -> st.SearchStrategy[datetime]:
    unit = 60 if whole_minutes else 1
    anywhere = st.integers(0, int((LAST_DAY - FIRST_DAY).total_seconds()) // unit).map(
        lambda steps: FIRST_DAY + timedelta(seconds=steps * unit)
    )
    near_transition = st.tuples(st.sampled_from(TRANSITIONS), st.integers(-3 * 86400 // unit, 3 * 86400 // unit)).map(
        lambda pair: pair[0] + timedelta(seconds=pair[1] * unit)
    )
    return st.one_of(anywhere, near_transition)


# Hypothesis favours small integers; explicit buckets make long spans and targets common too.
LENGTHS = st.one_of(st.integers(0, 6 * 3600), st.integers(86400, 5 * 86400), st.integers(30 * 86400, 730 * 86400))
TARGETS = st.one_of(st.integers(0, 8 * 3600), st.integers(8 * 3600, 200 * 3600), st.integers(200 * 3600, 20_000 * 3600))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    schedule_start=schedule_and_start(whole_minutes=True),
    minutes=st.one_of(st.integers(0, 6 * 60), st.integers(0, 3 * 24 * 60)),
)
def test_reference_walking_by_minutes_agrees_with_interval_arithmetic(
    schedule_start: tuple[Schedule, datetime], minutes: int
) -> None:
    schedule, start = schedule_start
    end = start + timedelta(minutes=minutes)
    assert business_seconds_by_walking(schedule, start, end, step_seconds=60) == business_seconds(schedule, start, end)
    pieces = open_pieces(schedule, start, end)
    assert all(low < high <= next_low for (low, high), (next_low, _) in pairwise(pieces))


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(schedule_start=schedule_and_start(whole_minutes=False), seconds=st.integers(0, 3 * 3600))
def test_reference_walking_by_seconds_agrees_with_interval_arithmetic(
    schedule_start: tuple[Schedule, datetime], seconds: int
) -> None:
    schedule, start = schedule_start
    end = start + timedelta(seconds=seconds)
    assert business_seconds_by_walking(schedule, start, end) == business_seconds(schedule, start, end)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(schedule_start=schedule_and_start(whole_minutes=True), target_minutes=st.integers(0, 16 * 60))
def test_reference_deadlines_agree(schedule_start: tuple[Schedule, datetime], target_minutes: int) -> None:
    schedule, start = schedule_start
    walked = deadline_by_walking(schedule, start, target_minutes * 60, step_seconds=60, limit=timedelta(days=21))
    computed = deadline(schedule, start, target_minutes * 60)
    if walked is None:
        # Walking gave up after 21 days; the interval version must agree that it takes longer.
        assert computed is None or computed - start > timedelta(days=21)
    else:
        assert computed == walked
        assert business_seconds(schedule, start, computed) == target_minutes * 60


@dataclass(frozen=True)
class Case:
    schedules: dict[str, Schedule]
    probes: list[Probe]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    spans = draw(st.lists(st.tuples(instants(), LENGTHS, TARGETS, st.booleans()), min_size=1, max_size=6))
    near = [start.date() for start, *_ in spans] + [(start + timedelta(seconds=n)).date() for start, n, *_ in spans]
    schedule_count = draw(st.integers(1, 2))
    drawn = {f"s{n}": draw(schedules(near)) for n in range(schedule_count)}
    probes = []
    for number, (start, length, target, backwards) in enumerate(spans):
        end = start + timedelta(seconds=length)
        # Backwards probes read end before start: the duration must come out negative.
        first, second = (end, start) if backwards else (start, end)
        probes.append(Probe(number, f"s{draw(st.integers(0, schedule_count - 1))}", first, second, float(target)))
    return Case(drawn, probes)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=cases())
@pytest.mark.slow
def test_sql_clock_matches_reference(clock_warehouse: ClockWarehouse, case: Case) -> None:
    first_at = min(min(p.start_at, p.end_at) for p in case.probes)
    as_of_at = max(max(p.start_at, p.end_at) for p in case.probes)
    clock_warehouse.configure(case.schedules, first_at, as_of_at)

    expected_durations = {
        p.probe_id: business_seconds(case.schedules[p.schedule_id], p.start_at, p.end_at) for p in case.probes
    }
    _assert_readings_agree(clock_warehouse, case.probes, expected_durations)

    expected_deadlines: dict[int, datetime | None] = {}
    for probe in case.probes:
        coverage = clock_warehouse.coverage(probe.schedule_id)
        assert coverage is not None
        assert probe.target_seconds is not None
        due = deadline(
            case.schedules[probe.schedule_id], probe.start_at, probe.target_seconds, limit=coverage[1] - probe.start_at
        )
        expected_deadlines[probe.probe_id] = due if due is not None and due < coverage[1] else None
    _assert_deadlines_agree(clock_warehouse, case.probes, expected_deadlines)
