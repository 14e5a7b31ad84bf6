"""Columns computed in DuckDB next to a raw table's own, for rules GX cannot see within one table.

Cross-table rules (an event's ticket exists, an event is not earlier than its ticket) become a column per row that
a suite's expectation then checks, so GX still evaluates and reports every rule. A ticket that this run sets aside
counts as absent: its events would otherwise reach dbt without their ticket.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from support_kpis.contract import SOURCE_ROW_COLUMN
from support_kpis.loading.layout import LOADED_AT
from support_kpis.loading.registry import CONTRACT, SLA_TARGET_FIELDS, ZENDESK, Registry
from support_kpis.loading.sql import ident, literal, qualified
from support_kpis.settings import RAW_SCHEMA

CLEAN_TICKETS = "__validation_clean_tickets"
CLEAN_ZENDESK_TICKETS = "__validation_clean_zendesk_tickets"
# Rows this run sets aside: (table_name, loaded_at, source_row, rule, rule_order, message), one raw row named by
# its batch and file row (a file row repeats across appended batches).
FINDINGS = "__validation_findings"

# The contract's scales for a survey whose scale_min/scale_max are empty.
SURVEY_SCALES: dict[str, tuple[int, int]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}

# DuckDB types the derived columns' inputs must have (the loader's types for these contract columns).
_EXPECTED_TYPES = {
    "ticket_id": "VARCHAR",
    "occurred_at": "TIMESTAMP",
    "survey_type": "VARCHAR",
    "scale_min": "BIGINT",
    "scale_max": "BIGINT",
}


def same_row(finding: str, raw: str = "") -> str:
    """SQL: the finding (alias `finding`) names the raw row (alias `raw`; unqualified: the row of the outer query)."""
    prefix = f"{raw}." if raw else ""
    return (
        f"{finding}.source_row = {prefix}{SOURCE_ROW_COLUMN} "
        f"AND {finding}.loaded_at IS NOT DISTINCT FROM {prefix}{LOADED_AT}"
    )


@dataclass(frozen=True)
class Derived:
    select: tuple[str, ...] = ()  # "expression AS name" over the raw table aliased `src`
    join: str = ""


def derived_columns(table: str, columns: dict[str, str], tickets_ready: bool, registry: Registry = CONTRACT) -> Derived:
    """The derived columns of `table` given its columns and their DuckDB types.

    A derived column is NULL (so no rule fires on it) when an input is missing or not of its contract type: the
    table-level rules report that, and the run stops.
    """
    if registry.source == ZENDESK.source:
        return _zendesk_columns(table, columns, tickets_ready)
    usable = {name for name, type_ in columns.items() if _EXPECTED_TYPES.get(name, type_) == type_}
    if table == "ticket_events":
        return _ticket_references(usable, tickets_ready, with_timing=True)
    if table in ("surveys", "self_service_sessions"):
        references = _ticket_references(usable, tickets_ready, with_timing=False)
        if table == "surveys":
            return Derived((*references.select, *_survey_scales(usable)), references.join)
        return references
    return Derived()


def prepare_clean_tickets(con: duckdb.DuckDBPyConnection, tickets_columns: dict[str, str]) -> bool:
    """Materialise the tickets that stay in raw (ticket_id, created_at); False when tickets cannot be read so."""
    needed = {"ticket_id": "VARCHAR", "created_at": "TIMESTAMP", SOURCE_ROW_COLUMN: "BIGINT", LOADED_AT: "TIMESTAMP"}
    if any(tickets_columns.get(name) != type_ for name, type_ in needed.items()):
        return False
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CLEAN_TICKETS} AS
        SELECT t.ticket_id, min(t.created_at) AS created_at FROM {qualified(RAW_SCHEMA, "tickets")} AS t
        WHERE t.ticket_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM {FINDINGS} AS f WHERE f.table_name = 'tickets' AND {same_row("f", "t")}
        )
        GROUP BY t.ticket_id"""
    )
    return True


def prepare_clean_zendesk_tickets(con: duckdb.DuckDBPyConnection, ticket_columns: dict[str, str]) -> bool:
    """Materialise the Zendesk tickets that stay (id, created_at); False when zendesk.ticket cannot be read so."""
    needed = {"id": "BIGINT", "created_at": "TIMESTAMP", SOURCE_ROW_COLUMN: "BIGINT", LOADED_AT: "TIMESTAMP"}
    if any(ticket_columns.get(name) != type_ for name, type_ in needed.items()):
        return False
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CLEAN_ZENDESK_TICKETS} AS
        SELECT t.id, min(t.created_at) AS created_at FROM {qualified(ZENDESK.schema, "ticket")} AS t
        WHERE t.id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM {FINDINGS} AS f
            WHERE f.table_name = {literal(ZENDESK.suite_name("ticket"))} AND {same_row("f", "t")}
        )
        GROUP BY t.id"""
    )
    return True


# Zendesk tables whose rows belong to a ticket, and the timestamp of each row compared with the ticket's creation.
_ZENDESK_TICKET_CHILDREN: dict[str, str | None] = {
    "ticket_comment": "created",
    "ticket_field_history": None,
    "ticket_schedule": None,
    "ticket_tag": None,
}


def _zendesk_columns(table: str, columns: dict[str, str], tickets_ready: bool) -> Derived:
    select: list[str] = []
    joins: list[str] = []
    if table in _ZENDESK_TICKET_CHILDREN:
        usable = tickets_ready and columns.get("ticket_id") == "BIGINT"
        exists = "CASE WHEN src.ticket_id IS NULL THEN NULL ELSE tk.id IS NOT NULL END" if usable else "NULL"
        select.append(f"CAST({exists} AS BOOLEAN) AS ticket_exists")
        if usable:
            joins.append(f"LEFT JOIN {ident(CLEAN_ZENDESK_TICKETS)} AS tk ON tk.id = src.ticket_id")
        timed = _ZENDESK_TICKET_CHILDREN[table]
        if timed:
            ok = usable and columns.get(timed) == "TIMESTAMP"
            select += [
                f"{'tk.created_at' if ok else 'CAST(NULL AS TIMESTAMP)'} AS ticket_created_at",
                f"{_minutes_between(f'src.{timed}', 'tk.created_at') if ok else 'CAST(NULL AS DOUBLE)'}"
                " AS minutes_before_ticket_created",
            ]
    user_reference = {"ticket": "requester_id", "ticket_comment": "user_id"}.get(table)
    if user_reference:
        select.append(_exists_in(user_reference, columns, "user", "id", "user_exists", joins))
    if table == "ticket_schedule":
        select.append(_exists_in("schedule_id", columns, "schedule", "id", "schedule_exists", joins))
    if table == "ticket_field_history":
        text = columns.get("value") == "VARCHAR" and columns.get("field_name") == "VARCHAR"
        select.append(f"{'lower(trim(src.value))' if text else 'CAST(NULL AS VARCHAR)'} AS value_key")
        select.append(f"{_sla_target_ok() if text else 'CAST(NULL AS BOOLEAN)'} AS sla_target_ok")
    if table == "schedule":
        text = columns.get("time_zone") == "VARCHAR"
        select.append(f"{'lower(trim(src.time_zone))' if text else 'CAST(NULL AS VARCHAR)'} AS time_zone_key")
    if table == "schedule_holiday":
        dated = columns.get("start_date") == "DATE" and columns.get("end_date") == "DATE"
        span = "CAST(date_diff('day', src.start_date, src.end_date) + 1 AS BIGINT)" if dated else "NULL"
        select.append(f"CAST({span} AS BIGINT) AS span_days")
    if table == "ticket":
        text = columns.get("via_channel") == "VARCHAR"
        select.append(f"{'lower(trim(src.via_channel))' if text else 'CAST(NULL AS VARCHAR)'} AS via_channel_key")
    return Derived(tuple(select), " ".join(joins))


def _exists_in(column: str, columns: dict[str, str], table: str, key: str, name: str, joins: list[str]) -> str:
    """Whether the row's `column` is a `key` of zendesk.`table` (NULL when the column is empty or unusable)."""
    if columns.get(column) != "BIGINT":
        return f"CAST(NULL AS BOOLEAN) AS {name}"
    ids = qualified(ZENDESK.schema, table)
    exists = f"EXISTS (SELECT 1 FROM {ids} AS r WHERE r.{ident(key)} = src.{ident(column)})"
    return f"CASE WHEN src.{ident(column)} IS NULL THEN NULL ELSE {exists} END AS {name}"


def _sla_target_ok() -> str:
    """For an SLA target row with a value: JSON {"minutes": whole number > 0, "in_business_hours": boolean}."""
    fields = ", ".join(literal(f) for f in SLA_TARGET_FIELDS)
    json_value = "try_cast(src.value AS JSON)"
    minutes = f"json_extract({json_value}, '$.minutes')"
    business = f"json_extract({json_value}, '$.in_business_hours')"
    valid = (
        f"coalesce(json_type({minutes}) IN ('UBIGINT', 'BIGINT') AND try_cast({minutes} AS BIGINT) > 0 "
        f"AND json_type({business}) = 'BOOLEAN', false)"
    )
    return f"CASE WHEN src.field_name IN ({fields}) AND src.value IS NOT NULL THEN {valid} END"


def _ticket_references(present: set[str], tickets_ready: bool, *, with_timing: bool) -> Derived:
    usable = tickets_ready and "ticket_id" in present
    timed = usable and "occurred_at" in present
    exists = (
        "CASE WHEN src.ticket_id IS NULL THEN NULL ELSE tk.ticket_id IS NOT NULL END"
        if usable
        else "CAST(NULL AS BOOLEAN)"
    )
    select = [f"{exists} AS ticket_exists"]
    if with_timing:
        select += [
            f"{'tk.created_at' if timed else 'CAST(NULL AS TIMESTAMP)'} AS ticket_created_at",
            # Positive when the event happened before its ticket was created.
            f"{_minutes_between('src.occurred_at', 'tk.created_at') if timed else 'CAST(NULL AS DOUBLE)'}"
            " AS minutes_before_ticket_created",
        ]
    join = f"LEFT JOIN {ident(CLEAN_TICKETS)} AS tk ON tk.ticket_id = src.ticket_id" if usable else ""
    return Derived(tuple(select), join)


def _minutes_between(earlier: str, later: str) -> str:
    return f"CAST(date_diff('microsecond', {earlier}, {later}) AS DOUBLE) / 60e6"


def _survey_scales(present: set[str]) -> tuple[str, ...]:
    if not {"survey_type", "scale_min", "scale_max"} <= present:
        return (
            "CAST(NULL AS DOUBLE) AS scale_min_effective",
            "CAST(NULL AS DOUBLE) AS scale_max_effective",
            "CAST(NULL AS VARCHAR) AS scale",
        )
    low = "CASE src.survey_type " + " ".join(f"WHEN {literal(k)} THEN {v[0]}" for k, v in SURVEY_SCALES.items())
    high = "CASE src.survey_type " + " ".join(f"WHEN {literal(k)} THEN {v[1]}" for k, v in SURVEY_SCALES.items())
    minimum = f"coalesce(src.scale_min, {low} END)"
    maximum = f"coalesce(src.scale_max, {high} END)"
    return (
        f"CAST({minimum} AS DOUBLE) AS scale_min_effective",
        f"CAST({maximum} AS DOUBLE) AS scale_max_effective",
        f"CAST({minimum} AS VARCHAR) || '-' || CAST({maximum} AS VARCHAR) AS scale",
    )
