"""Percentiles and medians of the reference (reference/stats.py), worked out by hand."""

from __future__ import annotations

import pytest

from reference.stats import median, percentile_cont


def test_percentile_cont_on_one_two_and_five_values() -> None:
    # One value: every percentile is that value.
    assert median([7.0]) == 7.0
    assert percentile_cont([7.0], 0.9) == 7.0
    # Two values 1, 3: median at position 0.5*(2-1)=0.5 -> 1 + 0.5*(3-1) = 2; p90 at 0.9 -> 1 + 0.9*2 = 2.8.
    assert median([3.0, 1.0]) == 2.0
    assert percentile_cont([3.0, 1.0], 0.9) == pytest.approx(2.8)
    # Five values 1,2,3,4,10 (given unsorted): median at position 2 -> 3;
    # p90 at position 0.9*4 = 3.6 -> 4 + 0.6*(10-4) = 7.6.
    assert median([10.0, 2.0, 4.0, 1.0, 3.0]) == 3.0
    assert percentile_cont([10.0, 2.0, 4.0, 1.0, 3.0], 0.9) == pytest.approx(7.6)
