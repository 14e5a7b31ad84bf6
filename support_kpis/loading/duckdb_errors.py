"""Turning DuckDB's multi-line reader errors into one line that names the file, the row and the reason."""

from __future__ import annotations

import re

import duckdb

from support_kpis.errors import DataError
from support_kpis.loading.discovery import SourceFile

# Errors the readers raise for a file they cannot read (anything else is a bug and keeps its trace).
READER_ERRORS = (duckdb.InvalidInputException, duckdb.IOException, duckdb.NotImplementedException)

_LINE = re.compile(r"CSV Error on Line: (\d+)")
_COLUMNS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
_MAX_LINE = re.compile(r"Maximum line size of (\d+) bytes exceeded")


def as_data_error(exc: duckdb.Error, file: SourceFile) -> DataError:
    text = str(exc)
    if file.format == "parquet":
        return DataError(f"cannot read this Parquet file ({_first_line(text)})", file=file.name)
    match = _LINE.search(text)
    row = int(match.group(1)) if match else None
    lowered = text.lower()
    if "invalid unicode" in lowered or "not utf-8" in lowered:
        return DataError("not UTF-8 encoded; save the file as UTF-8", file=file.name, row=row)
    return DataError(_csv_reason(text), file=file.name, row=row, rule="not valid CSV")


def _csv_reason(text: str) -> str:
    lowered = text.lower()
    if "unterminated quote" in lowered:
        return "a quoted value is never closed (unbalanced quotes)"
    columns = _COLUMNS.search(text)
    if columns:
        return f"expected {columns.group(1)} fields like the header, found {columns.group(2)}"
    max_line = _MAX_LINE.search(text)
    if max_line:
        return f"a record is longer than {int(max_line.group(1)) // 1_000_000} MB (often an unbalanced quote)"
    return _first_line(text)


def _first_line(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return re.sub(r"^[A-Za-z ]*Error: ", "", first)
