"""Daily ticket arrivals forecast per channel (and in total), with intervals, and its rolling-origin backtest.

The model is statsforecast's AutoETS with a weekly season: it picks error, trend and season forms by AICc per
series, is deterministic, and fits a year of daily history per channel in well under a second. Counts cannot be
negative, so forecasts and bounds are floored at 0.

The backtest cuts the history at `origins` points, four weeks apart, ending `horizon` days before its end; from
each cut the model and two baselines forecast the next `horizon` days:

- seasonal naive: the same weekday of the last week before the cut;
- last four weekdays: the mean of the four latest same weekdays before the cut.

MASE is each origin's mean absolute error divided by the in-sample mean absolute error of a one-week seasonal
naive forecast on the history up to that cut, averaged over origins (below 1: better than last week's same day).
Coverage is the share of actual days inside the 80% and the 95% interval (the baselines have none).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import AutoETS

from support_kpis.planning.names import LAST_FOUR_WEEKDAYS, LEVELS, MODEL, SEASONAL_NAIVE, TOTAL

HORIZON_DAYS = 56
WEEK = 7


def _series(history: pd.DataFrame) -> pd.DataFrame:
    """`history` (channel, day, tickets; one row per channel and day with arrivals) as statsforecast's long frame:
    every day from the first to the last for every channel (0 where none arrived), plus the total."""
    days = pd.date_range(history["day"].min(), history["day"].max(), freq="D")
    channels = sorted(history["channel"].unique())
    grid = pd.MultiIndex.from_product([channels, days], names=["unique_id", "ds"])
    counts = (
        history.assign(ds=pd.to_datetime(history["day"]))
        .groupby(["channel", "ds"])["tickets"]
        .sum()
        .rename_axis(["unique_id", "ds"])
        .reindex(grid, fill_value=0)
        .astype(float)
        .rename("y")
        .reset_index()
    )
    total = counts.groupby("ds", as_index=False)["y"].sum().assign(unique_id=TOTAL)
    return pd.concat([counts, total[["unique_id", "ds", "y"]]], ignore_index=True)


def _model() -> StatsForecast:
    return StatsForecast(models=[AutoETS(season_length=WEEK)], freq="D", n_jobs=1)


def _bounded(frame: pd.DataFrame) -> pd.DataFrame:
    columns = [MODEL, *(f"{MODEL}-{side}-{level}" for level in LEVELS for side in ("lo", "hi"))]
    return frame.assign(**{column: frame[column].clip(lower=0.0) for column in columns})


def forecast(history: pd.DataFrame, horizon: int = HORIZON_DAYS) -> pd.DataFrame:
    """One row per channel (and `all`) and day of the `horizon` days after the history's last day."""
    series = _series(history)
    trained_through = series["ds"].max().date()
    predicted = _bounded(_model().forecast(df=series, h=horizon, level=list(LEVELS)))
    return (
        pd.DataFrame(
            {
                "day": predicted["ds"].dt.date,
                "channel": predicted["unique_id"],
                "forecast": predicted[MODEL],
                **{f"lo_{level}": predicted[f"{MODEL}-lo-{level}"] for level in LEVELS},
                **{f"hi_{level}": predicted[f"{MODEL}-hi-{level}"] for level in LEVELS},
                "model": MODEL,
                "trained_through": trained_through,
            }
        )
        .sort_values(["channel", "day"])
        .reset_index(drop=True)
    )


@dataclass(frozen=True)
class Backtest:
    forecasts: pd.DataFrame  # channel, cutoff, day, actual, one column per method, and the model's bounds
    accuracy: pd.DataFrame  # channel, method, mase, coverage_80, coverage_95, origins


def _same_weekday_before(
    values: dict[pd.Timestamp, float], day: pd.Timestamp, cutoff: pd.Timestamp, count: int
) -> float:
    weeks_back = -(-(day - cutoff).days // WEEK)  # the fewest whole weeks that land on or before the cut
    days = [day - pd.Timedelta(days=WEEK * (weeks_back + k)) for k in range(count)]
    return float(sum(values[d] for d in days) / count)


def backtest(history: pd.DataFrame, origins: int = 8, horizon: int = 28) -> Backtest:
    series = _series(history)
    predicted = _bounded(
        _model().cross_validation(df=series, h=horizon, n_windows=origins, step_size=horizon, level=list(LEVELS))
    )
    by_channel = {channel: frame.set_index("ds")["y"] for channel, frame in series.groupby("unique_id")}
    # Looked up once per forecast day: a dict, not a Series (whose indexing costs more than the arithmetic).
    lookups = {channel: dict(values.items()) for channel, values in by_channel.items()}
    rows = []
    for record in predicted.itertuples(index=False):
        values = lookups[record.unique_id]
        rows.append(
            {
                "channel": record.unique_id,
                "cutoff": record.cutoff,
                "day": record.ds,
                "actual": record.y,
                MODEL: getattr(record, MODEL),
                SEASONAL_NAIVE: _same_weekday_before(values, record.ds, record.cutoff, 1),
                LAST_FOUR_WEEKDAYS: _same_weekday_before(values, record.ds, record.cutoff, 4),
            }
        )
    forecasts = pd.DataFrame(rows)
    for level in LEVELS:
        forecasts[f"lo_{level}"] = predicted[f"{MODEL}-lo-{level}"].to_numpy()
        forecasts[f"hi_{level}"] = predicted[f"{MODEL}-hi-{level}"].to_numpy()
    return Backtest(forecasts=forecasts, accuracy=_accuracy(forecasts, by_channel))


def _scale(values: pd.Series, cutoff: pd.Timestamp) -> float:
    """In-sample MAE of a one-week seasonal naive forecast up to the cut."""
    seen = values[values.index <= cutoff]
    return float((seen - seen.shift(WEEK)).abs().dropna().mean())


def _accuracy(forecasts: pd.DataFrame, by_channel: dict[str, pd.Series]) -> pd.DataFrame:
    rows = []
    for channel, frame in forecasts.groupby("channel"):
        for method in (MODEL, SEASONAL_NAIVE, LAST_FOUR_WEEKDAYS):
            per_origin = [
                (window[method] - window["actual"]).abs().mean() / _scale(by_channel[str(channel)], cutoff)
                for cutoff, window in frame.groupby("cutoff")
            ]
            covered = {
                level: float(
                    ((frame["actual"] >= frame[f"lo_{level}"]) & (frame["actual"] <= frame[f"hi_{level}"])).mean()
                )
                if method == MODEL
                else None
                for level in LEVELS
            }
            rows.append(
                {
                    "channel": channel,
                    "method": method,
                    "mase": float(sum(per_origin) / len(per_origin)),
                    **{f"coverage_{level}": covered[level] for level in LEVELS},
                    "origins": len(per_origin),
                }
            )
    return pd.DataFrame(rows)
