"""A mart column's kind (timestamp, date, boolean, integer, number, string).

The bundle is generated without a warehouse, so a column's type comes from the
manifest when dbt declares it, and otherwise from the project's naming
convention (`_at` timestamps, `_date` dates, `is_`/`has_` booleans, units in
the name). The live tests check these kinds against the built warehouse.
"""

from __future__ import annotations

KINDS: tuple[str, ...] = ("timestamp", "date", "boolean", "integer", "number", "string")

_NUMBER_SUFFIXES = ("_minutes", "_hours", "_seconds", "_days", "_pct", "_score", "_amount", "_mrr", "_value")
_NUMBER_PREFIXES = ("minutes_", "hours_", "seconds_", "days_")
_NUMBER_NAMES = frozenset({"value", "numerator", "denominator", "mrr", "amount", "score"})
_INTEGER_SUFFIXES = ("_count", "_number", "_order", "_rank", "_min", "_max")
_INTEGER_NAMES = frozenset({"sample_size", "rank", "rating"})


def kind_from_declared_type(data_type: str) -> str:
    declared = data_type.strip().lower()
    if declared.startswith("timestamp") or declared == "datetime":
        return "timestamp"
    if declared == "date":
        return "date"
    if declared.startswith("bool"):
        return "boolean"
    if any(word in declared for word in ("int", "serial")):
        return "integer"
    if any(word in declared for word in ("double", "float", "real", "numeric", "decimal")):
        return "number"
    return "string"


def kind_from_name(name: str) -> str:
    if name.endswith("_at"):
        return "timestamp"
    if name.endswith("_date") or name in ("period_start", "period_end"):
        return "date"
    if name.startswith(("is_", "has_")):
        return "boolean"
    if name.endswith(_INTEGER_SUFFIXES) or name.startswith("count_") or name in _INTEGER_NAMES:
        return "integer"
    if name.endswith(_NUMBER_SUFFIXES) or name.startswith(_NUMBER_PREFIXES) or name in _NUMBER_NAMES:
        return "number"
    return "string"


def column_kind(name: str, declared_type: str | None) -> str:
    return kind_from_declared_type(declared_type) if declared_type else kind_from_name(name)
