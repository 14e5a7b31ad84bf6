"""The mapping file of a flat export: which export column is which field, value maps, timestamps, survey columns.

A mapping is checked as a whole before anything is read: an unknown key, a field mapped to a column the export does
not have, a value map onto a value the contract does not know, a time zone or timestamp format that cannot work is
one UserError line naming the mapping file, the key, what is wrong and what is allowed. docs/flat-exports.md is the
reference of the format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from support_kpis.contract import CHANNELS, PRIORITIES, STATUSES, SURVEY_TYPES
from support_kpis.errors import UserError

FieldKind = Literal["id", "timestamp", "enum", "text"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: FieldKind
    description: str
    enum: tuple[str, ...] = ()


# Every field a mapping may name under `columns`, in the order flat.tickets_export holds them.
FIELDS: tuple[Field, ...] = (
    Field("ticket_id", "id", "the ticket's id (required)"),
    Field("created_at", "timestamp", "when the customer's request arrived (required)"),
    Field("first_response_at", "timestamp", "the first public agent reply; empty: not answered yet (required)"),
    Field("resolved_at", "timestamp", "when the ticket was solved; empty: not solved (this or closed_at required)"),
    Field("closed_at", "timestamp", "when the ticket was closed; the solve when resolved_at is empty"),
    Field("updated_at", "timestamp", "last change; decides between rows repeating a ticket id"),
    Field("status", "enum", "current status (required)", STATUSES),
    Field("priority", "enum", "priority; empty means normal", PRIORITIES),
    Field("channel", "enum", "contact channel (a column, or a constant)", CHANNELS),
    Field("category", "text", "issue type"),
    Field("product", "text", "product or product line"),
    Field("team", "text", "current group or team"),
    Field("assignee_id", "id", "current assignee (agent name, e-mail or id)"),
    Field("customer_id", "id", "requester (customer name, e-mail or id)"),
    Field("subject", "text", "free text"),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
ENUM_FIELDS = tuple(f.name for f in FIELDS if f.kind == "enum")
REQUIRED_COLUMNS = ("ticket_id", "created_at", "first_response_at", "status")

TOP_KEYS = ("export", "delimiter", "time_zone", "timestamp_formats", "columns", "values", "constants", "survey")
SURVEY_KEYS = ("type", "score", "scale", "values", "responded_at", "comment")
DEFAULT_SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
# The catch-all key of a value map: what every export value the map does not name becomes.
OTHERWISE = "*"

_STRPTIME_DIRECTIVE = re.compile(r"%(.)")
_STRPTIME_KNOWN = set("aAbBcdfgGHIjmMpSuVwWxXyYzZ%T") | {"-"}


@dataclass(frozen=True)
class Survey:
    survey_type: str
    score_column: str
    scale_min: int
    scale_max: int
    values: dict[str, float] = field(default_factory=dict)  # export text -> score; empty: the column is numeric
    responded_at_column: str | None = None
    comment_column: str | None = None


@dataclass(frozen=True)
class Mapping:
    path: Path
    columns: dict[str, str]  # field -> export column
    constants: dict[str, str]  # field -> contract value for every row
    values: dict[str, dict[str, str]]  # enum field -> export value -> contract value (OTHERWISE: the rest)
    time_zone: str
    timestamp_formats: tuple[str, ...]  # empty: ISO 8601
    delimiter: str = ","
    export: str | None = None  # the export's file name, relative to the mapping
    survey: Survey | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def export_columns(self) -> dict[str, str]:
        """Every export column the mapping reads, keyed by what it is read as (`columns.<field>`, `survey.<key>`)."""
        named = {f"columns.{f}": c for f, c in self.columns.items()}
        if self.survey:
            named["survey.score"] = self.survey.score_column
            if self.survey.responded_at_column:
                named["survey.responded_at"] = self.survey.responded_at_column
            if self.survey.comment_column:
                named["survey.comment"] = self.survey.comment_column
        return named

    def check_against(self, header: Sequence[str], export_name: str) -> None:
        """One UserError when a column the mapping names is missing from (or repeated in) the export's header."""
        for key, column in self.export_columns().items():
            count = header.count(column)
            if count == 0:
                raise UserError(
                    f"{self.name}: {key}: column {column!r} is not in {export_name}; "
                    f"its columns are {', '.join(map(repr, header))}"
                )
            if count > 1:
                raise UserError(
                    f"{self.name}: {key}: {export_name} has {count} columns named {column!r}; rename them apart"
                )


class _Reader:
    def __init__(self, path: Path):
        self.name = path.name

    def fail(self, key: str, problem: str) -> UserError:
        return UserError(f"{self.name}: {key}: {problem}")

    def mapping(self, value: Any, key: str, allowed: Sequence[str] | None = None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "must be a mapping of names to values")
        for name in value:
            if not isinstance(name, str):
                raise self.fail(key, f"key {name!r} must be text")
            if allowed is not None and name not in allowed:
                raise self.fail(f"{key}.{name}" if key else name, f"unknown key; allowed: {', '.join(allowed)}")
        return value

    def text(self, value: Any, key: str) -> str:
        if isinstance(value, bool) or value is None or isinstance(value, dict | list):
            raise self.fail(key, "must be text (a column name or a value)")
        text = str(value)
        if not text.strip():
            raise self.fail(key, "must not be empty")
        return text


def read_mapping(path: Path, default_time_zone: str = "UTC") -> Mapping:
    """Read and check the mapping file at `path`; one UserError line for the first problem found."""
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: no such mapping file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read the mapping file: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise UserError(f"{path.name}: not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    reader = _Reader(path)
    if not isinstance(document, dict):
        raise UserError(f"{path.name}: must be a YAML mapping with at least the key `columns`")
    top = reader.mapping(document, "", TOP_KEYS)

    columns = {k: reader.text(v, f"columns.{k}") for k, v in reader.mapping(top.get("columns"), "columns").items()}
    for name in columns:
        if name not in FIELDS_BY_NAME:
            raise reader.fail(f"columns.{name}", f"unknown field; allowed: {', '.join(FIELDS_BY_NAME)}")
    constants = {
        k: reader.text(v, f"constants.{k}").strip().lower()
        for k, v in reader.mapping(top.get("constants"), "constants").items()
    }
    for name, value in constants.items():
        if name not in ENUM_FIELDS:
            raise reader.fail(f"constants.{name}", f"only an enum field can be a constant: {', '.join(ENUM_FIELDS)}")
        if name in columns:
            raise reader.fail(f"constants.{name}", f"{name} is also mapped to column {columns[name]!r}; keep one")
        _check_enum_value(reader, f"constants.{name}", name, value)
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            raise reader.fail(f"columns.{name}", f"missing; map it to the export column holding {_describe(name)}")
    if "resolved_at" not in columns and "closed_at" not in columns:
        raise reader.fail("columns.resolved_at", "missing; map resolved_at or closed_at (when tickets were solved)")
    if "channel" not in columns and "channel" not in constants:
        raise reader.fail(
            "columns.channel", f"missing; map it to a column, or set constants.channel to one of {', '.join(CHANNELS)}"
        )

    values: dict[str, dict[str, str]] = {}
    for name, value_map in reader.mapping(top.get("values"), "values").items():
        if name not in ENUM_FIELDS:
            raise reader.fail(f"values.{name}", f"only enum fields have value maps: {', '.join(ENUM_FIELDS)}")
        if name not in columns:
            raise reader.fail(f"values.{name}", f"{name} is not mapped to a column under `columns`")
        entries = reader.mapping(value_map, f"values.{name}")
        checked = {}
        for export_value, contract_value in entries.items():
            key = f"values.{name}.{export_value}"
            target = reader.text(contract_value, key).strip().lower()
            _check_enum_value(reader, key, name, target)
            checked[str(export_value)] = target
        values[name] = checked

    time_zone = top.get("time_zone", default_time_zone)
    if not isinstance(time_zone, str) or not _is_time_zone(time_zone):
        raise reader.fail("time_zone", f"{time_zone!r} is not an IANA time zone name such as Europe/Berlin or UTC")
    formats = top.get("timestamp_formats") or []
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list):
        raise reader.fail("timestamp_formats", "must be a list of strptime formats such as '%d/%m/%Y %H:%M'")
    for i, fmt in enumerate(formats):
        _check_format(reader, f"timestamp_formats[{i}]", fmt)
    delimiter = top.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise reader.fail("delimiter", "must be one character, such as ',' or ';' or a tab ('\\t')")
    export = top.get("export")
    if export is not None:
        export = reader.text(export, "export")

    return Mapping(
        path=path,
        columns=columns,
        constants=constants,
        values=values,
        time_zone=time_zone,
        timestamp_formats=tuple(formats),
        delimiter=delimiter,
        export=export,
        survey=_survey(reader, top.get("survey")),
    )


def _describe(name: str) -> str:
    return FIELDS_BY_NAME[name].description.split(" (")[0]


def _check_enum_value(reader: _Reader, key: str, name: str, value: str) -> None:
    allowed = FIELDS_BY_NAME[name].enum
    if value not in allowed:
        raise reader.fail(key, f"{value!r} is not a contract {name}; allowed: {', '.join(allowed)}")


def _is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _check_format(reader: _Reader, key: str, fmt: Any) -> None:
    if not isinstance(fmt, str) or "%" not in fmt:
        raise reader.fail(key, f"{fmt!r} is not a strptime format (e.g. '%Y-%m-%d %H:%M:%S', '%d/%b/%y %I:%M %p')")
    unknown = [d for d in _STRPTIME_DIRECTIVE.findall(fmt) if d not in _STRPTIME_KNOWN]
    if unknown:
        raise reader.fail(key, f"{fmt!r} uses unknown directive %{unknown[0]}")


def _survey(reader: _Reader, value: Any) -> Survey | None:
    if value is None:
        return None
    survey = reader.mapping(value, "survey", SURVEY_KEYS)
    survey_type = str(survey.get("type", "csat")).strip().lower()
    if survey_type not in SURVEY_TYPES:
        raise reader.fail("survey.type", f"{survey_type!r} is not a survey type; allowed: {', '.join(SURVEY_TYPES)}")
    if "score" not in survey:
        raise reader.fail("survey.score", "missing; name the export column holding the rating")
    score_column = reader.text(survey["score"], "survey.score")
    scale = survey.get("scale")
    if scale is None:
        scale_min, scale_max = DEFAULT_SCALES[survey_type]
    else:
        bounds = reader.mapping(scale, "survey.scale", ("min", "max"))
        scale_min, scale_max = bounds.get("min"), bounds.get("max")
        if not all(isinstance(b, int) and not isinstance(b, bool) for b in (scale_min, scale_max)):
            raise reader.fail("survey.scale", "min and max must both be whole numbers, e.g. {min: 1, max: 5}")
        if scale_min >= scale_max:
            raise reader.fail("survey.scale", f"min ({scale_min}) must be below max ({scale_max})")
    scores: dict[str, float] = {}
    for text, number in reader.mapping(survey.get("values"), "survey.values").items():
        key = f"survey.values.{text}"
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise reader.fail(key, f"must be a number from {scale_min} to {scale_max}")
        if not scale_min <= number <= scale_max:
            raise reader.fail(key, f"{number} is outside the survey scale; allowed: {scale_min} to {scale_max}")
        scores[str(text)] = float(number)
    responded_at = survey.get("responded_at")
    comment = survey.get("comment")
    return Survey(
        survey_type=survey_type,
        score_column=score_column,
        scale_min=scale_min,
        scale_max=scale_max,
        values=scores,
        responded_at_column=reader.text(responded_at, "survey.responded_at") if responded_at is not None else None,
        comment_column=reader.text(comment, "survey.comment") if comment is not None else None,
    )
