"""The demo's lines on the forecast: how the model did in the backtest, channel by channel, against the baselines.

Printed rather than left in a table, so that a channel where the model loses to seasonal naive is said, not found.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from support_kpis.extras import PLANNING
from support_kpis.planning.names import LAST_FOUR_WEEKDAYS, MODEL, SEASONAL_NAIVE, TOTAL

BACKTEST_TABLE = "fct_forecast_backtest"


def backtest_summary(published: Path) -> str:
    with duckdb.connect(str(published), read_only=True) as con:
        present = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'main' and table_name = ?",
            [BACKTEST_TABLE],
        ).fetchone()
        if not present or not present[0]:
            return f"Ticket-volume forecast: not built (DuckDB only, with the optional {PLANNING.name!r} extra)"
        rows = con.execute(
            f"select channel, forecast_method, mase, coverage_80_pct, coverage_95_pct, origins, horizon_days "
            f"from {BACKTEST_TABLE}"
        ).fetchall()
    if not rows:
        return "Ticket-volume forecast: too little history to backtest (docs/planning.md says how much it needs)"
    mase = {(channel, method): value for channel, method, value, *_ in rows}
    coverage = {channel: (c80, c95) for channel, method, _, c80, c95, *_ in rows if method == MODEL}
    origins, horizon = rows[0][5], rows[0][6]
    channels = sorted({channel for channel, *_ in rows}, key=lambda c: (c == TOTAL, c))
    width = max(len(c) for c in channels)
    lines = [
        f"Ticket-volume forecast, backtest over {origins} origins x {horizon} days (MASE: below 1 beats last week's "
        "same day in-sample; lower is better)",
        "",
        f"  {'channel':<{width}}  {MODEL:>8}  {'seasonal naive':>14}  {'last 4 weekdays':>15}  "
        f"{'80% / 95% covered':>17}",
    ]
    for channel in channels:
        c80, c95 = coverage[channel]
        lines.append(
            f"  {channel:<{width}}  {mase[(channel, MODEL)]:>8.2f}  {mase[(channel, SEASONAL_NAIVE)]:>14.2f}  "
            f"{mase[(channel, LAST_FOUR_WEEKDAYS)]:>15.2f}  {f'{c80:.0f}% / {c95:.0f}%':>17}"
        )
    losing = [c for c in channels if not mase[(c, MODEL)] < mase[(c, SEASONAL_NAIVE)]]
    verdict = f"{MODEL} beats seasonal naive on {len(channels) - len(losing)} of {len(channels)} series"
    lines += ["", f"  {verdict}" + (f"; not on: {', '.join(losing)}." if losing else ".")]
    return "\n".join(lines)
