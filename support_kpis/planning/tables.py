"""The planning tables that dbt's Python models write: warehouse frames in, the planning library in between.

Each function takes the frames its model reads (column names as the SQL models name them) and returns one frame
with fixed columns and types. History too short to learn from gives an empty table with those columns, not an
error: a small or new dataset must still build (docs/planning.md says how much history each table needs).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from support_kpis.planning.names import LEVELS, TOTAL

# AutoETS with a weekly season wants a few whole weeks to tell the season from noise.
MIN_FORECAST_HISTORY_DAYS = 28
# The first backtest origin must leave at least this much history to fit on.
MIN_BACKTEST_TRAINING_DAYS = 56

FORECAST_COLUMNS: dict[str, str] = {
    "forecast_date": "datetime64[ns]",
    "channel": "object",
    "forecast_tickets": "float64",
    **{f"{side}_{level}": "float64" for level in LEVELS for side in ("lower", "upper")},
    "forecast_model": "object",
    "trained_through_date": "datetime64[ns]",
}
BACKTEST_COLUMNS: dict[str, str] = {
    "channel": "object",
    "forecast_method": "object",
    "mase": "float64",
    **{f"coverage_{level}_pct": "float64" for level in LEVELS},
    "origins": "int64",
    "horizon_days": "int64",
    "first_cutoff_date": "datetime64[ns]",
    "last_cutoff_date": "datetime64[ns]",
}
STAFFING_COLUMNS: dict[str, str] = {
    "channel": "object",
    "forecast_date": "datetime64[ns]",
    "iso_weekday": "int64",
    "hour_of_day": "int64",
    "forecast_tickets": "float64",
    "handle_minutes": "float64",
    "service_level_target_pct": "float64",
    "answer_within_minutes": "float64",
    "shrinkage_pct": "float64",
    "agents_required": "int64",
    "agents_scheduled": "int64",
    "expected_service_level_pct": "float64",
    "occupancy_pct": "float64",
}


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def _typed(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    return frame[list(columns)].astype(columns).reset_index(drop=True)


def _history(arrivals: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": arrivals["channel"].astype(str),
            "day": pd.to_datetime(arrivals["arrival_date"]),
            "tickets": arrivals["tickets"].astype(float),
        }
    )


def history_days(arrivals: pd.DataFrame) -> int:
    if arrivals.empty:
        return 0
    days = pd.to_datetime(arrivals["arrival_date"])
    return int((days.max() - days.min()).days) + 1


def forecast_table(arrivals: pd.DataFrame, horizon_days: int) -> pd.DataFrame:
    """`arrivals` (channel, arrival_date, tickets) → one row per channel (and `all`) and day of the horizon."""
    if history_days(arrivals) < MIN_FORECAST_HISTORY_DAYS:
        return _empty(FORECAST_COLUMNS)
    # statsforecast takes seconds to import: only once there is a history to fit (most test builds have none).
    from support_kpis.planning.forecast import forecast

    predicted = forecast(_history(arrivals), horizon=horizon_days)
    table = predicted.rename(
        columns={
            "day": "forecast_date",
            "forecast": "forecast_tickets",
            "trained_through": "trained_through_date",
            "model": "forecast_model",
            **{f"lo_{level}": f"lower_{level}" for level in LEVELS},
            **{f"hi_{level}": f"upper_{level}" for level in LEVELS},
        }
    )
    table["forecast_date"] = pd.to_datetime(table["forecast_date"])
    table["trained_through_date"] = pd.to_datetime(table["trained_through_date"])
    return _typed(table, FORECAST_COLUMNS)


def backtest_table(arrivals: pd.DataFrame, origins: int, horizon_days: int) -> pd.DataFrame:
    """One row per channel (and `all`) and method: its MASE over the origins and, for the model, the coverage of
    its intervals (percent of actual days inside them)."""
    if history_days(arrivals) < origins * horizon_days + MIN_BACKTEST_TRAINING_DAYS:
        return _empty(BACKTEST_COLUMNS)
    from support_kpis.planning.forecast import backtest

    result = backtest(_history(arrivals), origins=origins, horizon=horizon_days)
    cutoffs = result.forecasts["cutoff"]
    table = result.accuracy.rename(columns={"method": "forecast_method"}).assign(
        horizon_days=horizon_days,
        first_cutoff_date=pd.Timestamp(cutoffs.min()),
        last_cutoff_date=pd.Timestamp(cutoffs.max()),
        **{f"coverage_{level}_pct": result.accuracy[f"coverage_{level}"] * 100 for level in LEVELS},
    )
    return _typed(table.sort_values(["channel", "forecast_method"]), BACKTEST_COLUMNS)


def _date(value: object) -> dt.date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def staffing_table(
    forecast_rows: pd.DataFrame, hourly: pd.DataFrame, workloads: pd.DataFrame, shrinkage_pct: float
) -> pd.DataFrame:
    """One row per channel, forecast day and hour: the agents Erlang C needs to meet the channel's service target
    for that hour's share of the day's forecast (the channels of `workloads` with a handle time and an answer
    time; the forecast's `all` is not a queue)."""
    served = workloads[(workloads["handle_minutes"] > 0) & workloads["answer_within_minutes"].notna()]
    if forecast_rows.empty or served.empty:
        return _empty(STAFFING_COLUMNS)
    # pyworkforce (and the ortools it imports) only once there is something to staff.
    from support_kpis.planning.staffing_plan import ForecastDay, ServiceTarget, intraday_profile, staffing_plan

    handle = {str(row.channel): float(row.handle_minutes) for row in served.itertuples()}
    targets = {
        str(row.channel): ServiceTarget(
            service_level=float(row.service_level_pct) / 100, answer_within_minutes=float(row.answer_within_minutes)
        )
        for row in served.itertuples()
    }
    profile = intraday_profile(
        (str(row.channel), int(row.iso_weekday), int(row.hour_of_day), int(row.tickets)) for row in hourly.itertuples()
    )
    days = [
        ForecastDay(day=_date(row.forecast_date), channel=str(row.channel), contacts=float(row.forecast_tickets))
        for row in forecast_rows.itertuples()
        if row.channel != TOTAL
    ]
    needs = staffing_plan(days, profile, handle, targets, shrinkage=shrinkage_pct / 100)
    if not needs:
        return _empty(STAFFING_COLUMNS)
    table = pd.DataFrame(needs).rename(
        columns={
            "day": "forecast_date",
            "hour": "hour_of_day",
            "contacts": "forecast_tickets",
            "agents": "agents_required",
            "scheduled": "agents_scheduled",
        }
    )
    table = table.assign(
        forecast_date=pd.to_datetime(table["forecast_date"]),
        iso_weekday=[day.isoweekday() for day in table["forecast_date"]],
        handle_minutes=table["channel"].map(handle),
        service_level_target_pct=table["channel"].map({c: t.service_level * 100 for c, t in targets.items()}),
        answer_within_minutes=table["channel"].map({c: t.answer_within_minutes for c, t in targets.items()}),
        shrinkage_pct=float(shrinkage_pct),
        expected_service_level_pct=table["service_level"] * 100,
        occupancy_pct=table["occupancy"] * 100,
    )
    return _typed(table.sort_values(["channel", "forecast_date", "hour_of_day"]), STAFFING_COLUMNS)
