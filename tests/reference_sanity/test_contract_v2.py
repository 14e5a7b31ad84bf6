"""The reference's contract-v2 rules by hand: per-ticket targets, the seed rule, next replies, binary CSAT."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reference import compute_kpi_values
from reference.sla import ticket_sla_measures
from tests.reference_sanity.builders import (
    agent_reply,
    customer_message,
    find,
    parts,
    ticket,
    write_folder,
    write_table,
)

WEEKDAYS_9_TO_5_UTC = [
    {"schedule_id": "default", "timezone": "UTC", "day_of_week": str(day), "start_time": "09:00", "end_time": "17:00"}
    for day in range(1, 6)
]
AS_OF = datetime(2026, 3, 6, 12, 0)  # Friday


def _folder(tmp_path: Path) -> Path:
    # Mon 03-02 10:00, reply 10:30; then the customer writes at 16:30 and is answered Tue 09:45 and
    # writes again Wed 10:00 with no answer by the as-of time.
    folder = write_folder(
        tmp_path,
        [ticket("T", "2026-03-02T10:00:00", priority="high")],
        [customer_message("T", "2026-03-02T10:00:00"), agent_reply("T", "2026-03-02T10:30:00"),
         customer_message("T", "2026-03-02T16:30:00"), agent_reply("T", "2026-03-03T09:45:00"),
         customer_message("T", "2026-03-04T10:00:00")],
    )  # fmt: skip
    write_table(folder, "business_schedules", WEEKDAYS_9_TO_5_UTC)
    return folder


def _target(metric: str, minutes: str, business: str, applied_at: str) -> dict[str, str]:
    return {"ticket_id": "T", "metric": metric, "target_minutes": minutes, "business_hours": business,
            "applied_at": applied_at}  # fmt: skip


def test_without_policies_or_targets_the_shipped_seed_applies(tmp_path: Path) -> None:
    # seeds/sla_policies.csv: high/* 60 first response, 120 next reply, business. First response 30 business
    # minutes: met. Next replies: 16:30 -> Tue 09:45 = 30 + 45 = 75 <= 120 met; Wed 10:00 waiting, 120 business
    # minutes at the as-of time (Wed 10:00-17:00 = 420 + Thu 480 + Fri 180) > 120: breached.
    measures = ticket_sla_measures(_folder(tmp_path), as_of=AS_OF)["T"]
    assert measures.sla.first_response_status == "met"
    assert measures.sla.first_response_target is not None and measures.sla.first_response_target.source == "policy"
    assert [(r.status, r.target.minutes if r.target else None) for r in measures.next_replies] == [
        ("met", 120.0), ("breached", 120.0)]  # fmt: skip
    # Breach instants: 120 business minutes from Mon 16:30 = 30 Mon + 90 Tue -> Tue 10:30; from Wed 10:00 -> 12:00.
    assert [r.breach_at for r in measures.next_replies] == [datetime(2026, 3, 3, 10, 30), datetime(2026, 3, 4, 12, 0)]


def test_ticket_targets_turn_the_seed_off_and_decide_by_their_applied_time(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    write_table(
        folder,
        "ticket_sla_targets",
        [_target("first_response", "20", "true", "2026-03-02T10:00:00"),
         _target("first_response", "60", "true", "2026-03-02T10:40:00"),  # after the reply: plays no part
         _target("next_response", "30", "false", "2026-03-04T09:00:00")],  # before the waiting cycle only
    )  # fmt: skip
    measures = ticket_sla_measures(folder, as_of=AS_OF)["T"]
    # First response: 20 decides (applied 10:00 <= 10:30): 30 > 20 breached, at 10:20.
    assert (measures.sla.first_response_status, measures.first_response_breach_at) == (
        "breached", datetime(2026, 3, 2, 10, 20))  # fmt: skip
    # No sla_policies rows, but targets: the seed is off, so no resolution SLA and no policy for the first
    # next reply (its reply at Tue 09:45 came before any next_response target): no status.
    assert (measures.sla.policy, measures.sla.resolution_status) == (None, None)
    first, waiting = measures.next_replies
    assert (first.target, first.status) == (None, None)
    # The waiting cycle (Wed 10:00) is judged by the target in force at the as-of time: 30 calendar minutes,
    # long passed -> breached at 10:30.
    assert (waiting.status, waiting.breach_at) == ("breached", datetime(2026, 3, 4, 10, 30))
    rows = compute_kpi_values(folder, as_of=AS_OF)
    # Attributed to the cycle's start: Wed 03-04 breached (0 / 1); Mon's cycle has no target: no row.
    assert parts(find(rows, "sla_next_response_attainment_pct", "day", "2026-03-04")) == (0.0, 0.0, 1.0, 1)
    assert find(rows, "sla_next_response_attainment_pct", "day", "2026-03-02") is None


def test_binary_csat_counts_good_as_satisfied(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    write_table(
        folder,
        "surveys",
        [{"response_id": f"S{i}", "survey_type": "csat", "ticket_id": "T", "responded_at": "2026-03-03T12:00:00",
          "score": score, "scale_min": "0", "scale_max": "1"} for i, score in enumerate(["1", "1", "0", "1"])],
    )  # fmt: skip
    rows = compute_kpi_values(folder, as_of=AS_OF)
    # 3 good of 4: csat_pct 75; normalized mean (1 + 1 + 0 + 1) / 4 x 100 = 75.
    assert parts(find(rows, "csat_pct", "day", "2026-03-03")) == (75.0, 3.0, 4.0, 4)
    csat = find(rows, "csat_avg_normalized", "day", "2026-03-03")
    assert csat is not None and csat.value == 75.0
