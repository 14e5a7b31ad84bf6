"""Reading a CSV file with Python's csv module when DuckDB's strict reader cannot: the same table, slower.

DuckDB's reader wants one kind of line ending per file and records under 2 MB. Concatenated exports mix LF and
CRLF, and a broken export may hold a huge value; Python's reader takes both and is as strict about the rest (quotes,
field counts). It fills the same scratch table as the fast path: positional VARCHAR columns c0..cN, one row per
record in file order (so rowid + 2 is the spreadsheet row), an empty field as NULL, blank lines skipped. Rows go in
batches of bounded size, so memory does not grow with the file. Its verdict on a file is final: the messages name
the record's row as a spreadsheet counts it.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from support_kpis.loading import csv_errors
from support_kpis.loading.csv_header import CsvHeader
from support_kpis.loading.csv_lines import MAX_LINE_BYTES, LineTooLong, NotUtf8, decoded_lines
from support_kpis.loading.discovery import SourceFile
from support_kpis.loading.sql import ident

BATCH_ROWS = 50_000
BATCH_CHARS = 32 * (1 << 20)
# Far above any real value (values over 2 MB are set aside anyway) but bounded: a stray quote that swallows the
# rest of a large file stops here instead of filling memory.
MAX_FIELD_CHARS = 64 * (1 << 20)
_BATCH_VIEW = "__csv_batch"


@dataclass(frozen=True)
class PythonRead:
    records: int
    endings: Counter[str]  # line endings seen: CRLF, LF, CR

    @property
    def mixed_endings(self) -> bool:
        return len([e for e in self.endings if e != "none"]) > 1

    def describe_endings(self) -> str:
        return ", ".join(f"{count:,} {ending}" for ending, count in self.endings.most_common() if ending != "none")


def column_names(width: int) -> list[str]:
    """The scratch table's positional column names."""
    return [f"c{i}" for i in range(width)]


def read_with_python(con: duckdb.DuckDBPyConnection, file: SourceFile, header: CsvHeader, table: str) -> PythonRead:
    """Read `file` (whose header is `header`) into the new table `table`; raise DataError naming the bad row."""
    width = len(header.names)
    names = column_names(width)
    con.execute(f"CREATE OR REPLACE TABLE {ident(table)} ({', '.join(f'{ident(n)} VARCHAR' for n in names)})")
    endings: Counter[str] = Counter()
    lines = decoded_lines(file.path, endings)
    reader = csv.reader(lines, delimiter=header.delimiter, strict=True)
    records = 0
    batch: list[list[str]] = []
    batch_chars = 0
    previous_limit = csv.field_size_limit(MAX_FIELD_CHARS)
    header_seen = False
    try:
        while True:
            row = records + 2  # the row of the record being read, should it fail
            try:
                fields = next(reader)
            except StopIteration:
                break
            except NotUtf8 as exc:
                raise csv_errors.not_utf8(file.name, row, exc.byte) from None
            except LineTooLong:
                raise csv_errors.too_long(file.name, row, "a line", MAX_LINE_BYTES) from None
            except csv.Error as exc:
                raise csv_errors.from_csv_module(file.name, row, exc) from None
            if not fields:
                continue  # a blank line is no record, as for DuckDB's reader
            if not header_seen:
                header_seen = True  # read_header has read it already
                continue
            if len(fields) != width:
                raise csv_errors.field_count(file.name, row, width, len(fields))
            batch.append(fields)
            records += 1
            batch_chars += sum(map(len, fields))
            if len(batch) >= BATCH_ROWS or batch_chars >= BATCH_CHARS:
                _insert(con, table, names, batch)
                batch, batch_chars = [], 0
        _insert(con, table, names, batch)
    finally:
        csv.field_size_limit(previous_limit)
        lines.close()
    return PythonRead(records, endings)


def _insert(con: duckdb.DuckDBPyConnection, table: str, names: list[str], batch: Sequence[Sequence[str]]) -> None:
    if not batch:
        return
    columns = zip(*batch, strict=True)
    arrow = pa.table({name: pa.array(values, pa.large_string()) for name, values in zip(names, columns, strict=True)})
    con.register(_BATCH_VIEW, arrow)
    try:
        # DuckDB's reader reads an empty field as NULL; so does this one.
        values = ", ".join(f"nullif({ident(n)}, '')" for n in names)
        con.execute(f"INSERT INTO {ident(table)} SELECT {values} FROM {_BATCH_VIEW}")
    finally:
        con.unregister(_BATCH_VIEW)
