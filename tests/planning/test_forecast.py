"""The arrivals forecast's shape and determinism, and its backtest recomputed independently in plain Python."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random

import pandas as pd
import pytest

from support_kpis.planning.forecast import (
    LAST_FOUR_WEEKDAYS,
    MODEL,
    SEASONAL_NAIVE,
    TOTAL,
    backtest,
    forecast,
)

FIRST_DAY = dt.date(2025, 9, 1)


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: enough for means below a few hundred, and free of numpy's generator.
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def _history(days: int = 300, seed: int = 3) -> pd.DataFrame:
    """Two channels with a weekday peak, a slow growth and Poisson noise; days without arrivals have no row."""
    rng = random.Random(seed)
    rows = []
    for channel, base in (("email", 30.0), ("chat", 12.0)):
        for offset in range(days):
            day = FIRST_DAY + dt.timedelta(days=offset)
            mean = base * (1.6 if day.weekday() < 5 else 0.7) * (1 + 0.001 * offset)
            tickets = _poisson(rng, mean)
            if tickets:
                rows.append({"channel": channel, "day": day, "tickets": tickets})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return _history()


def test_the_forecast_covers_every_channel_and_the_total_for_eight_weeks_with_ordered_bounds(
    history: pd.DataFrame,
) -> None:
    predicted = forecast(history)
    last = max(history["day"])
    assert set(predicted["channel"]) == {"email", "chat", TOTAL}
    for _, frame in predicted.groupby("channel"):
        assert list(frame["day"]) == [last + dt.timedelta(days=k) for k in range(1, 57)]
    assert (predicted["trained_through"] == last).all() and (predicted["model"] == MODEL).all()
    ordered = ["lo_95", "lo_80", "forecast", "hi_80", "hi_95"]
    for lower, upper in itertools.pairwise(ordered):
        assert (predicted[lower] <= predicted[upper] + 1e-9).all(), (lower, upper)
    assert (predicted["lo_95"] >= 0).all()
    # The same history gives the same table.
    pd.testing.assert_frame_equal(predicted, forecast(history))


def _daily(history: pd.DataFrame, channel: str) -> dict[dt.date, float]:
    days = [FIRST_DAY + dt.timedelta(days=k) for k in range((max(history["day"]) - FIRST_DAY).days + 1)]
    counts = {day: 0.0 for day in days}
    for row in history.itertuples(index=False):
        if channel in (TOTAL, row.channel):
            counts[row.day] += row.tickets
    return counts


def test_the_backtest_numbers_recomputed_from_the_daily_series(history: pd.DataFrame) -> None:
    result = backtest(history, origins=8, horizon=28)
    rows = result.forecasts
    assert rows["cutoff"].nunique() == 8 and len(rows) == 3 * 8 * 28
    for channel in ("email", "chat", TOTAL):
        daily = _daily(history, channel)
        mine = rows[rows["channel"] == channel]
        per_method: dict[str, list[float]] = {MODEL: [], SEASONAL_NAIVE: [], LAST_FOUR_WEEKDAYS: []}
        inside = {80: 0, 95: 0}
        for cutoff_stamp, window in mine.groupby("cutoff"):
            cutoff = cutoff_stamp.date()
            seen = [daily[d] for d in sorted(daily) if d <= cutoff]
            scale = sum(abs(seen[i] - seen[i - 7]) for i in range(7, len(seen))) / (len(seen) - 7)
            errors: dict[str, float] = {method: 0.0 for method in per_method}
            for row in window.itertuples(index=False):
                day = row.day.date()
                assert row.actual == daily[day]
                # The latest same weekday on or before the cut, and the three before it.
                same = [d for d in sorted(daily) if d <= cutoff and (day - d).days % 7 == 0][-4:]
                naive, last_four = daily[same[-1]], sum(daily[d] for d in same) / 4
                assert getattr(row, SEASONAL_NAIVE) == pytest.approx(naive)
                assert getattr(row, LAST_FOUR_WEEKDAYS) == pytest.approx(last_four)
                errors[MODEL] += abs(getattr(row, MODEL) - daily[day])
                errors[SEASONAL_NAIVE] += abs(naive - daily[day])
                errors[LAST_FOUR_WEEKDAYS] += abs(last_four - daily[day])
                for level in inside:
                    inside[level] += getattr(row, f"lo_{level}") <= daily[day] <= getattr(row, f"hi_{level}")
            for method, total in errors.items():
                per_method[method].append(total / len(window) / scale)
        accuracy = result.accuracy[result.accuracy["channel"] == channel].set_index("method")
        for method, values in per_method.items():
            assert accuracy.loc[method, "mase"] == pytest.approx(sum(values) / len(values), rel=1e-9), method
        for level, count in inside.items():
            assert accuracy.loc[MODEL, f"coverage_{level}"] == pytest.approx(count / len(mine))
        # On a weekly pattern with noise, the model beats last week's same day.
        assert accuracy.loc[MODEL, "mase"] < accuracy.loc[SEASONAL_NAIVE, "mase"], channel
