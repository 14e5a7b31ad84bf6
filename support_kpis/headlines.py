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
    """`published`: the published results file (kpi_scorecard, kpi_values and the build's as-of time in kpi_build).

    The month is kpi_scorecard's reported month, the one the Superset tiles show: the latest complete month, or the
    running month labelled "month to date" when no earlier month holds data.
    """
    registry = load_registry()
    wanted = [kpi_id for kpi_id in HEADLINE_KPIS if kpi_id in registry.ids]
    with duckdb.connect(str(published), read_only=True) as con:
        as_of_row = con.execute(f"select as_of_at from {BUILD_TABLE}").fetchone()
        if as_of_row is None or as_of_row[0] is None:
            return "no tickets in the warehouse"
        as_of_at = as_of_row[0]
        rows = con.execute(
            "select scorecard.kpi_id, scorecard.period_label, scorecard.value, scorecard.change_label, "
            "coalesce(kpi_values.sample_size, 0) "
            "from kpi_scorecard as scorecard "
            "left join kpi_values on kpi_values.kpi_id = scorecard.kpi_id and kpi_values.grain = 'month' "
            "and kpi_values.dimension = 'all' and kpi_values.period_start = scorecard.period_start "
            "where scorecard.grain = 'month'"
        ).fetchall()
    if not rows:
        return f"as of {as_of_at}: no KPI is available for this data"
    values = {kpi_id: (value, change, sample) for kpi_id, _, value, change, sample in rows}
    label = rows[0][1]
    lines = [f"Headline KPIs for {label} (as of {as_of_at} UTC; change against the month before)", ""]
    shown_kpis = [kpi_id for kpi_id in wanted if kpi_id in values]
    width = max(len(registry.kpi(k).name) for k in shown_kpis)
    for kpi_id in shown_kpis:
        kpi = registry.kpi(kpi_id)
        value, change, sample = values[kpi_id]
        shown = "n/a" if value is None else (f"{value:,.0f}" if kpi.unit == "count" else f"{value:,.1f}")
        unit = "" if kpi.unit == "count" else ("%" if kpi.unit == "pct" else f" {kpi.unit}")
        lines.append(f"  {kpi.name:<{width}}  {shown + unit:>14}  {change:<18} (n={sample:,})")
    return "\n".join(lines)
