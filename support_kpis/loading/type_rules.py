"""The contract's type rules as SQL: text in, typed value out, NULL when the text breaks the rule.

Every expression takes the field's text (NULL only for an empty field) and is evaluated by DuckDB over
the whole file at once. A field whose text is present but whose typed value is NULL broke its type rule.

Rule names, as they appear in quarantine._rules: `unparseable_<type>(column)` (timestamp, date, month,
boolean, integer, number, time), `unknown_enum(column)`, `empty_required(column)`, and for any column
`value_too_long(column)` (over MAX_VALUE_BYTES) and `nul_character(column)` (holds a NUL character).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from support_kpis.contract import CHANNELS, Column, Table
from support_kpis.instants import TIMESTAMP_FORMAT, TIMESTAMP_PATTERN
from support_kpis.loading.sql import literal

Kind = Literal["string", "enum", "timestamp", "date", "month", "boolean", "integer", "number", "time"]

SQL_TYPES: dict[Kind, str] = {
    "string": "VARCHAR",
    "enum": "VARCHAR",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "month": "DATE",
    "boolean": "BOOLEAN",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "time": "VARCHAR",
}

# Columns the contract types as strings but whose values form a closed set the loader canonicalises.
ENUM_OVERRIDES: dict[tuple[str, str], tuple[str, ...]] = {
    ("sla_policies", "channel"): (*CHANNELS, "*"),
}

TRUE_SPELLINGS = ("true", "1", "yes")
FALSE_SPELLINGS = ("false", "0", "no")

# A value longer than this (in UTF-8 bytes) is set aside whole: no id, category or message body is 2 MB long, so
# such a value is a broken export (often a stray quote swallowing rows). It is also DuckDB's largest CSV line.
MAX_VALUE_BYTES = 2_000_000

# Surrounding whitespace a typed value or an id may carry; free text keeps its own.
_WHITESPACE_CODES = (32, 9, 10, 13)
_WHITESPACE = " || ".join(f"chr({code})" for code in _WHITESPACE_CODES)

_DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
_INTEGER_PATTERN = r"[+-]?\d+(\.0*)?"  # "2.0": integers exported through a float column
_NUMBER_PATTERN = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
_TIME_PATTERN = r"(([01]?\d|2[0-3]):[0-5]\d|24:00)(:00)?"


@dataclass(frozen=True)
class ColumnRule:
    """How one contract column is typed and which rule a bad value breaks."""

    table: str
    column: Column
    kind: Kind
    allowed: tuple[str, ...] = ()
    is_key: bool = False  # an id: a string column named *_id or in the primary key, trimmed like typed values

    @property
    def name(self) -> str:
        return self.column.name

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]

    @property
    def is_verbatim(self) -> bool:
        """Stored exactly as read, so the typed value is the original text."""
        return self.kind == "string" and not self.is_key

    @property
    def rule(self) -> str:
        return f"unknown_enum({self.name})" if self.kind == "enum" else f"unparseable_{self.kind}({self.name})"

    @property
    def empty_rule(self) -> str:
        return f"empty_required({self.name})"

    @property
    def too_long_rule(self) -> str:
        return f"value_too_long({self.name})"

    @property
    def nul_rule(self) -> str:
        return f"nul_character({self.name})"

    @property
    def expectation(self) -> str:
        return {
            "enum": "one of " + ", ".join(self.allowed),
            "timestamp": TIMESTAMP_FORMAT,
            "date": "a date (YYYY-MM-DD)",
            "month": "a first-of-month date (YYYY-MM-01)",
            "boolean": "a boolean (true/false, 1/0, yes/no)",
            "integer": "an integer",
            "number": "a finite number",
            "time": "a time of day (HH:MM, 00:00 to 24:00)",
            "string": "text",
        }[self.kind]

    def typed(self, text: str) -> str:
        """SQL turning the text expression `text` into the stored value (NULL when the text breaks the rule).

        An id is trimmed, and one that is only whitespace is empty (NULL).
        """
        if self.is_key:
            return _trimmed_id(text)
        return f"CAST({_typed_body(self.kind, text, self.allowed)} AS {self.sql_type})"


def column_rule(table: Table, column: Column) -> ColumnRule:
    override = ENUM_OVERRIDES.get((table.name, column.name))
    if override is not None:
        return ColumnRule(table.name, column, "enum", override)
    if column.type == "enum":
        return ColumnRule(table.name, column, "enum", column.enum)
    is_key = column.type == "string" and (column.name.endswith("_id") or column.name in table.primary_key)
    return ColumnRule(table.name, column, column.type, is_key=is_key)


def table_rules(table: Table) -> tuple[ColumnRule, ...]:
    return tuple(column_rule(table, c) for c in table.columns)


def _trimmed_id(text: str) -> str:
    # Trimming costs three times what looking at both ends does, and almost no id needs it: only those pay.
    codes = ", ".join(map(str, _WHITESPACE_CODES))
    padded = f"ascii({text}) IN ({codes}) OR ascii(right({text}, 1)) IN ({codes})"
    return f"CASE WHEN {padded} THEN nullif(trim({text}, {_WHITESPACE}), '') ELSE {text} END"


def _lookup(value: str, mapping: dict[str, str]) -> str:
    # A CASE, not IN or list_contains: DuckDB turns those into a join, which loses the scan's row order.
    arms = " ".join(f"WHEN {literal(k)} THEN {v}" for k, v in mapping.items())
    return f"CASE {value} {arms} END"


def _typed_body(kind: Kind, text: str, allowed: tuple[str, ...]) -> str:
    trimmed = f"trim({text}, {_WHITESPACE})"
    if kind == "string":
        return text
    if kind == "enum":
        lowered = f"lower({trimmed})"
        return _lookup(lowered, {v: literal(v) for v in allowed})
    if kind == "boolean":
        lowered = f"lower({trimmed})"
        return _lookup(lowered, {**dict.fromkeys(TRUE_SPELLINGS, "true"), **dict.fromkeys(FALSE_SPELLINGS, "false")})
    if kind == "timestamp":
        # The session time zone is the source time zone, so a value without an offset is read in it;
        # timezone('UTC', ...) then gives the naive UTC timestamp.
        return (
            f"CASE WHEN regexp_full_match({trimmed}, '{TIMESTAMP_PATTERN}', 'i') "
            f"THEN timezone('UTC', try_cast(upper({trimmed}) AS TIMESTAMPTZ)) END"
        )
    if kind in ("date", "month"):
        parsed = f"CASE WHEN regexp_full_match({trimmed}, '{_DATE_PATTERN}') THEN try_cast({trimmed} AS DATE) END"
        if kind == "date":
            return parsed
        return f"CASE WHEN day({parsed}) = 1 THEN {parsed} END"
    if kind == "integer":
        return f"CASE WHEN regexp_full_match({trimmed}, '{_INTEGER_PATTERN}') THEN try_cast({trimmed} AS BIGINT) END"
    if kind == "number":
        number = f"try_cast({trimmed} AS DOUBLE)"
        return f"CASE WHEN regexp_full_match({trimmed}, '{_NUMBER_PATTERN}') AND isfinite({number}) THEN {number} END"
    if kind == "time":
        return (
            f"CASE WHEN regexp_full_match({trimmed}, '{_TIME_PATTERN}') "
            f"THEN lpad(split_part({trimmed}, ':', 1), 2, '0') || ':' || split_part({trimmed}, ':', 2) END"
        )
    raise ValueError(f"no type rule for {kind}")
