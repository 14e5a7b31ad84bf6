"""Values beyond and at the ends of the gate's ranges, through the real loader, the real GX gate and a real dbt build.

No value that passes the gate may fail the build or leave a non-finite number in the marts: a value outside its
range is set aside with its rule (the build then runs on the rest), and a data set holding the extreme values every
range still allows, on both ends, builds and gives finite KPIs. The extremes are read from the suites themselves,
so widening a range without making the SQL safe for it fails here.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from support_kpis.contract import TABLES
from support_kpis.dbt_runner import run_dbt
from support_kpis.loading import load_folder
from support_kpis.validation.gate import validate_warehouse
from support_kpis.validation.options import ValidationOptions
from support_kpis.validation.report import ValidationReport
from support_kpis.validation.suites import SUITES_DIR
from tests.validation.bad_inputs.base import BASE, BASE_AS_OF, Row, write_folder
from tests.warehouses import build_warehouse, query

INT64_MAX = "9223372036854775807"
HUGE_MRR = "1.7e308"


def _gate_then_build(folder: Path, work: Path, as_of: datetime) -> tuple[ValidationReport, Path]:
    """load -> validate (rows breaking error rules set aside) -> dbt build, as `support-kpis demo` chains them."""
    warehouse = work / "warehouse.duckdb"
    load_folder(folder, warehouse)
    report = validate_warehouse(warehouse, ValidationOptions(report_dir=work / "report", as_of=as_of))
    run_dbt(["build"], warehouse=warehouse, target_dir=work / "target", quiet=True)
    return report, warehouse


def _non_finite_doubles(warehouse: Path) -> dict[str, int]:
    """Per mart column of type DOUBLE, the rows holding NaN or +-inf (only columns that have any)."""
    columns = query(
        warehouse,
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'main' and data_type = 'DOUBLE' order by 1, 2",
    )
    assert columns, "the marts have no DOUBLE columns: the check below would be empty"
    sql = 'select count(*) from main."{}" where not isfinite("{}")'
    counts = {f"{table}.{column}": query(warehouse, sql.format(table, column))[0][0] for table, column in columns}
    return {name: count for name, count in counts.items() if count}


# --- (a) the reproduction: one huge integer used to break `dbt build` -----------------------------------------


@pytest.mark.slow
def test_a_huge_handle_time_and_mrr_are_set_aside_and_the_build_succeeds(tmp_path: Path) -> None:
    tables = {t: [dict(r) for r in rows] for t, rows in BASE.items()}
    events = tables["ticket_events"]
    # E4 is A1's escalation of T1, the ticket and agent-day of E2's 120 s: summed with it, INT64_MAX overflowed
    # BIGINT in int_tickets_activity_summarized and fct_agent_days.
    huge_event = next(e for e in events if e["event_id"] == "E4")
    huge_event["handle_seconds"] = INT64_MAX
    revenue = tables["customer_revenue"]
    revenue.append({"customer_id": "C1", "month": "2026-02-01", "mrr": "100"})
    for row in revenue:
        if row["month"] == "2026-03-01":
            row["mrr"] = HUGE_MRR  # two of them: their sum was inf, and inf ended in kpi_values
    report, warehouse = _gate_then_build(
        write_folder(tmp_path / "data", tables), tmp_path, datetime.fromisoformat(BASE_AS_OF)
    )

    assert query(warehouse, "select event_id, _rules, _message from quarantine.ticket_events") == [
        ("E4", "out_of_range(handle_seconds)", f"handle_seconds {INT64_MAX}; expected: handle_seconds is from 0 to "
         "86,400 (one day): one event cannot take more agent time.")
    ]  # fmt: skip
    quarantined_revenue = query(
        warehouse, "select customer_id, _rules, _message from quarantine.customer_revenue order by 1"
    )
    assert [(c, r) for c, r, _ in quarantined_revenue] == [("C1", "out_of_range(mrr)"), ("C2", "out_of_range(mrr)")]
    assert all(message.startswith("mrr 1.7e+308; expected: mrr is 0") for _, _, message in quarantined_revenue)
    assert report.status == "passed" and report.rows_set_aside_now == 3

    # The build ran on the rest: T1's handle time is its other events', the money KPIs stand on the kept month.
    kept_handle = sum(int(e["handle_seconds"]) for e in events if e["ticket_id"] == "T1" and e is not huge_event
                      and e.get("handle_seconds"))  # fmt: skip
    assert kept_handle > 0
    assert query(warehouse, "select handle_seconds from fct_tickets where ticket_id = 'T1'") == [(kept_handle,)]
    # March kept no revenue row, so no active customer: MRR has no row there (its sample is the active customers).
    assert query(
        warehouse,
        "select period_start, value from kpi_values where kpi_id = 'mrr' and dimension = 'all' order by 1",
    ) == [(date(2026, 2, 1), 100.0)]
    assert _non_finite_doubles(warehouse) == {}


@pytest.mark.slow
def test_a_survey_scale_as_wide_as_bigint_builds_even_without_the_gate(tmp_path: Path) -> None:
    # `support-kpis build` does not run the gate: where two contract integers meet in SQL, the SQL itself is safe.
    tables = {t: [dict(r) for r in rows] for t, rows in BASE.items()}
    survey = next(r for r in tables["surveys"] if r["survey_type"] == "csat")
    low, high = -(2**63), 2**63 - 1
    survey.update(scale_min=str(low), scale_max=str(high))
    # After the surveys' responses, which come a day after the last event (the default as-of time).
    warehouse = build_warehouse(write_folder(tmp_path / "data", tables), tmp_path, {"as_of": "2026-03-04T00:00:00"})
    (normalized,) = query(
        warehouse, "select normalized_score from fct_survey_responses where response_id = ?", [survey["response_id"]]
    )[0]
    assert normalized == pytest.approx((float(survey["score"]) - low) / (float(high) - float(low)))


# --- (b) every range at both of its ends: the build succeeds and every number is finite ------------------------


def _suite_rules() -> dict[tuple[str, str], dict[str, Any]]:
    rules = {}
    for table in TABLES:
        document = json.loads((SUITES_DIR / f"{table}.json").read_text(encoding="utf-8"))
        rules.update({(table, e["meta"]["rule"]): e for e in document["expectations"]})
    return rules


RULES = _suite_rules()


def _number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def numeric_ends(table: str, column: str) -> tuple[str, str]:
    """The lowest and highest value the column's error range still allows, as CSV text."""
    kwargs = RULES[(table, f"out_of_range({column})")]["kwargs"]
    return _number(kwargs["min_value"]), _number(kwargs["max_value"])


def temporal_ends(table: str, column: str) -> tuple[str, str]:
    """The earliest and latest value the column's range allows, one step inside where a bound is strict."""
    kwargs = RULES[(table, f"out_of_range({column})")]["kwargs"]
    low, high = datetime.fromisoformat(kwargs["min_value"]), datetime.fromisoformat(kwargs["max_value"])
    kind = TABLES[table].column(column).type
    if kind == "timestamp":
        step = timedelta(seconds=1)
        low, high = low + step * kwargs.get("strict_min", False), high - step * kwargs.get("strict_max", False)
        return f"{low.isoformat()}Z", f"{high.isoformat()}Z"
    first, last = low.date(), high.date()
    if kind == "date":
        return (str(first + timedelta(days=kwargs.get("strict_min", False))),
                str(last - timedelta(days=kwargs.get("strict_max", False))))  # fmt: skip
    # month: the first day of the first month after the bound, and of the last month before it
    if kwargs.get("strict_min", False) or first.day != 1:
        first = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    if kwargs.get("strict_max", False):
        last = (last.replace(day=1) - timedelta(days=1)).replace(day=1)
    return str(first), str(last.replace(day=1))


def _edge_tables() -> dict[str, list[Row]]:
    """The clean base plus rows holding every range's extreme allowed values (both ends), coherent with each other."""
    # fmt: off
    tables = {t: [dict(r) for r in rows] for t, rows in BASE.items()}

    def add(table: str, *rows: Row) -> None:
        tables[table].extend(rows)

    t_low, t_high = temporal_ends("tickets", "created_at")
    u_low, u_high = temporal_ends("tickets", "updated_at")
    add("tickets",
        {"ticket_id": "TL", "created_at": t_low, "updated_at": u_low,
         "customer_id": "CL", "channel": "email", "priority": "urgent", "status": "solved", "assignee_id": "A1",
         "schedule_id": "emea"},
        {"ticket_id": "TH", "created_at": t_high, "updated_at": u_high,
         "customer_id": "CH", "channel": "chat", "priority": "high", "status": "open", "assignee_id": "A2"})

    o_low, o_high = temporal_ends("ticket_events", "occurred_at")
    h_low, h_high = numeric_ends("ticket_events", "handle_seconds")
    tier_low, tier_high = numeric_ends("ticket_events", "new_tier")
    event = {"event_type": "message", "is_public": "true", "body": "x"}
    add("ticket_events",
        # TL: created, answered and escalated at the earliest instant, solved at the latest: a 130-year ticket.
        {**event, "event_id": "EL1", "ticket_id": "TL", "occurred_at": o_low, "actor_type": "customer"},
        {**event, "event_id": "EL2", "ticket_id": "TL", "occurred_at": o_low, "actor_type": "agent",
         "actor_id": "A1", "handle_seconds": h_high},
        {"event_id": "EL3", "ticket_id": "TL", "occurred_at": o_low, "event_type": "escalation",
         "actor_type": "agent", "actor_id": "A1", "new_tier": tier_high, "handle_seconds": h_low},
        {"event_id": "EL4", "ticket_id": "TL", "occurred_at": o_high, "event_type": "status_change",
         "actor_type": "agent", "actor_id": "A2", "new_status": "solved", "handle_seconds": h_high},
        # TH: at the latest instant, three replies of a full day each by one agent on one day.
        {**event, "event_id": "EH1", "ticket_id": "TH", "occurred_at": o_high, "actor_type": "customer"},
        *({**event, "event_id": f"EH{n}", "ticket_id": "TH", "occurred_at": o_high, "actor_type": "agent",
           "actor_id": "A2", "handle_seconds": h_high} for n in (2, 3, 4)),
        {"event_id": "EH5", "ticket_id": "TH", "occurred_at": o_high, "event_type": "escalation",
         "actor_type": "agent", "actor_id": "A2", "new_tier": tier_low})

    tier_low, tier_high = numeric_ends("agents", "tier")
    cost_low, cost_high = numeric_ends("agents", "hourly_cost")
    hired_low, hired_high = temporal_ends("agents", "hired_at")
    ended_low, ended_high = temporal_ends("agents", "terminated_at")
    for row, tier, cost in zip(tables["agents"], (tier_low, tier_high), (cost_low, cost_high), strict=True):
        row.update(tier=tier, hourly_cost=cost)
    add("agents",
        {"agent_id": "AL", "tier": tier_low, "hired_at": hired_low, "terminated_at": ended_low},
        {"agent_id": "AH", "tier": tier_high, "hired_at": hired_high, "terminated_at": ended_high})

    d_low, d_high = temporal_ends("agent_activity", "activity_date")
    s_low, s_high = numeric_ends("agent_activity", "scheduled_seconds")
    l_low, l_high = numeric_ends("agent_activity", "logged_in_seconds")
    add("agent_activity",
        {"agent_id": "A1", "activity_date": d_low, "scheduled_seconds": s_high, "logged_in_seconds": l_high},
        {"agent_id": "A2", "activity_date": d_low, "scheduled_seconds": s_low, "logged_in_seconds": l_low},
        # A2's day of three full-day replies: utilization far above 100 %, and finite.
        {"agent_id": "A2", "activity_date": d_high, "scheduled_seconds": s_low, "logged_in_seconds": l_high},
        {"agent_id": "A1", "activity_date": d_high, "scheduled_seconds": s_high, "logged_in_seconds": l_low})

    c_low, c_high = temporal_ends("customers", "created_at")
    add("customers", {"customer_id": "CL", "created_at": c_low, "segment": "edge"},
        {"customer_id": "CH", "created_at": c_high, "segment": "edge"})

    m_low, m_high = temporal_ends("customer_revenue", "month")
    after_low = str((date.fromisoformat(m_low).replace(day=28) + timedelta(days=4)).replace(day=1))
    mrr_cent, mrr_high = numeric_ends("customer_revenue", "mrr")
    add("customer_revenue",
        # A cent, then the ceiling (growth from the smallest denominator), and the reverse; 0 is "not active".
        {"customer_id": "CL", "month": m_low, "mrr": mrr_cent},
        {"customer_id": "CL", "month": after_low, "mrr": mrr_high},
        {"customer_id": "CL", "month": m_high, "mrr": mrr_high},
        {"customer_id": "CH", "month": m_low, "mrr": mrr_high},
        {"customer_id": "CH", "month": after_low, "mrr": mrr_cent},
        {"customer_id": "CH", "month": m_high, "mrr": "0"})

    r_low, r_high = temporal_ends("surveys", "responded_at")
    min_low, min_high = numeric_ends("surveys", "scale_min")
    max_low, max_high = numeric_ends("surveys", "scale_max")
    add("surveys",
        {"response_id": "RL1", "survey_type": "csat", "ticket_id": "TL", "responded_at": r_low,
         "score": min_low, "scale_min": min_low, "scale_max": max_high},
        {"response_id": "RL2", "survey_type": "csat", "ticket_id": "TL", "responded_at": r_low,
         "score": max_low, "scale_min": min_low, "scale_max": max_low},
        # A one-point scale: no spread to normalise by.
        {"response_id": "RH1", "survey_type": "ces", "ticket_id": "TH", "responded_at": r_high,
         "score": min_high, "scale_min": min_high, "scale_max": max_high},
        {"response_id": "RH2", "survey_type": "nps", "customer_id": "CH", "responded_at": r_high, "score": "10"})

    p_low, p_high = temporal_ends("reviews", "published_at")
    rating_low, rating_high = numeric_ends("reviews", "rating")
    add("reviews",
        {"review_id": "VL", "rating": rating_high, "published_at": p_low},
        {"review_id": "VH", "rating": rating_high, "published_at": p_high},
        {"review_id": "VH2", "rating": rating_low, "published_at": p_high})

    k_low, k_high = temporal_ends("kb_articles", "published_at")
    kc_low, kc_high = temporal_ends("kb_articles", "created_at")
    a_low, a_high = temporal_ends("kb_articles", "archived_at")
    add("kb_articles",
        {"article_id": "KL", "created_at": kc_low, "published_at": k_low, "archived_at": a_high},
        {"article_id": "KL2", "created_at": kc_low, "published_at": k_low, "archived_at": a_low},
        {"article_id": "KH", "created_at": kc_high, "published_at": k_high})

    st_low, st_high = temporal_ends("self_service_sessions", "started_at")
    add("self_service_sessions",
        {"session_id": "SL", "started_at": st_low, "article_id": "KL", "resolved": "true", "helpful": "yes"},
        {"session_id": "SH", "started_at": st_high, "article_id": "KH", "resolved": "false", "ticket_id": "TH"})

    cm_low, cm_high = temporal_ends("support_costs", "month")
    amount_low, amount_high = numeric_ends("support_costs", "amount")
    categories = TABLES["support_costs"].column("category").enum
    add("support_costs",
        *({"month": month, "category": c, "amount": amount_high} for month in (cm_low, cm_high) for c in categories))
    tables["support_costs"].append({**tables["support_costs"][-1], "month": after_low, "amount": amount_low})

    e_low, e_high = temporal_ends("engagement_surveys", "responded_at")
    g_low, g_high = numeric_ends("engagement_surveys", "score")
    add("engagement_surveys",
        {"response_id": "GL", "agent_id": "A1", "responded_at": e_low, "score": g_low},
        {"response_id": "GH", "agent_id": "A2", "responded_at": e_high, "score": g_high})

    ms_low, ms_high = temporal_ends("marketing_spend", "month")
    spend_low, spend_high = numeric_ends("marketing_spend", "amount")
    add("marketing_spend", {"month": ms_low, "amount": spend_high}, {"month": ms_high, "amount": spend_low})

    day_low, day_high = numeric_ends("business_schedules", "day_of_week")
    assert {day_low, day_high} <= {r["day_of_week"] for r in tables["business_schedules"]}
    hd_low, hd_high = temporal_ends("holidays", "holiday_date")
    add("holidays", {"schedule_id": "emea", "holiday_date": hd_low}, {"schedule_id": "emea", "holiday_date": hd_high})

    fr_low, fr_high = numeric_ends("sla_policies", "first_response_minutes")
    res_low, res_high = numeric_ends("sla_policies", "resolution_minutes")
    nr_low, nr_high = numeric_ends("sla_policies", "next_response_minutes")
    add("sla_policies",
        {"priority": "urgent", "channel": "email", "first_response_minutes": fr_low, "resolution_minutes": res_low,
         "business_hours": "true", "next_response_minutes": nr_low},
        {"priority": "high", "channel": "chat", "first_response_minutes": fr_high, "resolution_minutes": res_high,
         "business_hours": "true", "next_response_minutes": nr_high},
        {"priority": "urgent", "channel": "chat", "first_response_minutes": fr_high, "resolution_minutes": res_high,
         "business_hours": "false", "next_response_minutes": nr_high})

    tt_low, tt_high = numeric_ends("ticket_sla_targets", "target_minutes")
    ta_low, ta_high = temporal_ends("ticket_sla_targets", "applied_at")
    add("ticket_sla_targets",
        {"ticket_id": "TL", "metric": "first_response", "target_minutes": tt_low, "business_hours": "true",
         "applied_at": ta_low},
        {"ticket_id": "TL", "metric": "resolution", "target_minutes": tt_high, "business_hours": "true",
         "applied_at": ta_low},
        {"ticket_id": "TH", "metric": "next_response", "target_minutes": tt_high, "business_hours": "false",
         "applied_at": ta_high},
        {"ticket_id": "TH", "metric": "first_response", "target_minutes": tt_low, "business_hours": "false",
         "applied_at": ta_high})

    target_low, target_high = numeric_ends("kpi_targets", "target")
    add("kpi_targets", {"kpi_id": "csat_pct", "target": target_high}, {"kpi_id": "mrr", "target": target_low})
    return tables
    # fmt: on


def test_every_numeric_and_temporal_column_is_at_both_ends_in_the_edge_data() -> None:
    # Guards the data set below: a new range (or a new contract column) must get its extremes there.
    tables = _edge_tables()
    for (table, rule), expectation in RULES.items():
        if not rule.startswith("out_of_range(") or expectation["type"] != "expect_column_values_to_be_between":
            continue
        column = expectation["kwargs"]["column"]
        kind = TABLES[table].column(column).type
        ends = numeric_ends(table, column) if kind in ("integer", "number") else temporal_ends(table, column)
        present = {row.get(column) for row in tables[table]}
        assert set(ends) <= present, (table, column, ends)


@pytest.mark.slow
def test_the_extremes_every_range_allows_pass_the_gate_and_build_with_finite_kpis(tmp_path: Path) -> None:
    t_low, t_high = temporal_ends("tickets", "created_at")
    report, warehouse = _gate_then_build(
        write_folder(tmp_path / "data", _edge_tables()), tmp_path, datetime.fromisoformat(t_high.rstrip("Z"))
    )
    errors = [(t.table, o.rule.name) for t in report.tables for o in t.failing if o.rule.severity == "error"]
    assert errors == [] and report.rows_quarantined == 0 and report.success
    in_quarantine = {t: query(warehouse, f"select count(*) from quarantine.{t}")[0][0] for t in TABLES}
    assert set(in_quarantine.values()) == {0}, in_quarantine

    # The edge rows reached the marts (the build did not silently drop them) ...
    earliest, latest = query(warehouse, "select min(created_at), max(created_at) from fct_tickets")[0]
    assert (earliest.isoformat(), latest.isoformat()) == (t_low.rstrip("Z"), t_high.rstrip("Z"))
    per_kpi = dict(query(warehouse, "select kpi_id, count(*) from kpi_values group by 1"))
    reached = ("average_handle_time_minutes", "agent_utilization_pct", "mrr", "mrr_growth_rate_pct",
               "support_cost_to_revenue_pct", "csat_avg_normalized", "avg_days_between_positive_reviews")  # fmt: skip
    assert [kpi for kpi in reached if not per_kpi.get(kpi)] == []
    # ... and every number they gave is finite.
    assert _non_finite_doubles(warehouse) == {}
