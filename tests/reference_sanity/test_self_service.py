"""The reference's knowledge-base, self-service and bot KPIs, worked out by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from reference import compute_kpi_values
from tests.reference_sanity.builders import (
    agent_reply,
    bot_message,
    find,
    internal_note,
    parts,
    series,
    status_change,
    ticket,
    write_folder,
    write_table,
)


def kb_folder(folder: Path) -> Path:
    write_folder(folder, [ticket("T1", "2026-01-05T00:00:00")], [])
    write_table(
        folder,
        "kb_articles",
        [
            {"article_id": "K1", "title": "a", "published_at": "2026-01-10T09:00:00", "archived_at": ""},
            # Archived exactly at the first instant of February: still live at January's end.
            {"article_id": "K2", "title": "b", "published_at": "2026-01-20T09:00:00",
             "archived_at": "2026-02-01T00:00:00"},
            # Published in the last second of January (UTC), archived mid-February.
            {"article_id": "K3", "title": "c", "published_at": "2026-01-31T23:59:59",
             "archived_at": "2026-02-15T00:00:00"},
            {"article_id": "K4", "title": "draft", "published_at": "", "archived_at": ""},
            # Archived after the as-of time: live at the as-of.
            {"article_id": "K5", "title": "e", "published_at": "2026-02-20T09:00:00",
             "archived_at": "2026-03-20T00:00:00"},
            {"article_id": "K6", "title": "f", "published_at": "2026-03-11T09:00:00", "archived_at": ""},
        ],
    )  # fmt: skip
    return folder


def test_live_kb_articles_across_a_month_end_with_an_archive(tmp_path: Path) -> None:
    rows = compute_kpi_values(kb_folder(tmp_path), as_of=datetime(2026, 3, 10, 12, 0))
    # January's end (before 02-01 00:00): K1, K2, K3. February's end: K1, K5 (K2, K3 archived).
    # March, at the as-of: K1, K5 (K5's archive and K6's publication are after the as-of).
    assert series(rows, "kb_articles_live", "month") == {"2026-01-01": 3.0, "2026-02-01": 2.0, "2026-03-01": 2.0}
    assert parts(find(rows, "kb_articles_live", "month", "2026-01-01")) == (3.0, None, None, 3)
    # Days: the first period is the first publication's (01-10); 01-31 ends with 3, 02-01 with K1, K3.
    days = series(rows, "kb_articles_live", "day")
    assert min(days) == "2026-01-10"
    assert (days["2026-01-10"], days["2026-01-31"], days["2026-02-01"], days["2026-03-10"]) == (1.0, 3.0, 2.0, 2.0)
    assert max(days) == "2026-03-10"
    # Week of Mon 01-26 ends at 02-02 00:00: K1, K3.
    assert find(rows, "kb_articles_live", "week", "2026-01-26").value == 2.0
    # Published: January K1, K2, K3; February K5; K6 not yet. No dimensions besides all.
    assert series(rows, "kb_articles_published", "month") == {"2026-01-01": 3.0, "2026-02-01": 1.0}
    assert {r.dimension for r in rows if r.kpi_id.startswith("kb_articles")} == {"all"}


def test_live_kb_articles_at_a_berlin_month_end(tmp_path: Path) -> None:
    # K3 is published 02-01 00:59:59 Berlin time, K2 archived 02-01 01:00 Berlin: January's end has K1, K2.
    rows = compute_kpi_values(
        kb_folder(tmp_path), as_of=datetime(2026, 3, 10, 12, 0), reporting_timezone="Europe/Berlin"
    )
    assert find(rows, "kb_articles_live", "month", "2026-01-01").value == 2.0
    assert find(rows, "kb_articles_published", "month", "2026-02-01").value == 2.0  # K3 and K5


def test_sessions_without_votes_have_no_helpfulness(tmp_path: Path) -> None:
    write_folder(
        tmp_path,
        [ticket("T1", "2026-03-02T12:00:00", customer_id="C1"), ticket("T2", "2026-03-03T12:00:00", customer_id="C2")],
        [],
        [{"customer_id": "C1", "segment": "smb", "region": "emea"},
         {"customer_id": "C2", "segment": "enterprise", "region": "emea"}],
    )  # fmt: skip
    header = ("session_id", "customer_id", "started_at", "article_id", "resolved", "ticket_id", "helpful")
    write_table(
        tmp_path,
        "self_service_sessions",
        [
            # 03-02: no votes at all.
            {"session_id": "X1", "customer_id": "C1", "started_at": "2026-03-02T09:00:00", "resolved": "true"},
            {"session_id": "X2", "customer_id": "C1", "started_at": "2026-03-02T10:00:00", "resolved": "TRUE",
             "ticket_id": "T1"},
            {"session_id": "X3", "started_at": "2026-03-02T11:00:00", "resolved": "false"},
            {"session_id": "X4", "customer_id": "C2", "started_at": "2026-03-02T11:30:00"},
            # 03-03: three votes.
            {"session_id": "X5", "customer_id": "C1", "started_at": "2026-03-03T09:00:00", "resolved": "yes",
             "helpful": "true"},
            {"session_id": "X6", "customer_id": "C1", "started_at": "2026-03-03T10:00:00", "resolved": "no",
             "helpful": "false"},
            {"session_id": "X7", "started_at": "2026-03-03T11:00:00", "resolved": "1", "helpful": "1"},
        ],
        header,
    )  # fmt: skip
    rows = compute_kpi_values(tmp_path)  # as-of: T2's creation, 03-03 12:00
    # 03-02: 4 sessions; resolved without a ticket: X1 only (X2 opened T1) -> 1/4; no vote -> no helpfulness row.
    assert parts(find(rows, "self_service_sessions", "day", "2026-03-02")) == (4.0, None, None, 4)
    assert parts(find(rows, "self_service_resolution_pct", "day", "2026-03-02")) == (25.0, 1.0, 4.0, 4)
    assert find(rows, "kb_helpfulness_pct", "day", "2026-03-02") is None
    # Deflection 03-02: deflected X1 / (X1 + ticket T1) = 1/2.
    assert parts(find(rows, "deflection_rate_pct", "day", "2026-03-02")) == (50.0, 1.0, 2.0, 2)
    # 03-03: helpful X5, X7 of 3 votes; resolved X5, X7 of 3; deflection 2 / (2 + T2) = 2/3.
    assert parts(find(rows, "kb_helpfulness_pct", "day", "2026-03-03")) == (pytest.approx(200 / 3), 2.0, 3.0, 3)
    assert parts(find(rows, "self_service_resolution_pct", "day", "2026-03-03")) == (
        pytest.approx(200 / 3), 2.0, 3.0, 3
    )  # fmt: skip
    assert parts(find(rows, "deflection_rate_pct", "day", "2026-03-03")) == (pytest.approx(200 / 3), 2.0, 3.0, 3)
    # Segments through the customer, a ticket's for the denominator: smb 03-02 X1 / (X1 + T1) = 1/2;
    # enterprise 03-02 has neither deflection nor ticket -> no row; 03-03 T2 only -> 0/1; unknown 03-03 X7 -> 1/1.
    assert parts(find(rows, "deflection_rate_pct", "day", "2026-03-02", "segment", "smb")) == (50.0, 1.0, 2.0, 2)
    assert find(rows, "deflection_rate_pct", "day", "2026-03-02", "segment", "enterprise") is None
    assert parts(find(rows, "deflection_rate_pct", "day", "2026-03-03", "segment", "enterprise")) == (0.0, 0.0, 1.0, 1)
    assert parts(find(rows, "deflection_rate_pct", "day", "2026-03-03", "segment", "unknown")) == (
        100.0, 1.0, 1.0, 1
    )  # fmt: skip
    # Sessions by segment: unknown X3 (03-02), resolution 0/1.
    assert parts(find(rows, "self_service_resolution_pct", "day", "2026-03-02", "segment", "unknown")) == (
        0.0, 0.0, 1.0, 1
    )  # fmt: skip
    assert {r.dimension for r in rows if r.kpi_id == "self_service_sessions"} == {"all", "segment", "region"}


def test_bot_containment_over_the_whole_history(tmp_path: Path) -> None:
    # All solved on 03-02. T1 chat: bot only -> contained. T2 chat: bot and an agent reply -> not.
    # T3 email: no bot -> not. T4 email: bot, solved, then an agent reply after the solve -> not.
    # T5: bot, never solved -> outside. T6 email: bot and an internal note (not public) -> contained.
    folder = write_folder(
        tmp_path,
        [ticket(t, "2026-03-02T08:00:00", channel="chat" if t in ("T1", "T2") else "email")
         for t in ("T1", "T2", "T3", "T4", "T5", "T6")],
        [
            bot_message("T1", "2026-03-02T08:01:00"), status_change("T1", "2026-03-02T09:00:00", "solved"),
            bot_message("T2", "2026-03-02T08:01:00"), agent_reply("T2", "2026-03-02T08:30:00"),
            status_change("T2", "2026-03-02T09:00:00", "solved"),
            status_change("T3", "2026-03-02T09:00:00", "solved"),
            bot_message("T4", "2026-03-02T08:01:00"), status_change("T4", "2026-03-02T09:00:00", "solved"),
            agent_reply("T4", "2026-03-02T10:00:00"),
            bot_message("T5", "2026-03-02T08:01:00"),
            bot_message("T6", "2026-03-02T08:01:00"), internal_note("T6", "2026-03-02T08:30:00"),
            status_change("T6", "2026-03-02T09:00:00", "closed"),
        ],
    )  # fmt: skip
    rows = compute_kpi_values(folder)
    # Contained T1, T6 of first resolved T1, T2, T3, T4, T6 -> 2/5; chat 1/2; email 1/3.
    assert parts(find(rows, "bot_resolution_pct", "day", "2026-03-02")) == (40.0, 2.0, 5.0, 5)
    assert parts(find(rows, "bot_resolution_pct", "day", "2026-03-02", "channel", "chat")) == (50.0, 1.0, 2.0, 2)
    assert find(rows, "bot_resolution_pct", "day", "2026-03-02", "channel", "email").value == pytest.approx(100 / 3)
