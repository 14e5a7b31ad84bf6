"""Opening an input file as a relation of text fields, whatever its format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from support_kpis.contract import TABLES
from support_kpis.loading.csv_fallback import PythonRead, column_names, read_with_python
from support_kpis.loading.csv_header import read_header
from support_kpis.loading.discovery import SourceFile
from support_kpis.loading.duckdb_errors import READER_ERRORS, as_data_error, first_line
from support_kpis.loading.os_failures import os_failure
from support_kpis.loading.sql import ident, literal
from support_kpis.loading.type_rules import Kind

NUL_SCAN_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class SourceColumn:
    header: str  # the name as written in the file
    reference: str  # SQL naming the column in the source relation
    source_type: str  # the file's type for it (always VARCHAR for CSV)


@dataclass(frozen=True)
class Source:
    file: SourceFile
    relation: str  # SQL for a FROM clause
    row: str  # SQL for the record's row as a spreadsheet shows it: header = 1, first record = 2
    columns: tuple[SourceColumn, ...]
    notes: tuple[str, ...] = ()  # what a user should know about how the file was read
    may_hold_nul: bool = True  # False when the file is known to hold no NUL character, so none is looked for

    def text(self, column: SourceColumn, kind: Kind) -> str:
        """SQL for the column's value as text: NULL only for an empty field."""
        if self.file.format == "csv":
            return column.reference  # DuckDB reads an empty field as NULL already
        return f"nullif({_parquet_text(column, kind)}, '')"


def open_source(con: duckdb.DuckDBPyConnection, file: SourceFile, scratch_table: str) -> Source:
    """Make `file` readable as a relation; a CSV file is read here, into `scratch_table`."""
    if file.format == "csv":
        return _read_csv(con, file, scratch_table)
    return _open_parquet(con, file)


def _read_csv(con: duckdb.DuckDBPyConnection, file: SourceFile, scratch_table: str) -> Source:
    header = read_header(file.path, file.declared or TABLES[file.table])
    # Positional names and no sniffing: the header decides the names, every field is read as text,
    # and a dialect guess can never reinterpret the file.
    names = column_names(len(header.names))
    columns_sql = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    relation = (
        f"read_csv({literal(str(file.path))}, columns = {columns_sql}, header = true, "
        f"delim = {literal(header.delimiter)}, quote = '\"', escape = '\"', auto_detect = false, strict_mode = true, "
        "encoding = 'utf-8')"
    )
    notes = [header.note] if header.note else []
    # A bare scan into a table keeps the file's record order (DuckDB's CSV reader preserves insertion
    # order), so rowid is the record's position. Numbering in the same pass (row_number() OVER ()) would be
    # just as exact but makes the scan single-threaded, three times slower.
    try:
        con.execute(f"CREATE OR REPLACE TABLE {ident(scratch_table)} AS SELECT * FROM {relation}")
    except READER_ERRORS as exc:
        if os_failure(exc) is not None:
            raise as_data_error(exc, file) from None
        # Not strict_mode = false: that reader drops a surplus field and mangles stray quotes without a word.
        python_read = read_with_python(con, file, header, scratch_table)
        notes.append(_why_python(python_read, str(exc)))
    columns = tuple(SourceColumn(h, ident(n), "VARCHAR") for h, n in zip(header.names, names, strict=True))
    return Source(file, ident(scratch_table), "rowid + 2", columns, tuple(notes), _holds_nul_byte(file.path))


def _holds_nul_byte(path: Path) -> bool:
    # One pass over the bytes (milliseconds for 100 MB) spares looking into every field of a file without any NUL;
    # in UTF-8 a 0 byte is only ever the NUL character. Read in chunks, not mapped: a mapping's pages count in the
    # process's resident set, which would then grow with the file (9 GB of events at 10M tickets).
    buffer = bytearray(NUL_SCAN_CHUNK)
    with path.open("rb", buffering=0) as handle:
        while read := handle.readinto(buffer):
            if buffer.find(b"\0", 0, read) >= 0:
                return True
    return False


def _why_python(read: PythonRead, duckdb_message: str) -> str:
    if read.mixed_endings:
        reason = f"its line endings are mixed ({read.describe_endings()})"
    elif "Maximum line size" in duckdb_message:
        reason = "a record is longer than DuckDB's 2 MB line limit"
    else:
        reason = f"DuckDB's strict reader stopped ({_first_words(duckdb_message)})"
    return f"read with Python's csv reader, slower, as {reason}"


def _first_words(message: str) -> str:
    # DuckDB's first line may name itself an error; this is a note, not an error.
    return first_line(message).replace("Error", "problem").replace("error", "problem")[:120]


def _open_parquet(con: duckdb.DuckDBPyConnection, file: SourceFile) -> Source:
    relation = f"read_parquet({literal(str(file.path))}, file_row_number = true)"
    try:
        described = con.execute(f"DESCRIBE SELECT * EXCLUDE (file_row_number) FROM {relation}").fetchall()
    except duckdb.Error as exc:
        raise as_data_error(exc, file) from None
    columns = tuple(SourceColumn(str(name), ident(str(name)), str(type_)) for name, type_, *_ in described)
    # file_row_number counts from 0; rows are numbered as for CSV so that messages read the same.
    return Source(file, relation, "file_row_number + 2", columns)


def _parquet_text(column: SourceColumn, kind: Kind) -> str:
    ref, source_type = column.reference, column.source_type.upper()
    if source_type == "VARCHAR":
        return ref
    if source_type in ("FLOAT", "DOUBLE") and kind == "string":
        # Ids written through a float column (pandas does this once a column has a null) read as "7", not "7.0".
        return (
            f"CASE WHEN {ref} = trunc({ref}) AND abs({ref}) < 9007199254740992 "
            f"THEN CAST(CAST({ref} AS BIGINT) AS VARCHAR) ELSE CAST({ref} AS VARCHAR) END"
        )
    if source_type.startswith("TIMESTAMP") and "TIME ZONE" not in source_type:
        naive = f"CAST({ref} AS TIMESTAMP)"
        if kind in ("date", "month"):
            return (
                f"CASE WHEN {naive} = date_trunc('day', {naive}) THEN strftime({naive}, '%Y-%m-%d') "
                f"ELSE CAST({naive} AS VARCHAR) END"
            )
        return f"CAST({naive} AS VARCHAR)"
    # TIMESTAMPTZ prints with its offset, DATE as YYYY-MM-DD, BOOLEAN as true/false, numbers as digits.
    return f"CAST({ref} AS VARCHAR)"
