"""Cases that each break one rule: a bad row in a file, or a row written straight into raw.

File cases go through the real loader, which quarantines what it cannot type (`stage="loader"`); the rest reach
raw and the Great Expectations suites must catch them (`stage="validation"`). Raw cases cover the suites' rules
that the loader makes unreachable from files (nulls, unknown enums, duplicate keys written by another tool).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from support_kpis.contract import TABLES
from support_kpis.kpi_registry import load_registry
from support_kpis.loading.type_rules import column_rule

from .base import BASE, RawRow, Row

Stage = Literal["loader", "validation"]

# A value of each kind the loader cannot type.
UNTYPEABLE = {
    "timestamp": "yesterday",
    "date": "2026-02-30",
    "month": "2026-03-15",
    "integer": "two",
    "number": "ten",
    "boolean": "maybe",
    "time": "25:00",
    "enum": "bogus",
}
INJECTION = '=HYPERLINK("http://example.com/x","click me")'


@dataclass(frozen=True)
class Case:
    table: str
    rule: str
    stage: Stage
    row: RawRow
    shows: str = ""  # text the quarantine message or the report's example must contain
    rows_failing: int = 1  # rows the rule flags (a duplicate key flags both rows)
    note: str = ""

    @property
    def case_id(self) -> str:
        return f"{self.table}:{self.rule}:{self.stage}{':' + self.note if self.note else ''}"


@dataclass(frozen=True)
class RawCase(Case):
    """Rows written into raw.<table> as another tool could have: values as DuckDB casts text."""

    extra_rows: tuple[RawRow, ...] = field(default=())


def template(table: str, n: int) -> Row:
    """A valid row of `table` whose string key columns are made unique with `n`."""
    row = dict(BASE[table][0])
    contract = TABLES[table]
    for key in contract.primary_key:
        if column_rule(contract, contract.column(key)).kind == "string":
            row[key] = f"{row[key]}-x{n}"
    if table == "kpi_targets":
        # A target must name a KPI of the catalog, or the unknown_kpi warning fires too.
        known = [kpi for kpi in load_registry().ids if kpi != BASE[table][0]["kpi_id"]]
        row["kpi_id"] = known[n % len(known)]
    return row


def loader_cases(tables: tuple[str, ...]) -> list[Case]:
    """For every required column an empty field, for every typed column a value the loader cannot type."""
    cases = []
    for table in tables:
        for i, column in enumerate(TABLES[table].columns):
            if column.required:
                row = template(table, 100 + i)
                row[column.name] = ""
                cases.append(Case(table, f"empty_required({column.name})", "loader", row, f"{column.name} is empty"))
            rule = column_rule(TABLES[table], column)
            if rule.kind != "string":
                row = template(table, 200 + i)
                row[column.name] = UNTYPEABLE[rule.kind]
                cases.append(Case(table, rule.rule, "loader", row, f"'{UNTYPEABLE[rule.kind]}'"))
    return cases


def data_file_cases() -> list[Case]:
    """Bad rows for the data tables, in files; none of them stops the run."""
    return [
        *loader_cases(tuple(t for t, c in TABLES.items() if not c.is_configuration)),
        Case("tickets", "unknown_enum(channel)", "loader", {**template("tickets", 1), "channel": INJECTION},
             INJECTION[:20], note="csv_injection"),
        # The Unix epoch itself is the commonest placeholder: the range starts just after it.
        Case("tickets", "out_of_range(created_at)", "validation",
             {**template("tickets", 48), "created_at": "1970-01-01T00:00:00Z", "updated_at": ""},
             "created_at 1970-01-01"),
        Case("tickets", "out_of_range(updated_at)", "validation",
             {**template("tickets", 49), "updated_at": "2100-01-01T00:00:00Z"}, "updated_at 2100-01-01"),
        Case("tickets", "updated_before_created", "validation",
             {**template("tickets", 2), "created_at": "2026-03-02T09:00:00Z", "updated_at": "2026-03-01T09:00:00Z"},
             "updated_at 2026-03-01 09:00:00"),
        Case("ticket_events", "out_of_range(handle_seconds)", "validation",
             {**template("ticket_events", 3), "actor_type": "agent", "handle_seconds": "-5"}, "handle_seconds -5"),
        # The value that used to overflow dbt's sums: the loader types it (it fits BIGINT), the range catches it.
        Case("ticket_events", "out_of_range(handle_seconds)", "validation",
             {**template("ticket_events", 44), "actor_type": "agent", "handle_seconds": "9223372036854775807"},
             "handle_seconds 9223372036854775807", note="int64_max"),
        Case("ticket_events", "unusual_value(handle_seconds)", "validation",
             {**template("ticket_events", 45), "actor_type": "agent", "handle_seconds": "20000"},
             "handle_seconds 20000"),
        Case("ticket_events", "out_of_range(new_tier)", "validation",
             {**template("ticket_events", 46), "event_type": "escalation", "actor_type": "agent", "is_public": "",
              "new_tier": "10"}, "new_tier 10"),
        Case("ticket_events", "unusual_value(new_tier)", "validation",
             {**template("ticket_events", 47), "event_type": "escalation", "actor_type": "agent", "is_public": "",
              "new_tier": "7"}, "new_tier 7"),
        Case("ticket_events", "orphan_event", "validation", {**template("ticket_events", 4), "ticket_id": "T404"},
             "ticket_id 'T404'"),
        # 10:30 at +03:00 is 07:30 UTC: 90 minutes before T1 was created (09:00 UTC), though it reads later.
        Case("ticket_events", "event_before_ticket_created", "validation",
             {**template("ticket_events", 5), "occurred_at": "2026-03-02T10:30:00+03:00"},
             "minutes_before_ticket_created 90", note="mixed_offsets"),
        Case("ticket_events", "message_without_is_public", "validation",
             {**template("ticket_events", 6), "is_public": ""}, "is_public empty"),
        Case("ticket_events", "status_change_without_new_status", "validation",
             {**template("ticket_events", 7), "event_type": "status_change", "actor_type": "system",
              "is_public": "", "body": ""}, "new_status empty"),
        Case("agents", "out_of_range(tier)", "validation", {**template("agents", 8), "tier": "10"}, "tier 10"),
        Case("agents", "unusual_value(tier)", "validation", {**template("agents", 40), "tier": "0"}, "tier 0"),
        Case("agents", "out_of_range(hourly_cost)", "validation", {**template("agents", 9), "hourly_cost": "-1"},
             "hourly_cost -1"),
        Case("agents", "unusual_value(hourly_cost)", "validation",
             {**template("agents", 41), "hourly_cost": "20000000"}, "hourly_cost 20000000"),
        Case("agents", "out_of_range(hired_at)", "validation", {**template("agents", 42), "hired_at": "1969-12-31"},
             "hired_at 1969-12-31"),
        Case("agents", "out_of_range(terminated_at)", "validation",
             {**template("agents", 43), "terminated_at": "2100-01-01"}, "terminated_at 2100-01-01"),
        Case("agents", "terminated_before_hired", "validation",
             {**template("agents", 10), "hired_at": "2025-01-01", "terminated_at": "2024-12-31"},
             "terminated_at 2024-12-31"),
        Case("agent_activity", "out_of_range(scheduled_seconds)", "validation",
             {**template("agent_activity", 11), "scheduled_seconds": "-60"}, "scheduled_seconds -60"),
        Case("agent_activity", "out_of_range(logged_in_seconds)", "validation",
             {**template("agent_activity", 12), "logged_in_seconds": "-1"}, "logged_in_seconds -1"),
        Case("agent_activity", "unusual_value(scheduled_seconds)", "validation",
             {**template("agent_activity", 50), "scheduled_seconds": "60000"}, "scheduled_seconds 60000"),
        Case("agent_activity", "unusual_value(logged_in_seconds)", "validation",
             {**template("agent_activity", 51), "logged_in_seconds": "70000"}, "logged_in_seconds 70000"),
        Case("agent_activity", "out_of_range(activity_date)", "validation",
             {**template("agent_activity", 52), "activity_date": "1969-12-31"}, "activity_date 1969-12-31"),
        Case("customers", "out_of_range(created_at)", "validation",
             {**template("customers", 53), "created_at": "1900-01-01T00:00:00Z"}, "created_at 1900-01-01"),
        Case("customer_revenue", "out_of_range(mrr)", "validation", {**template("customer_revenue", 13), "mrr": "-10"},
             "mrr -10"),
        Case("customer_revenue", "out_of_range(mrr)", "validation",
             {**template("customer_revenue", 54), "mrr": "1.7e308"}, "mrr 1.7e+308", note="huge"),
        # As a previous month's MRR it would be a denominator: growth rates would overflow to infinity.
        Case("customer_revenue", "out_of_range(mrr)", "validation",
             {**template("customer_revenue", 55), "mrr": "0.001"}, "mrr 0.001", note="under_a_cent"),
        Case("customer_revenue", "unusual_value(mrr)", "validation",
             {**template("customer_revenue", 56), "mrr": "2e12"}, "mrr 2000000000000"),
        Case("customer_revenue", "out_of_range(month)", "validation",
             {**template("customer_revenue", 57), "month": "1969-12-01"}, "month 1969-12-01"),
        Case("surveys", "score_below_scale", "validation",
             {**template("surveys", 14), "survey_type": "csat", "score": "0"}, "score 0"),
        Case("surveys", "score_above_scale", "validation",
             {**template("surveys", 15), "survey_type": "ces", "score": "8"}, "score 8"),
        Case("surveys", "nps_scale_not_0_to_10", "validation",
             {**template("surveys", 16), "survey_type": "nps", "score": "3", "scale_min": "1", "scale_max": "5"},
             "scale '1-5'"),
        Case("surveys", "survey_ticket_not_found", "validation", {**template("surveys", 17), "ticket_id": "T404"},
             "ticket_id 'T404'"),
        Case("surveys", "out_of_range(responded_at)", "validation",
             {**template("surveys", 58), "responded_at": "2100-01-01T00:00:00Z"}, "responded_at 2100-01-01"),
        Case("surveys", "out_of_range(scale_min)", "validation",
             {**template("surveys", 59), "survey_type": "csat", "score": "3", "scale_min": "-1", "scale_max": "5"},
             "scale_min -1"),
        Case("surveys", "unusual_value(scale_min)", "validation",
             {**template("surveys", 60), "survey_type": "csat", "score": "3", "scale_min": "2", "scale_max": "5"},
             "scale_min 2"),
        Case("surveys", "out_of_range(scale_max)", "validation",
             {**template("surveys", 61), "survey_type": "csat", "score": "3", "scale_min": "1", "scale_max": "101"},
             "scale_max 101"),
        Case("surveys", "unusual_value(scale_max)", "validation",
             {**template("surveys", 62), "survey_type": "csat", "score": "3", "scale_min": "1", "scale_max": "11"},
             "scale_max 11"),
        Case("reviews", "out_of_range(rating)", "validation", {**template("reviews", 18), "rating": "6"}, "rating 6"),
        Case("reviews", "out_of_range(published_at)", "validation",
             {**template("reviews", 63), "published_at": "0001-01-01T00:00:00Z"}, "published_at 0001-01-01"),
        Case("kb_articles", "archived_before_published", "validation",
             {**template("kb_articles", 19), "published_at": "2026-02-01T00:00:00Z",
              "archived_at": "2026-01-01T00:00:00Z"}, "archived_at 2026-01-01,"),
        Case("kb_articles", "out_of_range(created_at)", "validation",
             {**template("kb_articles", 64), "created_at": "1969-12-31T00:00:00Z"}, "created_at 1969-12-31"),
        Case("kb_articles", "out_of_range(published_at)", "validation",
             {**template("kb_articles", 65), "published_at": "1969-12-31T00:00:00Z"}, "published_at 1969-12-31"),
        Case("kb_articles", "out_of_range(archived_at)", "validation",
             {**template("kb_articles", 66), "archived_at": "9999-12-31T00:00:00Z"}, "archived_at 9999-12-31"),
        Case("self_service_sessions", "session_ticket_not_found", "validation",
             {**template("self_service_sessions", 20), "ticket_id": "T404"}, "ticket_id 'T404'"),
        Case("self_service_sessions", "out_of_range(started_at)", "validation",
             {**template("self_service_sessions", 67), "started_at": "2100-01-01T00:00:00Z"},
             "started_at 2100-01-01"),
        Case("support_costs", "out_of_range(amount)", "validation",
             {"month": "2026-05-01", "category": "other", "amount": "-1"}, "amount -1"),
        Case("support_costs", "unusual_value(amount)", "validation",
             {"month": "2026-06-01", "category": "other", "amount": "2e12"}, "amount 2000000000000"),
        Case("support_costs", "out_of_range(month)", "validation",
             {"month": "1969-12-01", "category": "other", "amount": "1"}, "month 1969-12-01"),
        Case("engagement_surveys", "out_of_range(score)", "validation",
             {**template("engagement_surveys", 21), "score": "11"}, "score 11"),
        Case("engagement_surveys", "out_of_range(responded_at)", "validation",
             {**template("engagement_surveys", 68), "responded_at": "1969-12-31T23:59:59Z"},
             "responded_at 1969-12-31 23:59:59"),
        Case("marketing_spend", "out_of_range(amount)", "validation", {"month": "2026-05-01", "amount": "-1"},
             "amount -1"),
        Case("marketing_spend", "unusual_value(amount)", "validation", {"month": "2026-06-01", "amount": "2e12"},
             "amount 2000000000000"),
        Case("marketing_spend", "out_of_range(month)", "validation", {"month": "2100-01-01", "amount": "1"},
             "month 2100-01-01"),
        Case("kpi_targets", "unknown_kpi(kpi_id)", "validation", {"kpi_id": "happiness_index", "target": "1"},
             "kpi_id 'happiness_index'"),
        Case("ticket_sla_targets", "out_of_range(target_minutes)", "validation",
             {**template("ticket_sla_targets", 70), "target_minutes": "0"}, "target_minutes 0"),
        Case("ticket_sla_targets", "unusual_value(target_minutes)", "validation",
             {**template("ticket_sla_targets", 71), "target_minutes": "50000"}, "target_minutes 50000"),
        Case("ticket_sla_targets", "out_of_range(applied_at)", "validation",
             {**template("ticket_sla_targets", 72), "applied_at": "2100-01-01T00:00:00Z"}, "applied_at 2100-01-01"),
    ]  # fmt: skip


def solo_file_cases() -> list[Case]:
    """Bad data rows that need a validation run of their own.

    An event stamped in 2100 also makes ticket_events look fresh (stale_events reads the latest occurred_at of every
    raw row), so it cannot share the data run, whose freshness warning must fire; on the early side an event is
    always before its ticket (event_before_ticket_created) as well.
    """
    return [
        Case("ticket_events", "out_of_range(occurred_at)", "validation",
             {**template("ticket_events", 69), "occurred_at": "2100-01-01T00:00:00Z"}, "occurred_at 2100-01-01"),
    ]  # fmt: skip


def configuration_file_cases() -> list[Case]:
    """Bad configuration rows, in files: each stops the run."""
    return [
        *loader_cases(tuple(t for t, c in TABLES.items() if c.is_configuration and t != "kpi_targets")),
        *(c for c in loader_cases(("kpi_targets",))),
        Case("business_schedules", "unknown_timezone(timezone)", "validation",
             {**template("business_schedules", 1), "timezone": "Mars/Olympus_Mons"}, "timezone 'Mars/Olympus_Mons'"),
        Case("business_schedules", "out_of_range(day_of_week)", "validation",
             {**template("business_schedules", 2), "day_of_week": "8"}, "day_of_week 8"),
        Case("business_schedules", "end_time_not_after_start_time", "validation",
             {**template("business_schedules", 3), "start_time": "17:00", "end_time": "09:00"}, "end_time '09:00'"),
        Case("sla_policies", "out_of_range(first_response_minutes)", "validation",
             {"priority": "low", "channel": "*", "first_response_minutes": "-1", "resolution_minutes": "60"},
             "first_response_minutes -1"),
        Case("sla_policies", "out_of_range(resolution_minutes)", "validation",
             {"priority": "normal", "channel": "*", "first_response_minutes": "1", "resolution_minutes": "-60"},
             "resolution_minutes -60"),
        Case("sla_policies", "unusual_value(first_response_minutes)", "validation",
             {"priority": "high", "channel": "web", "first_response_minutes": "20160", "resolution_minutes": "30000"},
             "first_response_minutes 20160"),
        Case("sla_policies", "unusual_value(resolution_minutes)", "validation",
             {"priority": "low", "channel": "social", "first_response_minutes": "60", "resolution_minutes": "86400"},
             "resolution_minutes 86400"),
        Case("sla_policies", "out_of_range(next_response_minutes)", "validation",
             {"priority": "normal", "channel": "web", "first_response_minutes": "60", "next_response_minutes": "0"},
             "next_response_minutes 0"),
        Case("sla_policies", "unusual_value(next_response_minutes)", "validation",
             {"priority": "urgent", "channel": "web", "first_response_minutes": "60", "next_response_minutes": "20160"},
             "next_response_minutes 20160"),
        Case("kpi_targets", "out_of_range(target)", "validation", {**template("kpi_targets", 30), "target": "2e15"},
             "target 2000000000000000"),
        Case("holidays", "out_of_range(holiday_date)", "validation",
             {"schedule_id": "emea", "holiday_date": "2100-01-01", "name": "New Year"}, "holiday_date 2100-01-01"),
    ]  # fmt: skip


def raw_cases(configuration: bool) -> list[RawCase]:
    """Rows only a warehouse written by another tool can hold: nulls, unknown enums, repeated keys."""
    cases: list[RawCase] = []
    tables = [t for t, c in TABLES.items() if c.is_configuration == configuration]
    for table in tables:
        contract = TABLES[table]
        for i, column in enumerate(contract.columns):
            if column.required:
                row: RawRow = {**_raw_template(table, 300 + i), column.name: None}
                rule_name = f"empty_required({column.name})"
                cases.append(RawCase(table, rule_name, "validation", row, f"{column.name} empty"))
            rule = column_rule(contract, column)
            if rule.kind == "enum":
                row = {**_raw_template(table, 400 + i), column.name: "bogus"}
                cases.append(RawCase(table, rule.rule, "validation", row, f"{column.name} 'bogus'"))
            if rule.kind == "time":
                # 'h' after a valid time keeps end_time after start_time, so only the format rule breaks.
                row = {**_raw_template(table, 450 + i), column.name: f"{BASE[table][0][column.name]}h"}
                cases.append(RawCase(table, rule.rule, "validation", row, f"{column.name} '"))
        twin: RawRow = dict(_raw_template(table, 500))
        keys = ", ".join(contract.primary_key)
        cases.append(
            RawCase(table, f"duplicate_key({keys})", "validation", twin, "", rows_failing=2, extra_rows=(dict(twin),))
        )
    return cases


def _raw_template(table: str, n: int) -> Row:
    """A valid raw row with a fresh key; key columns that are not strings get a value no base row has."""
    row = template(table, n)
    contract = TABLES[table]
    fresh = {"date": f"2027-01-{n % 28 + 1:02d}", "month": f"2027-{n % 12 + 1:02d}-01", "integer": str(n % 7 + 1)}
    for key in contract.primary_key:
        kind = column_rule(contract, contract.column(key)).kind
        if kind in fresh:
            row[key] = fresh[kind]
        elif kind == "enum" and table == "support_costs":
            row[key] = "overhead"
        elif kind == "enum":  # sla_policies: (priority, channel) with a channel no base row uses
            row["channel"] = "phone"
        elif kind == "time":
            row[key] = f"{n % 10:02d}:30"
            row["end_time"] = "23:00"
    return row
