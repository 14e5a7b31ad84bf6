"""The seed of Zendesk's (Rails') time-zone names: one IANA zone per name, every zone known to DuckDB and to Python,
and the names and zones of current Rails (ActiveSupport::TimeZone::MAPPING as of Rails' main branch, 2026-08)."""

from __future__ import annotations

import csv
import datetime as dt
from zoneinfo import ZoneInfo, available_timezones

import duckdb

from support_kpis.settings import PROJECT_ROOT

SEED = PROJECT_ROOT / "seeds" / "zendesk_time_zones.csv"


def _seed() -> list[tuple[str, str]]:
    with SEED.open(newline="", encoding="utf-8") as handle:
        return [(row["rails_name"], row["iana_name"]) for row in csv.DictReader(handle)]


def test_one_known_zone_per_name() -> None:
    rows = _seed()
    names = [name for name, _ in rows]
    assert len(names) == len(set(names)) == 154
    engine_zones = {name for (name,) in duckdb.sql("select name from pg_timezone_names()").fetchall()}
    assert {zone for _, zone in rows} <= engine_zones & available_timezones()


def test_current_rails_names_and_zones() -> None:
    zones = dict(_seed())
    # Added to Rails after the older list: Asuncion (2025), Pacific Time (Canada) and Alberta.
    assert zones["Asuncion"] == "America/Asuncion"
    assert zones["Pacific Time (Canada)"] == "America/Vancouver"
    assert zones["Alberta"] == "America/Edmonton"
    assert zones["International Date Line West"] == "Etc/GMT+12"
    # Astana moved to Asia/Almaty when Kazakhstan went to UTC+5 (2024-03-01); Asia/Dhaka stays UTC+6.
    assert zones["Astana"] == "Asia/Almaty"
    assert dt.datetime(2026, 1, 15, tzinfo=ZoneInfo(zones["Astana"])).utcoffset() == dt.timedelta(hours=5)
