"""What GX said about one rule, gathered over a table's batches: counts, examples and the rows that failed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from great_expectations.core import ExpectationValidationResult

from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN
from support_kpis.loading.layout import LOADED_AT
from support_kpis.validation.suites import Rule
from support_kpis.validation.values import plain, shown_values

EXAMPLES = 3

# One raw row, whichever batch wrote it: (its `_loaded_at` in epoch microseconds, its `_source_row`). File rows
# repeat across the batches `load --append` adds, and a batch writes one file per table, so the pair is unique.
# NO_BATCH stands for a row without a load time (raw written before the loader kept `_loaded_at`: one batch).
RowId = tuple[int, int]
NO_BATCH = int(np.iinfo(np.int64).min)  # what pandas makes of NaT as an integer


def batch_label(loaded_at: datetime | None) -> str:
    """How a report names the batch a row came from: the load time, as raw.load_batches lists it."""
    return f" (batch loaded {loaded_at:%Y-%m-%d %H:%M:%S.%f} UTC)" if loaded_at is not None else ""


@dataclass(frozen=True)
class Example:
    source_file: str | None
    source_row: int | None
    values: dict[str, Any]  # as read from the batch (shown as text, stored as JSON values)
    loaded_at: datetime | None = None  # set when the warehouse holds several batches, whose file rows repeat

    def text(self) -> str:
        where = f"{self.source_file or '?'} row {self.source_row}" if self.source_row is not None else "table"
        return f"{where}{batch_label(self.loaded_at)}: {shown_values(self.values)}"

    def to_json(self) -> dict[str, Any]:
        values = {column: plain(value) for column, value in self.values.items()}
        batch = {} if self.loaded_at is None else {LOADED_AT: plain(self.loaded_at)}
        return {SOURCE_FILE_COLUMN: self.source_file, SOURCE_ROW_COLUMN: self.source_row, **batch, "values": values}


@dataclass
class RuleOutcome:
    rule: Rule
    batches_run: int = 0
    batches_passed: int = 0
    rows_checked: int = 0
    rows_failing: int = 0
    observed: list[Any] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    problem: str | None = None  # GX could not evaluate the rule
    kwargs: dict[str, Any] = field(default_factory=dict)  # as GX ran it, parameters filled in
    examples: list[Example] = field(default_factory=list)
    name_batches: bool = False  # examples name their batch: the warehouse holds several

    @property
    def passed(self) -> bool:
        if self.problem is not None:
            return False
        if self.rule.batches == "any":
            return self.batches_passed > 0
        return self.batches_passed == self.batches_run

    @property
    def observed_value(self) -> Any:
        """The table's value for a table-level rule: summed row counts, the largest maximum, else the first."""
        values = [v for v in self.observed if v is not None]
        if not values:
            return None
        if self.rule.expectation_type == "expect_table_row_count_to_be_between":
            return sum(values)
        if self.rule.expectation_type == "expect_column_max_to_be_between":
            return max(values)
        return values[0]

    def add(self, result: ExpectationValidationResult, frame: pd.DataFrame) -> list[RowId]:
        """Take one batch's result; return the rows that failed the rule (row rules only)."""
        self.batches_run += 1
        self.kwargs = self.kwargs or dict(result.expectation_config.kwargs)
        problem = _problem(result)
        if problem is not None:
            self.problem = self.problem or problem
            return []
        details = result.result or {}
        self.batches_passed += bool(result.success)
        if "observed_value" in details:
            self.observed.append(details["observed_value"])
        missing = ((details.get("details") or {}).get("mismatched") or {}).get("missing") or []
        self.missing_columns = sorted({*self.missing_columns, *(str(c) for c in missing)})
        if self.rule.level != "row":
            return []
        self.rows_checked += int(details.get("element_count") or 0)
        failing = [row_id(entry) for entry in details.get("unexpected_index_list") or []]
        self.rows_failing += len(failing)
        if failing:
            self._add_examples(frame, failing)
        return failing

    def _add_examples(self, frame: pd.DataFrame, failing: list[RowId]) -> None:
        first = sorted(failing, key=lambda row: (row[1], row[0]))[:EXAMPLES]
        found = rows_of(frame, first, self.rule.shown_columns)
        columns, batches = self.rule.shown_columns, self.name_batches
        merged = [*self.examples, *(example_of(row, columns, with_batch=batches) for _, row in found.iterrows())]
        self.examples = sorted(merged, key=_example_order)[:EXAMPLES]

    def to_json(self) -> dict[str, Any]:
        rule = self.rule
        return {
            "rule": rule.name,
            "severity": rule.severity,
            "level": rule.level,
            "expectation": rule.expectation_type,
            "expectation_id": rule.expectation_id,
            "description": rule.description,
            "success": self.passed,
            "batches": self.batches_run,
            "rows_checked": self.rows_checked if rule.level == "row" else None,
            "rows_failing": self.rows_failing if rule.level == "row" else None,
            "observed_value": plain(self.observed_value),
            "missing_columns": self.missing_columns or None,
            "problem": self.problem,
            "examples": [e.to_json() for e in self.examples],
        }


def row_id(entry: Mapping[str, Any]) -> RowId:
    """The row GX names in one entry of unexpected_index_list (its index columns' values)."""
    loaded_at = entry.get(LOADED_AT)
    batch = NO_BATCH if loaded_at is None or pd.isna(loaded_at) else int(pd.Timestamp(loaded_at).value // 1000)
    return (batch, int(entry[SOURCE_ROW_COLUMN]))


def frame_row_ids(frame: pd.DataFrame) -> pd.MultiIndex:
    """Every frame row's RowId, computed column-wise (a frame holds up to a batch of a million rows)."""
    rows = frame[SOURCE_ROW_COLUMN].astype("int64").to_numpy()
    if LOADED_AT in frame.columns:
        # NaT becomes NO_BATCH, as in row_id.
        batches = pd.to_datetime(frame[LOADED_AT]).astype("datetime64[us]").astype("int64").to_numpy()
    else:
        batches = np.full(len(frame), NO_BATCH, dtype=np.int64)
    return pd.MultiIndex.from_arrays([batches, rows])


def rows_of(frame: pd.DataFrame, rows: Sequence[RowId], columns: tuple[str, ...]) -> pd.DataFrame:
    """The frame's `rows`: the shown columns and where each row came from (file, row, batch)."""
    origin = (SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN, LOADED_AT)
    wanted = [c for c in (*columns, *origin) if c in frame.columns]
    found = frame.loc[frame_row_ids(frame).isin(list(rows)), list(dict.fromkeys(wanted))]
    return found.sort_values([c for c in (SOURCE_ROW_COLUMN, LOADED_AT) if c in found.columns])


def example_of(row: pd.Series, columns: tuple[str, ...], *, with_batch: bool = False) -> Example:
    values = {c: row[c] for c in columns if c in row.index}
    source_row = plain(row.get(SOURCE_ROW_COLUMN))
    loaded_at = row.get(LOADED_AT) if with_batch else None
    batch = None if loaded_at is None or pd.isna(loaded_at) else pd.Timestamp(loaded_at).to_pydatetime()
    return Example(
        plain(row.get(SOURCE_FILE_COLUMN)), int(source_row) if source_row is not None else None, values, batch
    )


def _example_order(example: Example) -> tuple[str, int, datetime]:
    return (example.source_file or "", example.source_row or 0, example.loaded_at or datetime.min)


def _problem(result: ExpectationValidationResult) -> str | None:
    """The message of an exception GX caught while evaluating, if any (e.g. a missing column)."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return _first_line(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception", True) and value.get("exception_message"):
            return _first_line(value["exception_message"])
    return None


def _first_line(message: Any) -> str:
    text = str(message or "GX could not evaluate this expectation").strip()
    return text.splitlines()[0].removeprefix("Error: ")
