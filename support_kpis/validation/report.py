"""The outcome of a validation run: a summary for people, result.json for machines."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from support_kpis.validation.frames import RawTable
from support_kpis.validation.ledger import QuarantinedRule, Reconciliation
from support_kpis.validation.outcome import RuleOutcome
from support_kpis.validation.values import plain, rows, shown

SHOWN_EXAMPLES = 3


@dataclass
class TableReport:
    table: str
    raw: RawTable
    source_file: str | None
    batches: int
    outcomes: list[RuleOutcome]
    rows_with_findings: int = 0  # rows this run found breaking error-level row rules
    set_aside_now: int = 0  # of those, rows this run moved to quarantine
    quarantined: tuple[QuarantinedRule, ...] = ()
    reconciliation: Reconciliation | None = None
    blocking: list[str] = field(default_factory=list)
    quarantine_table: str | None = None  # the table's name in the quarantine schema (default: `table`)
    rows_left_out: int = 0  # valid rows an adapter's dbt models leave out (Zendesk: deleted tickets and their rows)

    @property
    def quarantine_name(self) -> str:
        return f"quarantine.{self.quarantine_table or self.table}"

    @property
    def failing(self) -> list[RuleOutcome]:
        return [o for o in self.outcomes if not o.passed]

    @property
    def errors(self) -> int:
        return sum(o.rule.severity == "error" for o in self.failing)

    @property
    def warnings(self) -> int:
        return sum(o.rule.severity == "warning" for o in self.failing)

    @property
    def rows_quarantined(self) -> int:
        return self.reconciliation.rows_quarantined if self.reconciliation else 0

    def notes(self) -> list[str]:
        notes = []
        if self.rows_left_out:
            notes.append(
                f"{self.table}: {self.rows_left_out:,} valid rows are left out by the adapter "
                "(deleted tickets and their rows; kept in the table, not quarantined)"
            )
        if self.raw.extra_columns:
            notes.append(
                f"{self.table}: columns not in the contract are kept in raw and not validated: "
                + ", ".join(self.raw.extra_columns)
            )
        return notes

    def finding_lines(self, not_set_aside_because: str | None) -> list[str]:
        lines: list[str] = []
        in_quarantine = {q.rule: q for q in self.quarantined}
        for outcome in self.outcomes:
            quarantined = in_quarantine.pop(outcome.rule.name, None)
            status = _status(self.table, outcome, quarantined, not_set_aside_because, self.quarantine_name)
            if status is None:
                continue
            lines.append(f"  {self.table}  {outcome.rule.severity:<7}  {outcome.rule.name}: {status}")
            examples = outcome.examples or (list(quarantined.examples) if quarantined else [])
            lines += [f"      {example.text()}" for example in examples[:SHOWN_EXAMPLES]]
        for rule, quarantined in in_quarantine.items():
            # Rules only the loader applies (a value it could not type, an enum it did not know).
            lines.append(f"  {self.table}  error    {rule}: {rows(quarantined.rows)} in {self.quarantine_name}")
            lines += [f"      {example.text()}" for example in quarantined.examples]
        return lines

    def to_json(self) -> dict[str, Any]:
        quarantined = {q.rule: q.rows for q in self.quarantined}
        return {
            "table": self.table,
            "present": self.raw.exists,
            "source_file": self.source_file,
            "rows_checked": self.raw.rows,
            "batches": self.batches,
            "extra_columns": list(self.raw.extra_columns),
            "rules": [{**o.to_json(), "rows_in_quarantine": quarantined.get(o.rule.name, 0)} for o in self.outcomes],
            "quarantine": [
                {"rule": q.rule, "rows": q.rows, "examples": [e.to_json() for e in q.examples]}
                for q in self.quarantined
            ],
            "rows_with_findings": self.rows_with_findings,
            "rows_set_aside_now": self.set_aside_now,
            "rows_left_out": self.rows_left_out,
            "reconciliation": self.reconciliation.to_json() if self.reconciliation else None,
            "blocking": self.blocking,
        }


def _status(
    table: str,
    outcome: RuleOutcome,
    quarantined: QuarantinedRule | None,
    not_set_aside_because: str | None,
    quarantine_name: str,
) -> str | None:
    rule = outcome.rule
    in_quarantine = f"{rows(quarantined.rows)} in {quarantine_name}" if quarantined else ""
    if outcome.problem is not None:
        return f"not checked: {outcome.problem}"
    if outcome.passed:
        return in_quarantine or None
    if rule.level == "table":
        return table_failure(table, outcome)
    failing = f"{outcome.rows_failing:,} of {rows(outcome.rows_checked)}"
    if rule.severity == "warning":
        return f"{failing} (kept: a warning)"
    action = f"not set aside: {not_set_aside_because}" if not_set_aside_because else "set aside"
    return f"{failing} ({action}); {in_quarantine or 'none in quarantine'}"


def table_failure(table: str, outcome: RuleOutcome) -> str:
    """One line saying what is wrong with the table as a whole."""
    rule, observed = outcome.rule, outcome.observed_value
    if outcome.problem is not None:
        return f"could not be checked: {outcome.problem}"
    if rule.expectation_type == "expect_table_columns_to_match_set":
        return f"missing column{'s' if len(outcome.missing_columns) > 1 else ''} {', '.join(outcome.missing_columns)}"
    if rule.expectation_type == "expect_table_row_count_to_be_between":
        return "the table has no rows"
    if rule.expectation_type == "expect_column_type_to_be":
        return f"column {rule.columns[0]} has type {observed}: {rule.description}"
    if rule.expectation_type == "expect_column_max_to_be_between":
        return f"latest {rule.columns[0]} is {shown(observed)}, before {shown(outcome.kwargs.get('min_value'))}"
    return f"{rule.description} (observed {shown(observed)})"


@dataclass
class ValidationReport:
    warehouse: Path | str  # a DuckDB file, or a Postgres server's description
    data_dir: Path | None  # set when files were validated before loading
    validated_at: datetime
    parameters: dict[str, Any]
    tables: list[TableReport]
    not_set_aside_because: str | None  # None: rows breaking error-level row rules were moved to quarantine
    fail_on_quarantine: bool
    data_docs: Path
    result_path: Path

    @property
    def blocking(self) -> list[str]:
        return [message for t in self.tables for message in t.blocking]

    @property
    def rows_quarantined(self) -> int:
        return sum(t.rows_quarantined for t in self.tables)

    @property
    def rows_set_aside_now(self) -> int:
        return sum(t.set_aside_now for t in self.tables)

    @property
    def warnings(self) -> int:
        return sum(t.warnings for t in self.tables)

    @property
    def reconciles(self) -> bool:
        return all(t.reconciliation.reconciles for t in self.tables if t.reconciliation)

    @property
    def status(self) -> str:
        if self.blocking or not self.reconciles:
            return "failed"
        if self.fail_on_quarantine and self.rows_quarantined:
            return "failed"
        return "passed_with_warnings" if self.warnings else "passed"

    @property
    def success(self) -> bool:
        return self.status != "failed"

    def failure_line(self) -> str:
        """The one line a failed run ends with."""
        if self.blocking:
            first = self.blocking[0]
            more = f" (and {len(self.blocking) - 1} more)" if len(self.blocking) > 1 else ""
            return f"validation failed: {first}{more}; nothing was set aside; see {self.result_path}"
        if not self.reconciles:
            broken = ", ".join(t.table for t in self.tables if t.reconciliation and not t.reconciliation.reconciles)
            return f"validation failed: row counts do not reconcile for {broken}; see {self.result_path}"
        return (
            f"validation failed: {self.rows_quarantined:,} rows are in quarantine and --fail-on-quarantine is set; "
            f"see {self.result_path}"
        )

    def summary(self) -> str:
        source = (
            f"files in {self.data_dir} (loaded into a temporary warehouse)" if self.data_dir else str(self.warehouse)
        )
        lines = [f"Great Expectations validation of {source}", ""]
        header = ("table", "rows", "rules", "errors", "warnings", "quarantined", "reconciliation")
        rows = [header]
        for t in self.tables:
            counts = (t.raw.rows, len(t.outcomes), t.errors, t.warnings, t.rows_quarantined)
            name = t.table if t.raw.exists else f"{t.table} (absent)"
            reconciliation = t.reconciliation.text() if t.reconciliation else "-"
            rows.append((name, *(f"{n:,}" for n in counts), reconciliation))
        widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
        for r in rows:
            cells = [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:-1], widths[1:], strict=True)), r[-1]]
            lines.append("  ".join(cells))
        lines.append(
            "(errors, warnings: rules failing in this run; quarantined: rows now in quarantine.<table>, "
            "set aside by the loader or by this gate)"
        )
        findings = [line for t in self.tables for line in t.finding_lines(self.not_set_aside_because)]
        if findings:
            lines += ["", "Findings (table, severity, rule: rows; then examples as file and row):", *findings]
        if self.blocking:
            lines += ["", "The run stops (fix these, load again, validate again):", *(f"  {b}" for b in self.blocking)]
        notes = [note for t in self.tables for note in t.notes()]
        if notes:
            lines += ["", "Notes:", *(f"  {note}" for note in notes)]
        lines += ["", f"Data Docs: {self.data_docs}", f"Result:    {self.result_path}", self._verdict()]
        return "\n".join(lines)

    def _verdict(self) -> str:
        if self.blocking:
            return f"FAILED: {len(self.blocking)} problem(s) stop the run; nothing was set aside, dbt must not run."
        quarantine = f"{self.rows_quarantined:,} rows in quarantine"
        if self.rows_set_aside_now:
            quarantine += f" ({self.rows_set_aside_now:,} set aside by this run)"
        reconciled = "every table reconciles" if self.reconciles else "ROW COUNTS DO NOT RECONCILE"
        verdict = "FAILED" if self.status == "failed" else "Passed"
        return f"{verdict}: no table-level errors, {self.warnings} warning(s); {quarantine}; {reconciled}."

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "success": self.success,
            "warehouse": None if self.data_dir else str(self.warehouse),
            "data_dir": str(self.data_dir) if self.data_dir else None,
            "validated_at": self.validated_at.isoformat(sep=" "),
            "parameters": {k: plain(v) for k, v in self.parameters.items() if not isinstance(v, list | tuple)},
            "quarantine_applied": self.not_set_aside_because is None,
            "not_set_aside_because": self.not_set_aside_because,
            "fail_on_quarantine": self.fail_on_quarantine,
            "blocking": self.blocking,
            "rows_quarantined": self.rows_quarantined,
            "rows_set_aside_now": self.rows_set_aside_now,
            "warnings": self.warnings,
            "reconciles": self.reconciles,
            "data_docs": str(self.data_docs),
            "tables": [t.to_json() for t in self.tables],
        }

    def write(self) -> None:
        self.result_path.parent.mkdir(parents=True, exist_ok=True)
        self.result_path.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
