"""Applying the type rules to a whole file in one pass: typed values, broken rules, and the text to quarantine."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from support_kpis.contract import Table
from support_kpis.loading.column_mapping import ColumnMapping
from support_kpis.loading.duckdb_errors import READER_ERRORS, as_data_error
from support_kpis.loading.sources import Source
from support_kpis.loading.sql import ident, literal
from support_kpis.loading.type_rules import MAX_VALUE_BYTES, ColumnRule, table_rules

ROW_COLUMN = "__row"  # the record's row as a spreadsheet shows it: header = 1, first record = 2
RULES_COLUMN = "__rules"
MESSAGE_COLUMN = "__message"
# How much of a bad value a quarantine message quotes.
QUOTED_VALUE_CHARS = 60


def text_column(column: str) -> str:
    return f"__text__{column}"


def extra_column(position: int) -> str:
    return f"__extra_{position}"


@dataclass(frozen=True)
class CheckedTable:
    """A staging table holding one file: its row numbers, typed columns, broken rules, text of bad rows."""

    name: str
    table: Table
    rules: tuple[ColumnRule, ...]
    extras: tuple[str, ...]  # names in raw, in file order; staged as extra_column(i)
    source_file: str


def check_file(
    con: duckdb.DuckDBPyConnection, table: Table, source: Source, mapping: ColumnMapping, name: str
) -> CheckedTable:
    rules = table_rules(table)
    texts = []
    for rule in rules:
        column = mapping.contract.get(rule.name)
        texts.append(f"{source.text(column, rule.kind) if column else 'CAST(NULL AS VARCHAR)'} AS {_t(rule.name)}")
    for i, (_, column) in enumerate(mapping.extras):
        texts.append(f"{source.text(column, 'string')} AS {ident(extra_column(i))}")

    typed = [f"{rule.typed(_t(rule.name))} AS {ident(rule.name)}" for rule in rules]
    broken = ", ".join(_broken_rule(rule, source.may_hold_nul) for rule in rules)
    messages = ", ".join(_message(rule, source.may_hold_nul) for rule in rules)
    kept_text = [
        f"CASE WHEN {RULES_COLUMN} IS NOT NULL THEN {_t(rule.name)} END AS {_t(rule.name)}"
        for rule in rules
        if not rule.is_verbatim
    ]
    outputs = [
        ROW_COLUMN,
        *(ident(rule.name) for rule in rules),
        *(ident(extra_column(i)) for i in range(len(mapping.extras))),
        RULES_COLUMN,
        MESSAGE_COLUMN,
        *kept_text,
    ]
    # The row number becomes a column before anything else, so later steps may reorder rows freely.
    # Messages are only written for rows that broke a rule: most rows break none, and the checks are not repeated.
    sql = f"""
        CREATE OR REPLACE TABLE {ident(name)} AS
        WITH fields AS (SELECT {source.row} AS {ROW_COLUMN}, {", ".join(texts)} FROM {source.relation}),
        typed AS (SELECT *, {", ".join(typed)} FROM fields),
        ruled AS (SELECT *, nullif(concat_ws('; ', {broken}), '') AS {RULES_COLUMN} FROM typed),
        judged AS (
            SELECT *, CASE WHEN {RULES_COLUMN} IS NOT NULL THEN concat_ws('; ', {messages}) END AS {MESSAGE_COLUMN}
            FROM ruled
        )
        SELECT {", ".join(outputs)} FROM judged
    """
    try:
        con.execute(sql)
    except READER_ERRORS as exc:
        raise as_data_error(exc, source.file) from None
    return CheckedTable(name, table, rules, tuple(n for n, _ in mapping.extras), source.file.name)


def _t(column: str) -> str:
    return ident(text_column(column))


def _broken_rule(rule: ColumnRule, nul_possible: bool) -> str:
    empty = literal(rule.empty_rule) if rule.column.required else "NULL"
    arms = [(_blank(rule), empty), (_too_long(rule), literal(rule.too_long_rule))]
    if nul_possible:
        arms.append((_has_nul(rule), literal(rule.nul_rule)))
    if rule.kind != "string":
        arms.append((f"{ident(rule.name)} IS NULL", literal(rule.rule)))
    return _case(arms)


def _message(rule: ColumnRule, nul_possible: bool) -> str:
    text = _t(rule.name)
    name = literal(rule.name + " ")
    quoted = f"{name} || '''' || {_shown(text)} || ''''"
    empty = literal(f"{rule.name} is empty but required") if rule.column.required else "NULL"
    arms = [
        (_blank(rule), empty),
        (
            _too_long(rule),
            f"{quoted} || ' is ' || strlen({text}) || "
            f"{literal(f' bytes long, over the limit of {MAX_VALUE_BYTES:,} (kept whole in quarantine)')}",
        ),
    ]
    if nul_possible:
        arms.append((_has_nul(rule), f"{quoted} || ' holds a NUL character (\\0), which no text column can store'"))
    if rule.kind != "string":
        arms.append((f"{ident(rule.name)} IS NULL", f"{quoted} || {literal(' is not ' + rule.expectation)}"))
    return _case(arms)


def _blank(rule: ColumnRule) -> str:
    # An id that is only whitespace trims to NULL: it is as empty as an empty field.
    return f"{ident(rule.name) if rule.is_key else _t(rule.name)} IS NULL"


def _too_long(rule: ColumnRule) -> str:
    return f"strlen({_t(rule.name)}) > {MAX_VALUE_BYTES}"


def _has_nul(rule: ColumnRule) -> str:
    return f"contains({_t(rule.name)}, chr(0))"


def _shown(text: str) -> str:
    """The start of a bad value, on one line and without NUL characters, as a message quotes it."""
    start = f"replace(replace(left({text}, {QUOTED_VALUE_CHARS}), chr(10), ' '), chr(0), '\\0')"
    return f"{start} || CASE WHEN length({text}) > {QUOTED_VALUE_CHARS} THEN '...' ELSE '' END"


def _case(arms: list[tuple[str, str]]) -> str:
    return "CASE " + " ".join(f"WHEN {condition} THEN {result}" for condition, result in arms) + " END"
