"""findings.py for Postgres: rows this run sets aside, kept in a work schema of the run, moved in one transaction.

The work schema (findings, clean tickets) is a real schema, not temporary tables, because Great Expectations reads
through its own connection; it is named per run and dropped at the end, failure or not.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pandas as pd
import psycopg2
from psycopg2.extras import execute_values

from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN
from support_kpis.errors import UserError
from support_kpis.loading.layout import LOADED_AT, MESSAGE, RULES, SET_ASIDE_AT, add_set_aside_at_sql, raw_columns
from support_kpis.loading.registry import Registry
from support_kpis.loading.sql import ident, literal, qualified
from support_kpis.settings import QUARANTINE_SCHEMA
from support_kpis.targets.postgres import first_line
from support_kpis.validation.findings import finding_rows
from support_kpis.validation.outcome import RowId
from support_kpis.validation.postgres_ledger import has_column, scalar, table_exists
from support_kpis.validation.suites import Rule

FINDINGS = "findings"
CLEAN_TICKETS = "clean_tickets"


@contextmanager
def work_schema(pg: Any) -> Iterator[str]:
    """A fresh schema for this run, holding the findings table; dropped on the way out."""
    schema = f"support_kpis_validation_{uuid.uuid4().hex[:12]}"
    try:
        with pg.cursor() as cur:
            cur.execute(f"CREATE SCHEMA {ident(schema)}")
            cur.execute(
                f"CREATE TABLE {qualified(schema, FINDINGS)} "
                "(table_name text, loaded_at timestamp, source_row bigint, rule text, rule_order integer, message text)"
            )
        pg.commit()
    except psycopg2.Error as exc:
        pg.rollback()
        raise UserError(
            f"cannot create the validation's work schema in Postgres: {first_line(exc)} "
            "(the gate needs the CREATE privilege on the database)"
        ) from None
    try:
        yield schema
    finally:
        pg.rollback()
        with pg.cursor() as cur:
            cur.execute(f"DROP SCHEMA IF EXISTS {ident(schema)} CASCADE")
        pg.commit()


def record(pg: Any, schema: str, rule: Rule, rule_order: int, frame: pd.DataFrame, rows: list[RowId]) -> None:
    """Remember that `rows` break `rule`; messages are made by the DuckDB gate's code from the same values.

    A finding names its raw row by batch and file row (`loaded_at`, `source_row`), as on DuckDB: after
    `load --append --target postgres` a file row number repeats across batches. `loaded_at` is null for a raw table
    without `_loaded_at` (written before the loader kept it), which holds one batch.
    """
    found = finding_rows(rule, rule_order, frame, rows)
    values = [
        (
            str(r.table_name),
            None if pd.isna(r.loaded_at) else pd.Timestamp(r.loaded_at).to_pydatetime(),
            int(r.source_row),
            str(r.rule),
            int(r.rule_order),
            str(r.message),
        )
        for r in found.itertuples(index=False)
    ]
    with pg.cursor() as cur:
        execute_values(cur, f"INSERT INTO {qualified(schema, FINDINGS)} VALUES %s", values, page_size=5000)
    pg.commit()


def same_row(finding: str, raw: str, raw_has_loaded_at: bool) -> str:
    """SQL: the finding (alias `finding`) names the row of raw (alias `raw`); a raw table without `_loaded_at` holds
    one batch, whose findings have no load time."""
    batch = (
        f"{finding}.loaded_at IS NOT DISTINCT FROM {raw}.{ident(LOADED_AT)}"
        if raw_has_loaded_at
        else f"{finding}.loaded_at IS NULL"
    )
    return f"{finding}.source_row = {raw}.{ident(SOURCE_ROW_COLUMN)} AND {batch}"


def findings_count(pg: Any, schema: str, table: str) -> int:
    sql = (
        "SELECT count(*) FROM (SELECT DISTINCT loaded_at, source_row "
        f"FROM {qualified(schema, FINDINGS)} WHERE table_name = %s) AS f"
    )
    return int(scalar(pg, sql, [table]) or 0)


def set_aside(pg: Any, schema: str, tables: dict[str, tuple[Registry, str]], set_aside_at: datetime) -> dict[str, int]:
    """Move every recorded row from raw to quarantine, all tables in one transaction; return rows moved per suite.

    Quarantine gets what the DuckDB gate writes: the contract columns as text, origin, rules in rule order joined
    by '; ', messages joined by ' | ' in the same order, and `set_aside_at` (the run's time, naive UTC) in
    `_set_aside_at` (a quarantine table shipped before that column existed gains it).
    """
    moved: dict[str, int] = {}
    findings = qualified(schema, FINDINGS)
    before = _rows_per_table(pg, tables)
    with pg.cursor() as cur:
        for suite_name, (registry, table) in tables.items():
            plan = (
                "SELECT loaded_at, source_row, string_agg(rule, '; ' ORDER BY rule_order) AS rules, "
                "string_agg(message, ' | ' ORDER BY rule_order) AS message "
                f"FROM {findings} WHERE table_name = {literal(suite_name)} GROUP BY loaded_at, source_row"
            )
            contract = registry.tables[table]
            raw = qualified(registry.schema, table)
            quarantine = qualified(QUARANTINE_SCHEMA, registry.quarantine_table(table))
            columns = [ident(c) for c in contract.column_names]
            types = dict(raw_columns(contract))
            texts = [_as_duckdb_text(f"r.{ident(c)}", types.get(c, "VARCHAR")) for c in contract.column_names]
            row = ident(SOURCE_ROW_COLUMN)
            raw_has_loaded_at = has_column(pg, registry.schema, table, LOADED_AT)
            # The batch goes along, as on DuckDB (a quarantine table without `_loaded_at` predates it: left so).
            batch = raw_has_loaded_at and has_column(pg, QUARANTINE_SCHEMA, registry.quarantine_table(table), LOADED_AT)
            origin = [ident(SOURCE_FILE_COLUMN), row, *([ident(LOADED_AT)] if batch else [])]
            cur.execute(add_set_aside_at_sql(quarantine))
            cur.execute(
                f"INSERT INTO {quarantine} ({', '.join(columns)}, {', '.join(origin)}, "
                f"{ident(RULES)}, {ident(MESSAGE)}, {ident(SET_ASIDE_AT)}) "
                f"SELECT {', '.join(texts)}, {', '.join(f'r.{c}' for c in origin)}, p.rules, p.message, %s "
                f"FROM {raw} AS r JOIN ({plan}) AS p ON {same_row('p', 'r', raw_has_loaded_at)}",
                [set_aside_at],
            )
            cur.execute(
                f"DELETE FROM {raw} AS r WHERE EXISTS (SELECT 1 FROM {findings} AS f "
                f"WHERE f.table_name = {literal(suite_name)} AND {same_row('f', 'r', raw_has_loaded_at)})"
            )
            count = int(cur.rowcount)
            if not count:
                continue
            cur.execute(
                f"UPDATE {qualified(registry.schema, registry.inventory_table)} "
                "SET rows_loaded = rows_loaded - %s, rows_quarantined = rows_quarantined + %s WHERE table_name = %s",
                [count, count, table],
            )
            moved[suite_name] = count
        cur.execute(f"DELETE FROM {findings}")
    after = _rows_per_table(pg, tables)
    if after != before:
        pg.rollback()
        broken = ", ".join(t for t in before if before[t] != after.get(t))
        raise UserError(f"setting rows aside would change raw + quarantine row counts of {broken}; nothing was moved")
    pg.commit()
    return moved


def _rows_per_table(pg: Any, tables: dict[str, tuple[Registry, str]]) -> dict[str, int]:
    """raw + quarantine rows of each table: moving rows must not change it."""
    counts = {}
    for suite_name, (registry, table) in tables.items():
        places = [(registry.schema, table), (QUARANTINE_SCHEMA, registry.quarantine_table(table))]
        counts[suite_name] = sum(
            int(scalar(pg, f"SELECT count(*) FROM {qualified(schema, name)}") or 0)
            for schema, name in places
            if table_exists(pg, schema, name)
        )
    return counts


def _as_duckdb_text(expression: str, duckdb_type: str) -> str:
    """A raw value as DuckDB's CAST(... AS VARCHAR) writes it, so quarantine holds the same text on either engine.

    Postgres writes the same text for every type the loader uses except a whole double (2.0 is '2', DuckDB '2.0').
    """
    if duckdb_type == "DOUBLE":
        return (
            f"CASE WHEN {expression} = trunc({expression}) AND abs({expression}) < 1e15 "
            f"THEN CAST(CAST({expression} AS bigint) AS text) || '.0' ELSE CAST({expression} AS text) END"
        )
    return f"CAST({expression} AS text)"
