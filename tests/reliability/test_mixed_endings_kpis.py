"""A generated sample whose files were appended to in CRLF, with a few bad rows, gives the clean sample's KPIs.

Both folders go through the real loader and the real `dbt build`: the bad rows end in quarantine with their rules,
and every KPI value is the same as the clean build's.
"""

from __future__ import annotations

import csv
import io
import math
import shutil
from pathlib import Path

import pytest

from support_kpis.cli import main
from tests.reliability.loader_inputs import reconciles
from tests.warehouses import build_warehouse, query

BAD_EVENTS = {
    "bad-time": {"occurred_at": "2026-13-45T10:00:00Z", "rule": "unparseable_timestamp(occurred_at)"},
    "bad-type": {"event_type": "telepathy", "rule": "unknown_enum(event_type)"},
    "bad-offset": {"occurred_at": "2026-03-02T10:00:00+25:00", "rule": "unparseable_timestamp(occurred_at)"},
}
BAD_TICKETS = {"bad-channel": {"channel": "carrier pigeon", "rule": "unknown_enum(channel)"}}


def _remix(source: Path, target: Path, bad: dict[str, dict[str, str]], key: str) -> None:
    """Copy `source` with its second half of records in CRLF and the bad rows (keys from `bad`) among them."""
    with source.open(newline="", encoding="utf-8") as handle:
        header, *records = list(csv.reader(handle))
    template = dict(zip(header, records[0], strict=True))
    extra = []
    for bad_key, changes in bad.items():
        row = {**template, key: bad_key, **{c: v for c, v in changes.items() if c != "rule"}}
        extra.append([row[column] for column in header])
    half = len(records) // 2
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([header, *records[:half]])
    # The appended export: CRLF, with the bad rows in its middle.
    csv.writer(out, lineterminator="\r\n").writerows([*records[half : half + 10], *extra, *records[half + 10 :]])
    target.write_bytes(out.getvalue().encode("utf-8"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("mixed-endings-kpis")
    clean = work / "clean"
    assert main(["generate", "--tickets", "300", "--seed", "5", "--out", str(clean)]) == 0
    mixed = work / "mixed"
    shutil.copytree(clean, mixed)
    _remix(clean / "ticket_events.csv", mixed / "ticket_events.csv", BAD_EVENTS, "event_id")
    _remix(clean / "tickets.csv", mixed / "tickets.csv", BAD_TICKETS, "ticket_id")
    assert b"\r\n" in (mixed / "ticket_events.csv").read_bytes()
    return build_warehouse(clean, work, name="clean"), build_warehouse(mixed, work, name="mixed")


def test_the_bad_rows_are_in_quarantine_with_their_rules(builds: tuple[Path, Path]) -> None:
    clean, mixed = builds
    events = query(mixed, "select event_id, _rules from quarantine.ticket_events order by event_id")
    assert events == sorted((key, bad["rule"]) for key, bad in BAD_EVENTS.items())
    assert query(mixed, "select ticket_id, _rules from quarantine.tickets") == [
        ("bad-channel", "unknown_enum(channel)")
    ]
    assert query(clean, "select count(*) from quarantine.ticket_events") == [(0,)]
    assert reconciles(mixed)


def test_the_good_rows_are_the_clean_files_rows(builds: tuple[Path, Path]) -> None:
    clean, mixed = builds
    for table in ("tickets", "ticket_events"):
        columns = f"* exclude (_source_row, _loaded_at) from raw.{table} order by all"
        assert query(mixed, f"select {columns}") == query(clean, f"select {columns}"), table


def _same(a: object, b: object) -> bool:
    # DuckDB sums doubles in parallel, in no fixed order: the last bit of a sum may differ between two builds of
    # the very same rows. Everything else must be equal.
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def test_kpi_values_equal_the_clean_builds(builds: tuple[Path, Path]) -> None:
    clean, mixed = builds
    sql = "select * from kpi_values order by kpi_id, grain, period_start, dimension, dimension_value"
    expected, actual = query(clean, sql), query(mixed, sql)
    assert len(expected) > 1000, "the clean build has KPI values"
    assert len(actual) == len(expected)
    different = [(a, e) for a, e in zip(actual, expected, strict=True) if not all(map(_same, a, e))]
    assert different == []
