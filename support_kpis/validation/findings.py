"""Rows this run will set aside: collected per rule while GX runs, moved to quarantine once all tables passed.

Findings wait in a temporary table so that nothing moves when a table-level rule stops the run, and so that a
row breaking several rules is moved once, with all of them in `_rules`.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from support_kpis.loading import move_to_quarantine
from support_kpis.loading.registry import Registry
from support_kpis.loading.sql import ident, literal
from support_kpis.validation.derived import FINDINGS
from support_kpis.validation.outcome import rows_of
from support_kpis.validation.queries import fetch_int
from support_kpis.validation.suites import Rule
from support_kpis.validation.values import shown_values

_PLAN = "__validation_quarantine_plan"


def create_findings_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {FINDINGS} "
        "(table_name VARCHAR, source_row BIGINT, rule VARCHAR, rule_order INTEGER, message VARCHAR)"
    )


def record(
    con: duckdb.DuckDBPyConnection, rule: Rule, rule_order: int, frame: pd.DataFrame, source_rows: list[int]
) -> None:
    """Remember that `source_rows` of rule.table break `rule`, with a message showing their values."""
    rows = finding_rows(rule, rule_order, frame, source_rows)
    con.register("__validation_new_findings", rows)
    try:
        con.execute(f"INSERT INTO {FINDINGS} SELECT * FROM __validation_new_findings")
    finally:
        con.unregister("__validation_new_findings")


def finding_rows(rule: Rule, rule_order: int, frame: pd.DataFrame, source_rows: list[int]) -> pd.DataFrame:
    """The findings of `source_rows` (table_name, source_row, rule, rule_order, message); shared by every engine."""
    found = rows_of(frame, source_rows, rule.shown_columns)
    shown = [c for c in rule.shown_columns if c in found.columns]
    messages = [
        f"{shown_values({c: found_row[c] for c in shown})}; expected: {rule.description}"
        for found_row in found.to_dict("records")
    ]
    return pd.DataFrame(
        {
            "table_name": rule.table,
            "source_row": found["_source_row"].astype("int64").to_numpy(),
            "rule": rule.name,
            "rule_order": rule_order,
            "message": messages,
        }
    )


def findings_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return fetch_int(con, f"SELECT count(DISTINCT source_row) FROM {FINDINGS} WHERE table_name = ?", [table])


def set_aside(con: duckdb.DuckDBPyConnection, tables: Mapping[str, tuple[Registry, str]]) -> dict[str, int]:
    """Move every recorded row from raw to quarantine; return the rows moved per suite name.

    `tables` maps a suite name (findings' table_name) to the registry and table it checks.
    """
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_PLAN} AS
        SELECT table_name, source_row,
            string_agg(rule, '; ' ORDER BY rule_order) AS rules,
            string_agg(message, ' | ' ORDER BY rule_order) AS message
        FROM {FINDINGS} GROUP BY table_name, source_row"""
    )
    moved: dict[str, int] = {}
    groups = con.execute(f"SELECT DISTINCT table_name, rules FROM {_PLAN} ORDER BY 1, 2").fetchall()
    for table, rules in groups:
        of_group = f"table_name = {literal(table)} AND rules = {literal(rules)}"
        registry, table_name = tables[table]
        moved[table] = moved.get(table, 0) + move_to_quarantine(
            con,
            table_name,
            f"_source_row IN (SELECT source_row FROM {ident(_PLAN)} WHERE {of_group})",
            rules,
            # `_source_row` is the raw row being moved: the plan has no column of that name.
            message_sql=f"(SELECT p.message FROM {ident(_PLAN)} AS p "
            f"WHERE p.table_name = {literal(table)} AND p.source_row = _source_row)",
            registry=registry,
        )
    con.execute(f"DROP TABLE {_PLAN}")
    con.execute(f"DELETE FROM {FINDINGS}")
    return moved
