"""The reference's CSAT, NPS and CES from the surveys table, worked out by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from reference import compute_kpi_values
from tests.reference_sanity.builders import find, parts, ticket, write_folder, write_table


def survey_folder(folder: Path) -> Path:
    write_folder(
        folder,
        [ticket("T1", "2026-03-02T08:00:00", channel="chat", customer_id="C1", assignee_id="a1", team="t1")],
        [],
        [{"customer_id": "C1", "segment": "enterprise", "region": "emea"},
         {"customer_id": "C2", "segment": "smb", "region": "apac"}],
    )  # fmt: skip
    survey = ("response_id", "survey_type", "ticket_id", "customer_id", "responded_at", "score", "scale_min",
              "scale_max")  # fmt: skip
    write_table(
        folder,
        "surveys",
        [
            # CSAT on mixed scales.
            {"response_id": "S1", "survey_type": "csat", "ticket_id": "T1", "customer_id": "C1",
             "responded_at": "2026-03-02T10:00:00", "score": "4", "scale_min": "1", "scale_max": "5"},
            {"response_id": "S2", "survey_type": " CSAT ", "customer_id": "C2",
             "responded_at": "2026-03-02T11:00:00", "score": "8", "scale_min": "1", "scale_max": "10"},
            {"response_id": "S3", "survey_type": "csat", "ticket_id": "T1",
             "responded_at": "2026-03-02T12:00:00", "score": "7", "scale_min": "1", "scale_max": "10"},
            {"response_id": "S4", "survey_type": "csat", "responded_at": "2026-03-03T09:00:00", "score": "3"},
            {"response_id": "S5", "survey_type": "csat", "responded_at": "2026-03-31T00:00:00", "score": "5"},
            # NPS: only passives on 03-02; 10, 9, 6, 8 on 03-03.
            *({"response_id": f"N{i}", "survey_type": "nps", "responded_at": "2026-03-02T09:00:00", "score": s}
              for i, s in enumerate(("7", "8", "8"), start=1)),
            *({"response_id": f"N{i}", "survey_type": "nps", "responded_at": "2026-03-03T09:00:00", "score": s}
              for i, s in enumerate(("10", "9", "6", "8"), start=4)),
            # CES: 2 on the default 1-7, 5 on 1-5.
            {"response_id": "E1", "survey_type": "ces", "responded_at": "2026-03-02T09:00:00", "score": "2"},
            {"response_id": "E2", "survey_type": "ces", "ticket_id": "T1", "responded_at": "2026-03-02T09:00:00",
             "score": "5", "scale_min": "1", "scale_max": "5"},
        ],
        survey,
    )  # fmt: skip
    return folder


def test_csat_on_mixed_scales_with_ticket_and_customer_dimensions(tmp_path: Path) -> None:
    # as-of 03-20: S5 (03-31) does not exist yet.
    # Normalized: S1 (4-1)/4 = 0.75 satisfied; S2 (8-1)/9 = 0.778 satisfied; S3 (7-1)/9 = 0.667 not;
    # S4 (3-1)/(5-1) = 0.5 not (null scale = 1-5).
    rows = compute_kpi_values(survey_folder(tmp_path), as_of=datetime(2026, 3, 20))
    # Day 03-02 (S1, S2, S3): 2 / 3 satisfied.
    assert parts(find(rows, "csat_pct", "day", "2026-03-02")) == (pytest.approx(200 / 3), 2.0, 3.0, 3)
    # Mean normalized x 100: (75 + 700/9 + 600/9) / 3 = (1975/9) / 3 = 73.148.
    avg = find(rows, "csat_avg_normalized", "day", "2026-03-02")
    assert (avg.value, avg.numerator, avg.denominator, avg.sample_size) == (
        pytest.approx(1975 / 27),
        pytest.approx(1975 / 9),
        3.0,
        3,
    )
    # Month (S1..S4): 2 / 4 = 50 %; mean (1975/9 + 50) / 4 = 2425/36 = 67.36.
    assert parts(find(rows, "csat_pct", "month", "2026-03-01")) == (50.0, 2.0, 4.0, 4)
    assert find(rows, "csat_avg_normalized", "month", "2026-03-01").value == pytest.approx(2425 / 36)
    # Ticket dimensions only for the linked S1, S3 (chat, agent a1): 1 / 2; the unlinked S2, S4 are in no channel.
    assert parts(find(rows, "csat_pct", "month", "2026-03-01", "channel", "chat")) == (50.0, 1.0, 2.0, 2)
    assert {r.dimension_value for r in rows if r.kpi_id == "csat_pct" and r.dimension == "channel"} == {"chat"}
    assert find(rows, "csat_pct", "month", "2026-03-01", "agent", "a1").sample_size == 2
    assert find(rows, "csat_pct", "month", "2026-03-01", "priority", "normal").sample_size == 2
    # Segment through the survey's customer; S3 names none and takes its ticket's customer C1:
    # enterprise S1, S3 -> 1/2; smb S2 -> 1/1; S4 (no ticket, no customer) -> unknown 0/1.
    assert parts(find(rows, "csat_pct", "month", "2026-03-01", "segment", "enterprise")) == (50.0, 1.0, 2.0, 2)
    assert parts(find(rows, "csat_pct", "month", "2026-03-01", "segment", "smb")) == (100.0, 1.0, 1.0, 1)
    assert parts(find(rows, "csat_pct", "month", "2026-03-01", "region", "unknown")) == (0.0, 0.0, 1.0, 1)


def test_nps_with_only_passives_is_zero_and_ces_rescales_to_one_to_seven(tmp_path: Path) -> None:
    rows = compute_kpi_values(survey_folder(tmp_path), as_of=datetime(2026, 3, 20))
    # 03-02: 7, 8, 8 are passives -> 100 x (0 - 0) / 3 = 0, and the row exists.
    assert parts(find(rows, "nps", "day", "2026-03-02")) == (0.0, 0.0, 3.0, 3)
    # 03-03: 10, 9 promoters, 6 detractor, 8 passive -> 100 x (2 - 1) / 4 = 25.
    assert parts(find(rows, "nps", "day", "2026-03-03")) == (25.0, 100.0, 4.0, 4)
    # Month: 100 x (2 - 1) / 7.
    assert parts(find(rows, "nps", "month", "2026-03-01")) == (pytest.approx(100 / 7), 100.0, 7.0, 7)
    # CES: 2 on 1-7 -> 1 + 6 x 1/6 = 2; 5 on 1-5 -> 1 + 6 x 1 = 7; mean 4.5.
    ces = find(rows, "ces_avg", "day", "2026-03-02")
    assert (ces.value, ces.numerator, ces.denominator, ces.sample_size) == (
        pytest.approx(4.5),
        pytest.approx(9.0),
        2.0,
        2,
    )
    # Only E2 is linked to T1 (chat).
    assert find(rows, "ces_avg", "day", "2026-03-02", "channel", "chat").value == pytest.approx(7.0)


def test_a_score_outside_its_scale_is_named(tmp_path: Path) -> None:
    write_folder(tmp_path, [ticket("T1", "2026-03-02T08:00:00")], [])
    write_table(tmp_path, "surveys", [{"response_id": "S1", "survey_type": "csat",
                                       "responded_at": "2026-03-02T09:00:00", "score": "6"}])  # fmt: skip
    with pytest.raises(ValueError, match=r"surveys\.csv row 1: score 6\.0 is outside its scale 1-5"):
        compute_kpi_values(tmp_path)
