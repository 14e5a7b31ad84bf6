"""The reference's periods (day, week, month) in UTC and in another reporting time zone."""

from __future__ import annotations

from pathlib import Path

from reference import compute_kpi_values
from tests.reference_sanity.builders import series, ticket, write_folder


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
