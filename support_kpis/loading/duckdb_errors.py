"""Turning DuckDB's multi-line reader errors into one line that names the file and the reason.

A CSV file DuckDB's strict reader rejects is read again by Python's csv reader (csv_fallback), whose verdict and
messages are final; so what is left here is Parquet, the operating system's refusals, and whatever else a reader
can raise about a file that is already staged.
"""

from __future__ import annotations

import re

import duckdb

from support_kpis.errors import DataError, UserError
from support_kpis.loading.csv_errors import NOT_CSV
from support_kpis.loading.discovery import SourceFile
from support_kpis.loading.os_failures import os_failure

# Errors the readers raise for a file they cannot read (anything else is a bug and keeps its trace).
READER_ERRORS = (duckdb.InvalidInputException, duckdb.IOException, duckdb.NotImplementedException)


def as_data_error(exc: duckdb.Error, file: SourceFile) -> UserError:
    text = str(exc)
    failure = os_failure(exc)
    if failure is not None and failure.is_about(file.path):
        return DataError(f"cannot read the file: {failure.reason}", file=file.name)
    if failure is not None:
        # DuckDB spilling staged data to disk, next to the warehouse: not a problem of the input file.
        return UserError(f"cannot write {failure.path or 'a temporary file'}: {failure.reason}")
    if file.format == "parquet":
        return DataError(f"cannot read this Parquet file ({first_line(text)})", file=file.name)
    return DataError(first_line(text), file=file.name, rule=NOT_CSV)


def first_line(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return re.sub(r"^[A-Za-z ]*Error: ", "", first)
