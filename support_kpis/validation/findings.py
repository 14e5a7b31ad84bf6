"""Rows this run will set aside: collected per rule while GX runs, moved to quarantine once all tables passed.

Findings wait in a temporary table so that nothing moves when a table-level rule stops the run, and so that a
row breaking several rules is moved once, with all of them in `_rules`. A finding names its raw row by batch and
file row (`loaded_at`, `source_row`): after `load --append` a file row number repeats across batches.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd

from support_kpis.loading import move_to_quarantine
from support_kpis.loading.layout import LOADED_AT, add_set_aside_at_sql
from support_kpis.loading.registry import Registry
from support_kpis.loading.sql import ident, literal, qualified, table_exists
from support_kpis.settings import QUARANTINE_SCHEMA
from support_kpis.validation.derived import FINDINGS, same_row
from support_kpis.validation.outcome import RowId, rows_of
from support_kpis.validation.queries import fetch_int
from support_kpis.validation.suites import Rule
from support_kpis.validation.values import shown_values

_PLAN = "__validation_quarantine_plan"


def create_findings_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {FINDINGS} "
        "(table_name VARCHAR, loaded_at TIMESTAMP, source_row BIGINT, rule VARCHAR, rule_order INTEGER, "
        "message VARCHAR)"
    )


def record(con: duckdb.DuckDBPyConnection, rule: Rule, rule_order: int, frame: pd.DataFrame, rows: list[RowId]) -> None:
    """Remember that `rows` of rule.table break `rule`, with a message showing their values."""
    found = finding_rows(rule, rule_order, frame, rows)
    con.register("__validation_new_findings", found)
    try:
        con.execute(
            f"INSERT INTO {FINDINGS} SELECT table_name, CAST(loaded_at AS TIMESTAMP), source_row, rule, rule_order, "
            "message FROM __validation_new_findings"
        )
    finally:
        con.unregister("__validation_new_findings")


def finding_rows(rule: Rule, rule_order: int, frame: pd.DataFrame, rows: list[RowId]) -> pd.DataFrame:
    """The findings of `rows` (table_name, loaded_at, source_row, rule, rule_order, message); shared by every engine.

    loaded_at is null where the frame's `_loaded_at` is (raw written before the loader kept it: one batch).
    """
    found = rows_of(frame, rows, rule.shown_columns)
    shown = [c for c in rule.shown_columns if c in found.columns]
    messages = [
        f"{shown_values({c: found_row[c] for c in shown})}; expected: {rule.description}"
        for found_row in found.to_dict("records")
    ]
    return pd.DataFrame(
        {
            "table_name": rule.table,
            "loaded_at": (
                pd.to_datetime(found[LOADED_AT]).to_numpy()
                if LOADED_AT in found.columns
                else np.full(len(found), np.datetime64("NaT"), dtype="datetime64[us]")
            ),
            "source_row": found["_source_row"].astype("int64").to_numpy(),
            "rule": rule.name,
            "rule_order": rule_order,
            "message": messages,
        }
    )


def findings_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return fetch_int(
        con,
        f"SELECT count(*) FROM (SELECT DISTINCT loaded_at, source_row FROM {FINDINGS} WHERE table_name = ?)",
        [table],
    )


def set_aside(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, tuple[Registry, str]], set_aside_at: datetime
) -> dict[str, int]:
    """Move every recorded row from raw to quarantine; return the rows moved per suite name.

    `tables` maps a suite name (findings' table_name) to the registry and table it checks; `set_aside_at` (the
    run's time, naive UTC) goes to the moved rows' `_set_aside_at`.
    """
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_PLAN} AS
        SELECT table_name, loaded_at, source_row,
            string_agg(rule, '; ' ORDER BY rule_order) AS rules,
            string_agg(message, ' | ' ORDER BY rule_order) AS message
        FROM {FINDINGS} GROUP BY table_name, loaded_at, source_row"""
    )
    # Every checked quarantine table gets `_set_aside_at`, moved rows or not: one layout after a run, whatever
    # version of the loader wrote the table.
    for registry, table_name in tables.values():
        name = registry.quarantine_table(table_name)
        if table_exists(con, QUARANTINE_SCHEMA, name):
            con.execute(add_set_aside_at_sql(qualified(QUARANTINE_SCHEMA, name)))
    moved: dict[str, int] = {}
    groups = con.execute(f"SELECT DISTINCT table_name, rules FROM {_PLAN} ORDER BY 1, 2").fetchall()
    for table, rules in groups:
        of_group = f"p.table_name = {literal(table)} AND p.rules = {literal(rules)}"
        registry, table_name = tables[table]
        moved[table] = moved.get(table, 0) + move_to_quarantine(
            con,
            table_name,
            f"EXISTS (SELECT 1 FROM {ident(_PLAN)} AS p WHERE {of_group} AND {same_row('p')})",
            rules,
            # Unqualified `_source_row`, `_loaded_at`: the raw row being moved (the plan has no such columns).
            message_sql=f"(SELECT p.message FROM {ident(_PLAN)} AS p "
            f"WHERE p.table_name = {literal(table)} AND {same_row('p')})",
            registry=registry,
            set_aside_at=set_aside_at,
        )
    con.execute(f"DROP TABLE {_PLAN}")
    con.execute(f"DELETE FROM {FINDINGS}")
    return moved
