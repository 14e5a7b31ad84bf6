"""Which KPIs' trend charts draw a target line.

The bundle is generated from project files alone (the same bundle for every warehouse), so it cannot know which
KPIs a user's kpi_targets table names. It draws a line for the KPIs the shipped seed (seeds/kpi_targets.csv) gives a
target; the line's value is read at query time from kpi_scorecard, so a user's own target for one of these KPIs
moves it, and a user's target for another KPI shows in the scorecard only.
"""

from __future__ import annotations

import csv
from functools import cache

from support_kpis.settings import PROJECT_ROOT

TARGET_SEED = PROJECT_ROOT / "seeds" / "kpi_targets.csv"


@cache
def target_line_kpis() -> frozenset[str]:
    with TARGET_SEED.open(newline="", encoding="utf-8") as handle:
        return frozenset(row["kpi_id"] for row in csv.DictReader(handle))
