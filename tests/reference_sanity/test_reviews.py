"""The reference's review KPIs from the reviews table, worked out by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reference import compute_kpi_values
from tests.reference_sanity.builders import find, parts, series, ticket, write_folder, write_table


def test_gaps_between_consecutive_positive_reviews(tmp_path: Path) -> None:
    write_folder(
        tmp_path,
        [ticket("T1", "2026-03-01T00:00:00")],
        [],
        [{"customer_id": "C1", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "segment": "enterprise", "region": "emea"}],
    )  # fmt: skip
    write_table(
        tmp_path,
        "reviews",
        [
            {"review_id": "R1", "customer_id": "C1", "rating": "5", "published_at": "2026-03-01T00:00:00"},
            {"review_id": "R2", "customer_id": "C2", "rating": "4", "published_at": "2026-03-02T00:00:00"},
            {"review_id": "R3", "customer_id": "C2", "rating": "5", "published_at": "2026-03-03T12:00:00"},
            {"review_id": "R4", "customer_id": "C1", "rating": "5", "published_at": "2026-03-05T00:00:00"},
            {"review_id": "R5", "customer_id": "", "rating": "5", "published_at": "2026-04-01T00:00:00"},
            {"review_id": "R6", "customer_id": "C1", "rating": "5", "published_at": "2026-04-20T00:00:00"},
        ],
    )  # fmt: skip
    rows = compute_kpi_values(tmp_path, as_of=datetime(2026, 4, 10))
    # R6 is after the as-of. 5-star instants: 03-01 00:00, 03-03 12:00, 03-05 00:00, 04-01 00:00
    # -> gaps 2.5 d (to 03-03), 1.5 d (to 03-05), 27 d (to 04-01), each in the later review's period.
    assert series(rows, "avg_days_between_positive_reviews", "day") == {
        "2026-03-03": 2.5, "2026-03-05": 1.5, "2026-04-01": 27.0
    }  # fmt: skip
    # March: (2.5 + 1.5) / 2 = 2 days over 2 gaps; the first 5-star review ever has no gap.
    assert parts(find(rows, "avg_days_between_positive_reviews", "month", "2026-03-01")) == (2.0, 4.0, 2.0, 2)
    assert parts(find(rows, "avg_days_between_positive_reviews", "month", "2026-04-01")) == (27.0, 27.0, 1.0, 1)
    # Within a segment the pairs are that segment's own: smb 03-01 -> 03-05 = 4 d; enterprise has one
    # 5-star review and unknown one (R5): no gap, no row. Region emea: R1, R3, R4 -> 2.5 and 1.5.
    assert parts(find(rows, "avg_days_between_positive_reviews", "month", "2026-03-01", "segment", "smb")) == (
        4.0, 4.0, 1.0, 1
    )  # fmt: skip
    assert find(rows, "avg_days_between_positive_reviews", "month", "2026-03-01", "segment", "enterprise") is None
    assert find(rows, "avg_days_between_positive_reviews", "month", "2026-04-01", "segment", "unknown") is None
    assert find(rows, "avg_days_between_positive_reviews", "month", "2026-03-01", "region", "emea").value == 2.0
    # Positive reviews: March R1, R3, R4 of 4 reviews -> 3 and 75 %; April R5 -> 1 and 100 %.
    assert parts(find(rows, "positive_reviews", "month", "2026-03-01")) == (3.0, None, None, 3)
    assert parts(find(rows, "positive_review_share_pct", "month", "2026-03-01")) == (75.0, 3.0, 4.0, 4)
    assert parts(find(rows, "positive_review_share_pct", "month", "2026-04-01")) == (100.0, 1.0, 1.0, 1)
    # The 4-star day has a share row of 0 % and no positive_reviews row (a count with no row is zero).
    assert parts(find(rows, "positive_review_share_pct", "day", "2026-03-02")) == (0.0, 0.0, 1.0, 1)
    assert find(rows, "positive_reviews", "day", "2026-03-02") is None
