"""The project's dbt vars: their defaults (from dbt_project.yml) and a check of overrides before dbt starts.

dbt reads a var only when a model uses it, so a bad value passed with --vars fails the build halfway, after
dozens of models. Checking every override first turns that into one line naming the var, before anything runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import yaml

from support_kpis.errors import UserError
from support_kpis.instants import TIMESTAMP_FORMAT, parse_instant
from support_kpis.settings import PROJECT_ROOT

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

Check = Callable[[Any], str | None]  # None when the value is fine, else what is wrong with it


@cache
def defaults() -> dict[str, Any]:
    """The vars declared in dbt_project.yml, with their default values."""
    document = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    return dict(document.get("vars") or {})


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and value == value and abs(value) != float("inf")
    )


def _identifier(value: Any) -> str | None:
    return (
        None
        if isinstance(value, str) and _IDENTIFIER.fullmatch(value)
        else "must be a plain SQL name (letters, digits, _)"
    )


@cache
def _duckdb_time_zones() -> frozenset[str]:
    with duckdb.connect(":memory:") as con:
        return frozenset(name for (name,) in con.execute("select name from pg_timezone_names()").fetchall())


def _time_zone(value: Any) -> str | None:
    problem = "must be an IANA time zone name such as Europe/Berlin"
    if not isinstance(value, str) or not value:
        return problem
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return problem
    return None if value in _duckdb_time_zones() else f"{problem} (DuckDB does not know {value!r})"


def _instant(value: Any) -> str | None:
    if value is None:
        return None
    problem = f"must be null or {TIMESTAMP_FORMAT}"
    if not isinstance(value, str):
        return problem
    try:
        parse_instant(value)
    except ValueError:
        return problem
    return None


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _number(
    minimum: float,
    maximum: float,
    *,
    whole: bool = False,
    exclusive_minimum: bool = False,
    exclusive_maximum: bool = False,
) -> Check:
    kind = "a whole number" if whole else "a number"
    low = f"above {minimum:g}" if exclusive_minimum else f"at least {minimum:g}"
    high = f"below {maximum:g}" if exclusive_maximum else f"at most {maximum:g}"

    def check(value: Any) -> str | None:
        if not _is_number(value) or (whole and value != int(value)):
            return f"must be {kind}"
        too_low = value <= minimum if exclusive_minimum else value < minimum
        too_high = value >= maximum if exclusive_maximum else value > maximum
        if too_low or too_high:
            return f"must be {kind} {low} and {high}"
        return None

    return check


def _weights(value: Any) -> str | None:
    expected = sorted(defaults()["leaderboard_weights"])
    if not isinstance(value, dict) or sorted(value) != expected:
        return f"must give a weight to each of {', '.join(expected)}"
    if not all(_is_number(w) and w >= 0 for w in value.values()) or sum(value.values()) <= 0:
        return "weights must be numbers >= 0, not all 0"
    return None


SOURCES = ("contract", "zendesk", "flat")


def _source(value: Any) -> str | None:
    return None if value in SOURCES else f"must be one of {', '.join(SOURCES)}"


def _currency(value: Any) -> str | None:
    """An ISO 4217 code, as the dashboards name it (money.currency_code reads the project's)."""
    return None if isinstance(value, str) and re.fullmatch(r"[A-Z]{3}", value) else "must be an ISO 4217 code: USD, EUR"


def _service_targets(value: Any) -> str | None:
    problem = "must map channels to {service_level_pct: 0-100, answer_within_seconds: above 0}"
    if value is None:
        return None
    if not isinstance(value, dict) or not all(isinstance(channel, str) for channel in value):
        return problem
    for target in value.values():
        if not isinstance(target, dict) or sorted(target) != ["answer_within_seconds", "service_level_pct"]:
            return problem
        if _number(0, 100, exclusive_minimum=True)(target["service_level_pct"]) or _number(
            0, 86_400, exclusive_minimum=True
        )(target["answer_within_seconds"]):
            return problem
    return None


def _optional_identifier(value: Any) -> str | None:
    return None if value is None else _identifier(value)


CHECKS: dict[str, Check] = {
    "raw_schema": _identifier,
    "run_log_schema": _identifier,
    "reporting_timezone": _time_zone,
    "as_of": _instant,
    "resolution_target_hours": _number(0, 24 * 366, exclusive_minimum=True),
    "using_business_time": _boolean,
    "business_clock_horizon_days": _number(1, 3660, whole=True),
    "gross_margin_pct": _number(0, 100),
    "currency": _currency,
    "leaderboard_weights": _weights,
    "leaderboard_min_solved": _number(0, 1_000_000, whole=True),
    "source": _source,
    "zendesk_database": _optional_identifier,
    "zendesk_schema": _identifier,
    "zendesk_customer_segment_column": _optional_identifier,
    "zendesk_customer_region_column": _optional_identifier,
    "planning": _boolean,
    "forecast_horizon_days": _number(1, 366, whole=True),
    "backtest_origins": _number(1, 52, whole=True),
    "backtest_horizon_days": _number(1, 366, whole=True),
    "staffing_shrinkage_pct": _number(0, 100, exclusive_maximum=True),
    "staffing_service_targets": _service_targets,
}


def check_vars(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Return the overrides when every one names a project var and has a usable value; else one UserError."""
    known = defaults()
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise UserError(
            f"--vars: unknown var {', '.join(map(repr, unknown))}; the project's vars are {', '.join(known)}"
        )
    for name, value in overrides.items():
        problem = CHECKS[name](value)
        if problem:
            raise UserError(f"--vars: {name} = {json.dumps(value)}: {problem}")
    return dict(overrides)


def parse_vars(text: str | None) -> dict[str, Any]:
    """--vars as given on the command line (a JSON object), checked."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"--vars is not valid JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(value, dict):
        raise UserError('--vars must be a JSON object, e.g. \'{"reporting_timezone": "Europe/Berlin"}\'')
    return check_vars(value)


def effective_vars(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Every var as the build saw it: the defaults with the overrides applied."""
    return {**defaults(), **overrides}
