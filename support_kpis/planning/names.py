"""Names the planning tables write and their readers match on, importable without the forecasting libraries."""

from __future__ import annotations

MODEL = "AutoETS"
SEASONAL_NAIVE = "seasonal_naive"
LAST_FOUR_WEEKDAYS = "mean_last_4_weekdays"
# The series of every channel's arrivals together.
TOTAL = "all"
# The prediction intervals' levels, in percent.
LEVELS: tuple[int, ...] = (80, 95)
