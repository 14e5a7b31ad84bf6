"""The expectation suites of the Zendesk connector's tables (expectations/zendesk/<table>.json), written from code.

`python -m support_kpis.validation.zendesk_suites` rewrites them; a test checks they are current. The type, key and
enum rules follow the loader's declaration of each table (support_kpis/loading/registry.py, over the columns of
support_kpis/sample/zendesk/columns.py); the row rules below are those of the Zendesk conventions (docs: sources).
Same conventions as the contract suites (expectations/README.md): `meta.rule`, `meta.level`, `severity`, and ids
`uuid5(<suite id>, <meta.rule>)`, the suite's own id being `uuid5(NAMESPACE_URL, "support-kpis:expectations:<name>")`.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

from great_expectations.core import ExpectationSuite

from support_kpis.contract import Table
from support_kpis.loading.registry import (
    KNOWN_VIA_CHANNELS,
    SATISFACTION_SCORES,
    SLA_TARGET_FIELDS,
    TICKET_STATUSES,
    ZENDESK,
)
from support_kpis.loading.type_rules import column_rule
from support_kpis.validation.suites import SUITES_DIR, suites_dir

GX_DTYPES = {"timestamp": "datetime64", "date": "datetime64", "integer": "Int64", "boolean": "boolean"}
TIME_WINDOW = {
    "min_value": "1970-01-01T00:00:00",
    "max_value": "2100-01-01T00:00:00",
    "strict_min": True,
    "strict_max": True,
}
# Timestamps that give a fact its period: outside the window the row is set aside; others are only carried along.
PERIOD_TIMESTAMPS = {("ticket", "created_at"), ("ticket_comment", "created"), ("ticket_field_history", "updated")}
# Integer columns that are not ids, with their error range.
RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("ticket_comment", "call_duration"): (0, 86_400),
    ("schedule", "start_time"): (0, 10_079),
    ("schedule", "end_time"): (1, 10_080),
    ("daylight_time", "year"): (1970, 2099),
    ("daylight_time", "daylight_offset"): (-12, 14),
    ("sla_policy_metric_history", "target"): (0, 10_000_000),
}
# via_channel values the adapter maps by pattern rather than by name.
VIA_CHANNEL_PATTERN = r"^\s*(?:" + "|".join(KNOWN_VIA_CHANNELS) + r"|voice_.*|phone_.*|.*_dm|.*_post)\s*$"


def _suite_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"support-kpis:expectations:{name}"))


def _condition(column: str, value: str) -> dict[str, Any]:
    return {"type": "comparison", "column": {"name": column}, "operator": "==", "parameter": value}


class _Builder:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.name = ZENDESK.suite_name(table.name)
        self.id = _suite_id(self.name)
        self.expectations: list[dict[str, Any]] = []

    def add(
        self,
        type_: str,
        kwargs: dict[str, Any],
        rule: str,
        description: str,
        *,
        level: str = "row",
        severity: str = "critical",
        context: tuple[str, ...] = (),
    ) -> None:
        meta: dict[str, Any] = {"rule": rule, "level": level}
        if context:
            meta["context"] = list(context)
        self.expectations.append(
            {
                "type": type_,
                "kwargs": kwargs,
                "meta": meta,
                "description": description,
                "severity": severity,
                "id": str(uuid.uuid5(uuid.UUID(self.id), rule)),
            }
        )

    def document(self) -> dict[str, Any]:
        document = {"name": self.name, "id": self.id, "expectations": self.expectations, "meta": {}, "notes": None}
        # What GX itself writes for this suite: the file is GX's own format.
        return ExpectationSuite(**json.loads(json.dumps(document))).to_json_dict()


def suite_document(table: Table) -> dict[str, Any]:
    b = _Builder(table)
    name = table.name
    columns = ", ".join(table.column_names)
    b.add(
        "expect_table_columns_to_match_set",
        {"column_set": list(table.column_names), "exact_match": False},
        "missing_columns",
        f"{name} has every column the loader declares ({columns}); other columns are ignored.",
        level="table",
    )
    if table.required:
        b.add(
            "expect_table_row_count_to_be_between",
            {"min_value": 1},
            "empty_table",
            f"{name} is required and has at least one row.",
            level="table",
        )
    rules = [column_rule(table, c) for c in table.columns]
    for rule in rules:
        if rule.kind in GX_DTYPES:
            b.add(
                "expect_column_type_to_be",
                {"column": rule.name, "type_": GX_DTYPES[rule.kind]},
                f"unparseable_{rule.kind}({rule.name})",
                f"{rule.name} holds {rule.kind} values (typed by the loader).",
                level="table",
            )
    for rule in rules:
        if rule.column.required:
            b.add(
                "expect_column_values_to_not_be_null",
                {"column": rule.name},
                f"empty_required({rule.name})",
                f"{rule.name} is never empty.",
            )
    key = table.primary_key
    if len(key) == 1:
        b.add(
            "expect_column_values_to_be_unique",
            {"column": key[0]},
            f"duplicate_key({key[0]})",
            f"{key[0]} identifies one row (the loader has already resolved duplicate exports).",
        )
    else:
        b.add(
            "expect_compound_columns_to_be_unique",
            {"column_list": list(key)},
            f"duplicate_key({', '.join(key)})",
            f"({', '.join(key)}) identifies one row (the loader has already resolved duplicate exports).",
        )
    for rule in rules:
        if rule.kind == "enum":
            b.add(
                "expect_column_values_to_be_in_set",
                {"column": rule.name, "value_set": list(rule.allowed)},
                f"unknown_enum({rule.name})",
                f"{rule.name} is one of {', '.join(rule.allowed)}.",
            )
    for rule in rules:
        if rule.kind in ("timestamp", "date"):
            period = (name, rule.name) in PERIOD_TIMESTAMPS
            b.add(
                "expect_column_values_to_be_between",
                {"column": rule.name, **TIME_WINDOW},
                f"out_of_range({rule.name})",
                f"{rule.name} is after 1970-01-01 and before 2100-01-01"
                + ("." if period else " (kept: only carried along)."),
                severity="critical" if period else "warning",
            )
        if (name, rule.name) in RANGES:
            low, high = RANGES[(name, rule.name)]
            b.add(
                "expect_column_values_to_be_between",
                {"column": rule.name, "min_value": low, "max_value": high},
                f"out_of_range({rule.name})",
                f"{rule.name} is from {low:,} to {high:,}.",
            )
    _ROW_RULES.get(name, lambda _: None)(b)
    return b.document()


def _ticket(b: _Builder) -> None:
    b.add(
        "expect_column_values_to_match_regex",
        {"column": "via_channel_key", "regex": VIA_CHANNEL_PATTERN},
        "unusual_value(via_channel)",
        "via_channel is one the adapter maps by name or pattern; another value still loads and counts as channel "
        "other (kept).",
        severity="warning",
        context=("id", "via_channel"),
    )
    b.add(
        "expect_column_values_to_be_in_set",
        {"column": "user_exists", "value_set": [True]},
        "unknown_requester",
        "The ticket's requester_id is a user in user (kept: the ticket still counts, with an unknown customer).",
        severity="warning",
        context=("id", "requester_id"),
    )


def _ticket_comment(b: _Builder) -> None:
    b.add(
        "expect_column_values_to_be_in_set",
        {"column": "ticket_exists", "value_set": [True]},
        "orphan_comment",
        "The comment's ticket_id is a ticket in ticket (a ticket set aside in quarantine counts as absent).",
        context=("ticket_id",),
    )
    b.add(
        "expect_column_values_to_be_between",
        {"column": "minutes_before_ticket_created", "max_value": {"$PARAMETER": "event_tolerance_minutes"}},
        "comment_before_ticket_created",
        "The comment is not earlier than its ticket's created_at by more than the tolerance (parameter "
        "event_tolerance_minutes).",
        context=("ticket_id", "created", "ticket_created_at", "minutes_before_ticket_created"),
    )
    b.add(
        "expect_column_values_to_be_in_set",
        {"column": "user_exists", "value_set": [True]},
        "unknown_author",
        "The comment's user_id is a user in user (kept: an unknown author counts as the customer).",
        severity="warning",
        context=("id", "user_id"),
    )


def _ticket_field_history(b: _Builder) -> None:
    b.add(
        "expect_column_values_to_be_in_set",
        {"column": "ticket_exists", "value_set": [True]},
        "orphan_field_history",
        "The change's ticket_id is a ticket in ticket (a ticket set aside in quarantine counts as absent).",
        context=("ticket_id",),
    )
    b.add(
        "expect_column_values_to_be_in_set",
        {
            "column": "value_key",
            "value_set": list(TICKET_STATUSES),
            "row_condition": _condition("field_name", "status"),
        },
        "unknown_enum(value: status)",
        f"A status change's value is one of {', '.join(TICKET_STATUSES)}.",
        context=("ticket_id", "field_name", "value"),
    )
    b.add(
        "expect_column_values_to_be_in_set",
        {
            "column": "value_key",
            "value_set": list(SATISFACTION_SCORES),
            "row_condition": _condition("field_name", "satisfaction_score"),
        },
        "unknown_enum(value: satisfaction_score)",
        f"A satisfaction_score change's value is one of {', '.join(SATISFACTION_SCORES)}.",
        context=("ticket_id", "field_name", "value"),
    )
    b.add(
        "expect_column_values_to_be_in_set",
        {"column": "sla_target_ok", "value_set": [True]},
        "unparseable_sla_target(value)",
        f"An SLA target ({', '.join(SLA_TARGET_FIELDS)}) with a value is JSON "
        '{"minutes": a whole number above 0, "in_business_hours": true or false}.',
        context=("ticket_id", "field_name", "value"),
    )


def _ticket_schedule(b: _Builder) -> None:
    b.add(
        "expect_column_values_to_be_in_set",
        {"column": "ticket_exists", "value_set": [True]},
        "orphan_ticket_schedule",
        "The row's ticket_id is a ticket in ticket (a ticket set aside in quarantine counts as absent).",
        context=("ticket_id",),
    )
    b.add(
        "expect_column_values_to_be_in_set",
        {"column": "schedule_exists", "value_set": [True]},
        "unknown_schedule",
        "The row's schedule_id is a schedule in schedule (kept: the ticket falls to the default schedule).",
        severity="warning",
        context=("ticket_id", "schedule_id"),
    )


def _ticket_tag(b: _Builder) -> None:
    b.add(
        "expect_column_values_to_be_in_set",
        {"column": "ticket_exists", "value_set": [True]},
        "orphan_tag",
        "The tag's ticket_id is a ticket in ticket (kept: tags feed no KPI).",
        severity="warning",
        context=("ticket_id", "tag"),
    )


def _schedule(b: _Builder) -> None:
    b.add(
        "expect_column_pair_values_a_to_be_greater_than_b",
        {"column_A": "end_time", "column_B": "start_time", "ignore_row_if": "either_value_is_missing"},
        "end_before_start",
        "An open interval ends after it starts (minutes from Sunday 00:00 local time).",
        context=("id", "start_time", "end_time"),
    )
    b.add(
        "expect_column_values_to_be_in_set",
        {"column": "time_zone_key", "value_set": {"$PARAMETER": "known_zendesk_time_zones"}},
        "unknown_timezone(time_zone)",
        "time_zone is a Zendesk (Rails) time zone name or an IANA name, in any case (its tickets would otherwise "
        "have no business hours).",
        context=("id", "time_zone"),
    )


def _schedule_holiday(b: _Builder) -> None:
    b.add(
        "expect_column_pair_values_a_to_be_greater_than_b",
        {
            "column_A": "end_date",
            "column_B": "start_date",
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        },
        "end_before_start",
        "A holiday ends on or after the day it starts.",
        context=("id", "schedule_id", "start_date", "end_date"),
    )
    b.add(
        "expect_column_values_to_be_between",
        {"column": "span_days", "max_value": 366},
        "out_of_range(span_days)",
        "A holiday spans at most 366 days.",
        context=("id", "schedule_id", "start_date", "end_date"),
    )


def _time_zone(b: _Builder) -> None:
    b.add(
        "expect_column_values_to_match_regex",
        {"column": "standard_offset", "regex": r"^[+-]\d{2}:\d{2}$"},
        "unparseable_offset(standard_offset)",
        "standard_offset is an offset from UTC written +HH:MM or -HH:MM.",
        context=("time_zone", "standard_offset"),
    )


def _daylight_time(b: _Builder) -> None:
    b.add(
        "expect_column_pair_values_a_to_be_greater_than_b",
        {"column_A": "daylight_end_utc", "column_B": "daylight_start_utc", "ignore_row_if": "either_value_is_missing"},
        "end_before_start",
        "Daylight time ends after it starts.",
        context=("time_zone", "year", "daylight_start_utc", "daylight_end_utc"),
    )


_ROW_RULES = {
    "ticket": _ticket,
    "ticket_comment": _ticket_comment,
    "ticket_field_history": _ticket_field_history,
    "ticket_schedule": _ticket_schedule,
    "ticket_tag": _ticket_tag,
    "schedule": _schedule,
    "schedule_holiday": _schedule_holiday,
    "time_zone": _time_zone,
    "daylight_time": _daylight_time,
}


def suite_text(table: Table) -> str:
    return json.dumps(suite_document(table), indent=2, ensure_ascii=False) + "\n"


def write_suites(folder: Path = SUITES_DIR) -> list[Path]:
    where = suites_dir(ZENDESK, folder)
    where.mkdir(parents=True, exist_ok=True)
    written = []
    for table in ZENDESK.tables.values():
        path = where / f"{table.name}.json"
        path.write_text(suite_text(table), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_suites():
        print(path.relative_to(SUITES_DIR.parent), file=sys.stdout)
