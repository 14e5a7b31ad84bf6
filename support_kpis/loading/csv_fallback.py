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
import gc
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import duckdb

from support_kpis.loading import csv_errors
from support_kpis.loading.csv_header import CsvHeader
from support_kpis.loading.csv_lines import MAX_LINE_BYTES, LineTooLong, NotUtf8, ReadStats, decoded_lines
from support_kpis.loading.discovery import SourceFile
from support_kpis.loading.sql import ident

BATCH_ROWS = 50_000
BATCH_BYTES = 32 * (1 << 20)
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
        return len(self.endings) > 1

    def describe_endings(self) -> str:
        return ", ".join(f"{count:,} {ending}" for ending, count in self.endings.most_common())


def column_names(width: int) -> list[str]:
    """The scratch table's positional column names."""
    return [f"c{i}" for i in range(width)]


def read_with_python(con: duckdb.DuckDBPyConnection, file: SourceFile, header: CsvHeader, table: str) -> PythonRead:
    """Read `file` (whose header is `header`) into the new table `table`; raise DataError naming the bad row."""
    width = len(header.names)
    names = column_names(width)
    con.execute(f"CREATE OR REPLACE TABLE {ident(table)} ({', '.join(f'{ident(n)} VARCHAR' for n in names)})")
    stats = ReadStats()
    lines = decoded_lines(file.path, stats)
    reader = csv.reader(lines, delimiter=header.delimiter, strict=True)
    records = 0  # so the record being read, should it fail, is on row records + 2
    batch: list[list[str]] = []
    flushed_at = 0  # bytes read from the file when the last batch was written
    previous_limit = csv.field_size_limit(MAX_FIELD_CHARS)
    # Each record is a new list: the cycle collector would keep walking the batch, to find no cycle (2x slower).
    collecting = gc.isenabled()
    gc.disable()
    try:
        next(reader)  # the header, which read_header has read already
        for fields in reader:
            if not fields:
                continue  # a blank line is no record, as for DuckDB's reader
            if len(fields) != width:
                raise csv_errors.field_count(file.name, records + 2, width, len(fields))
            batch.append(fields)
            records += 1
            if len(batch) >= BATCH_ROWS or stats.bytes_read - flushed_at >= BATCH_BYTES:
                _insert(con, table, names, batch)
                batch, flushed_at = [], stats.bytes_read
        _insert(con, table, names, batch)
    except NotUtf8 as exc:
        raise csv_errors.not_utf8(file.name, records + 2, exc.byte) from None
    except LineTooLong:
        raise csv_errors.too_long(file.name, records + 2, "a line", MAX_LINE_BYTES) from None
    except csv.Error as exc:
        raise csv_errors.from_csv_module(file.name, records + 2, exc) from None
    except OSError as exc:
        raise csv_errors.unreadable(file.name, exc) from None
    finally:
        if collecting:
            gc.enable()
        csv.field_size_limit(previous_limit)
        lines.close()
    return PythonRead(records, stats.endings)


def _insert(con: duckdb.DuckDBPyConnection, table: str, names: list[str], batch: Sequence[Sequence[str]]) -> None:
    if not batch:
        return
    # Imported here: pyarrow takes a tenth of a second to import, which every load would pay for a rare path.
    import pyarrow as pa

    width = len(names)
    # One flat array cut into rows of `width` fields: about three times faster than transposing rows in Python.
    flat = pa.array(chain.from_iterable(batch), pa.large_string(), size=len(batch) * width)
    arrow = pa.table({"fields": pa.FixedSizeListArray.from_arrays(flat, width)})
    con.register(_BATCH_VIEW, arrow)
    try:
        # DuckDB's reader reads an empty field as NULL; so does this one.
        values = ", ".join(f"nullif(fields[{i + 1}], '')" for i in range(width))
        con.execute(f"INSERT INTO {ident(table)} SELECT {values} FROM {_BATCH_VIEW}")
    finally:
        con.unregister(_BATCH_VIEW)
