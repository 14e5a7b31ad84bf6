"""Reading the expectation suites (expectations/<table>.json) and the rule each expectation stands for.

Each expectation carries its rule in `meta`: `rule` (the name reports and quarantine._rules show), `level` ('row':
failing rows can be set aside; 'table': the table as a whole is unusable), optionally `batches` ('any' when one
batch passing is enough, e.g. a maximum) and `context` (columns to show next to a failing value). Its GX
`severity` says whether it is an error ('critical') or a warning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from great_expectations.core import ExpectationSuite
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

from support_kpis.errors import UserError
from support_kpis.loading.registry import CONTRACT, Registry
from support_kpis.settings import PROJECT_ROOT

SUITES_DIR = PROJECT_ROOT / "expectations"

Severity = Literal["error", "warning"]
Level = Literal["row", "table"]
BatchRule = Literal["all", "any"]

# Keyword arguments naming the columns an expectation looks at.
_DOMAIN_KWARGS = ("column", "column_A", "column_B", "column_list")


@dataclass(frozen=True)
class Rule:
    """One expectation of a suite, as the gate sees it."""

    table: str  # the suite's name (the contract table's; `<schema>.<table>` for an adapter's)
    name: str
    expectation_id: str
    expectation_type: str
    severity: Severity
    level: Level
    batches: BatchRule
    description: str
    columns: tuple[str, ...]  # the expectation's own columns
    context: tuple[str, ...]  # columns shown with a failing row (default: `columns`)
    condition_columns: tuple[str, ...] = ()  # columns of its row_condition

    @property
    def columns_read(self) -> tuple[str, ...]:
        return (*self.columns, *self.context, *self.condition_columns)

    @property
    def shown_columns(self) -> tuple[str, ...]:
        return self.context or self.columns

    @property
    def sets_rows_aside(self) -> bool:
        return self.level == "row" and self.severity == "error"

    @property
    def blocks(self) -> bool:
        """A failure stops the run: an error-level rule about the table as a whole."""
        return self.level == "table" and self.severity == "error"


@dataclass(frozen=True)
class Suite:
    table: str
    path: Path
    document: dict[str, Any]  # the file's JSON
    rules: tuple[Rule, ...]
    registry: Registry = CONTRACT

    @property
    def name(self) -> str:
        """The suite's name: the table's for the contract, `<schema>.<table>` for an adapter's tables."""
        return self.registry.suite_name(self.table)

    def to_gx(self) -> ExpectationSuite:
        return ExpectationSuite(**json.loads(json.dumps(self.document)))

    @property
    def columns_read(self) -> set[str]:
        """Columns whose values some expectation reads; the others are only checked to exist."""
        return {column for rule in self.rules for column in rule.columns_read}


def suites_dir(registry: Registry, folder: Path = SUITES_DIR) -> Path:
    """The contract's suites are expectations/<table>.json; an adapter's, expectations/<source>/<table>.json."""
    return folder if registry is CONTRACT or registry.source == CONTRACT.source else folder / registry.source


def load_suites(folder: Path = SUITES_DIR, registry: Registry = CONTRACT) -> dict[str, Suite]:
    """Every table's suite; a missing or malformed file is a one-line UserError naming it."""
    where = suites_dir(registry, folder)
    return {table: load_suite(where / f"{table}.json", table, registry) for table in registry.tables}


def load_suite(path: Path, table: str, registry: Registry = CONTRACT) -> Suite:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: expectation suite not found (every table of the source needs one)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: not a readable JSON expectation suite ({exc})") from None
    name = registry.suite_name(table)
    if not isinstance(document, dict) or document.get("name") != name or not document.get("id"):
        raise UserError(f'{path}: a suite needs "name": "{name}" and an "id"')
    try:
        rules = tuple(_rule(name, expectation) for expectation in document.get("expectations", []))
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError(f"{path}: {exc}") from None
    names = [rule.name for rule in rules]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UserError(f"{path}: rule names must be unique within a suite: {', '.join(repeated)}")
    suite = Suite(table, path, document, rules, registry)
    # ExpectationSuite() logs and drops an expectation it cannot build; building each first makes that an error.
    for expectation, rule in zip(document.get("expectations", []), rules, strict=True):
        try:
            ExpectationConfiguration(**expectation).to_domain_obj()
        except Exception as exc:  # GX raises many types for a malformed expectation; all mean "fix this file"
            raise UserError(f"{path}: {rule.name}: Great Expectations cannot read it: {_first_line(exc)}") from None
    try:
        built = suite.to_gx()
    except Exception as exc:
        raise UserError(f"{path}: Great Expectations cannot read this suite: {_first_line(exc)}") from None
    if len(built.expectations) != len(rules):
        raise UserError(f"{path}: Great Expectations kept {len(built.expectations)} of {len(rules)} expectations")
    return suite


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _rule(table: str, expectation: dict[str, Any]) -> Rule:
    meta = expectation.get("meta") or {}
    name = meta.get("rule")
    if not name:
        raise ValueError(f"expectation {expectation.get('id')} has no meta.rule")
    if not expectation.get("id"):
        raise ValueError(f"{name}: the expectation has no id")
    level = meta.get("level")
    if level not in ("row", "table"):
        raise ValueError(f"{name}: meta.level must be 'row' or 'table'")
    batches = meta.get("batches", "all")
    if batches not in ("all", "any"):
        raise ValueError(f"{name}: meta.batches must be 'all' or 'any'")
    severity = expectation.get("severity", "critical")
    if severity not in ("critical", "warning"):
        raise ValueError(f"{name}: severity must be 'critical' (an error) or 'warning'")
    kwargs = expectation.get("kwargs") or {}
    columns: list[str] = []
    for key in _DOMAIN_KWARGS:
        value = kwargs.get(key)
        if isinstance(value, str):
            columns.append(value)
        elif isinstance(value, list):
            columns.extend(str(v) for v in value)
    return Rule(
        table=table,
        name=str(name),
        expectation_id=str(expectation["id"]),
        expectation_type=str(expectation["type"]),
        severity="error" if severity == "critical" else "warning",
        level=level,
        batches=batches,
        description=str(expectation.get("description") or name),
        columns=tuple(columns),
        context=tuple(str(c) for c in meta.get("context", ())),
        condition_columns=tuple(_condition_columns(kwargs.get("row_condition"))),
    )


def _condition_columns(condition: Any) -> list[str]:
    """Column names anywhere in a serialised row_condition ({"column": {"name": ...}, "conditions": [...]})."""
    if isinstance(condition, dict):
        column = condition.get("column")
        own = [str(column["name"])] if isinstance(column, dict) and "name" in column else []
        return own + [name for part in condition.get("conditions", []) for name in _condition_columns(part)]
    return []
