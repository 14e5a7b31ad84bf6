"""Statistics written out by hand so that nothing is borrowed from numpy/pandas."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile_cont(values: Sequence[float], fraction: float) -> float:
    """Continuous percentile with linear interpolation between the closest ranks, like SQL percentile_cont."""
    if not values:
        raise ValueError("percentile_cont of no values")
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = math.ceil(position)
    return ordered[lower] + (position - lower) * (ordered[upper] - ordered[lower])


def median(values: Sequence[float]) -> float:
    return percentile_cont(values, 0.5)
