"""Shipping the loader's checked tables into Spark: every column type comes back with the same values.

The staged DuckDB file is written here with known values; Spark's tables are read back in a separate process
(tests/engines/spark_tables.py) and must hold exactly those values: NULL apart from '', timestamps to the
microsecond (naive UTC in, the same wall time out with the session zone UTC), doubles bit for bit.
"""

from __future__ import annotations

import math
import os
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from support_kpis.errors import UserError
from support_kpis.targets.shipping import ShippedTable
from support_kpis.targets.spark import JAVA_MISSING, ship
from tests.engines.spark_tables import read_spark_tables

COLUMNS = ["id", "text_value", "event_at", "big", "small", "day", "ratio", "flag"]
ROWS = [
    (1, None, None, None, None, None, None, None),
    (
        2,
        "",
        datetime(2026, 3, 29, 1, 59, 59, 999999),
        9_007_199_254_740_993,
        -2_147_483_648,
        date(2026, 3, 29),
        0.1,
        True,
    ),
    (3, 'it\'s a \\ "quote"', datetime(2026, 10, 25, 0, 30, 0, 1), -1, 0, date(1970, 1, 1), 1 / 3, False),
    (4, "Zoë ✓\nline", datetime(1969, 12, 31, 23, 59, 59, 500000), 0, 7, date(2099, 12, 31), 1e-300, True),
    (5, " ", datetime(2026, 1, 1), 42, 2_147_483_647, date(2026, 1, 1), -123456789.123456789, False),
]


def _stage(path: Path, rows: list[tuple[object, ...]], tickets: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists raw; create schema if not exists quarantine")
        con.execute(
            "create or replace table raw.values_table (id integer, text_value varchar, event_at timestamp, big bigint, "
            "small integer, day date, ratio double, flag boolean)"
        )
        con.executemany("insert into raw.values_table values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("create or replace table raw.tickets as select range as ticket_id from range(?)", [tickets])
        con.execute("create or replace table quarantine.tickets (ticket_id bigint, reason varchar)")


def test_every_column_type_survives_and_a_second_shipment_replaces_the_first(tmp_path: Path) -> None:
    staged, spark_dir = tmp_path / "staged.duckdb", tmp_path / "spark"
    _stage(staged, ROWS[:2], tickets=7)
    first = ship(staged, ["raw", "quarantine"], spark_dir)
    assert ShippedTable("raw", "tickets", 7) in first

    _stage(staged, ROWS, tickets=3)
    shipped = ship(staged, ["raw", "quarantine"], spark_dir)
    assert sorted(shipped, key=lambda t: (t.schema, t.table)) == [
        ShippedTable("quarantine", "tickets", 0),
        ShippedTable("raw", "tickets", 3),
        ShippedTable("raw", "values_table", len(ROWS)),
    ]
    # Only the latest shipment's files remain, one folder per table: the tables read nothing else.
    for schema, table in [("raw", "tickets"), ("raw", "values_table"), ("quarantine", "tickets")]:
        assert len(list((spark_dir / "loaded" / schema / table).iterdir())) == 1, (schema, table)

    tables = read_spark_tables(spark_dir, ["raw.values_table", "raw.tickets", "quarantine.tickets"])
    columns, rows = tables["raw.values_table"]
    assert columns == COLUMNS
    by_id = {row[0]: row for row in rows}
    assert sorted(by_id) == [row[0] for row in ROWS]
    for expected in ROWS:
        got = by_id[expected[0]]
        for name, want, have in zip(COLUMNS, expected, got, strict=True):
            if isinstance(want, float):
                # Bit for bit: the same double, not a near one.
                assert isinstance(have, float) and math.copysign(1, have) == math.copysign(1, want), (name, have)
                assert have.hex() == want.hex(), (expected[0], name, have, want)
            else:
                assert have == want and type(have) is type(want), (expected[0], name, have, want)
    assert sorted(r[0] for r in tables["raw.tickets"][1]) == [0, 1, 2]
    assert tables["quarantine.tickets"] == (["ticket_id", "reason"], [])


def test_missing_java_is_one_line_naming_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    staged = tmp_path / "staged.duckdb"
    _stage(staged, ROWS[:1], tickets=1)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "no-java-here"))
    with pytest.raises(UserError) as raised:
        ship(staged, ["raw"], tmp_path / "spark")
    assert str(raised.value) == JAVA_MISSING
    assert "openjdk-17-jre-headless" in str(raised.value) and "\n" not in str(raised.value)
    assert not (tmp_path / "spark").exists(), os.listdir(tmp_path)
