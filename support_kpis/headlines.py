"""A short table of headline KPIs for the latest complete month, read from the published kpi_values."""

from __future__ import annotations

from pathlib import Path

import duckdb

from support_kpis.kpi_registry import load_registry
from support_kpis.publishing import BUILD_TABLE

HEADLINE_KPIS: tuple[str, ...] = (
    "tickets_created",
    "tickets_solved",
    "backlog_open_tickets",
    "first_response_time_median_minutes",
    "resolution_time_median_hours",
    "first_contact_resolution_pct",
    "reopen_rate_pct",
    "escalation_rate_pct",
    "sla_first_response_attainment_pct",
    "csat_pct",
    "nps",
)


def headline_table(published: Path) -> str:
    """`published`: the published results file (kpi_values and the build's as-of time in kpi_build)."""
    registry = load_registry()
    wanted = [kpi_id for kpi_id in HEADLINE_KPIS if kpi_id in registry.ids]
    with duckdb.connect(str(published), read_only=True) as con:
        as_of_row = con.execute(f"select as_of_at, as_of_date from {BUILD_TABLE}").fetchone()
        if as_of_row is None or as_of_row[0] is None:
            return "no tickets in the warehouse"
        as_of_at, as_of_date = as_of_row
        # The month holding the as-of time is still running: report the one before it.
        month_row = con.execute(
            "select max(period_start) from kpi_values where grain = 'month' and period_start < date_trunc('month', ?)",
            [as_of_date],
        ).fetchone()
        month = month_row[0] if month_row else None
        if month is None:
            return f"as of {as_of_at}: no complete month of data yet"
        rows = con.execute(
            "select kpi_id, value, sample_size from kpi_values "
            "where grain = 'month' and dimension = 'all' and period_start = ?",
            [month],
        ).fetchall()
    values = {kpi_id: (value, sample_size) for kpi_id, value, sample_size in rows}
    lines = [f"Headline KPIs for {month:%B %Y} (as of {as_of_at} UTC)", ""]
    width = max(len(registry.kpi(k).name) for k in wanted)
    for kpi_id in wanted:
        kpi = registry.kpi(kpi_id)
        value, sample = values.get(kpi_id, (0.0 if kpi.unit == "count" else None, 0))
        shown = "n/a" if value is None else (f"{value:,.0f}" if kpi.unit == "count" else f"{value:,.1f}")
        unit = "" if kpi.unit == "count" else ("%" if kpi.unit == "pct" else f" {kpi.unit}")
        lines.append(f"  {kpi.name:<{width}}  {shown}{unit}  (n={sample:,})")
    return "\n".join(lines)
