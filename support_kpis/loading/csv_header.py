"""Reading a CSV file's header record, so columns are named by the file and not guessed by a sniffer.

The delimiter is a comma. Only when the header is a single column on commas, and that column is not one of the
table's, is another delimiter tried: a semicolon, tab or pipe that splits the header into the table's columns.
That is what a spreadsheet set to a European locale, or a tab-separated export, writes; it is told in a note.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from support_kpis.contract import Table
from support_kpis.errors import DataError
from support_kpis.loading import csv_errors
from support_kpis.loading.csv_lines import MAX_LINE_BYTES, LineTooLong, NotUtf8, decoded_lines

DELIMITER = ","
OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "pipes"}
# How much of an unusable header line a message quotes.
QUOTED_HEADER_CHARS = 60
# A header fits in far less than the chunk a whole file is read by.
HEADER_CHUNK_BYTES = 1 << 16


@dataclass(frozen=True)
class CsvHeader:
    names: tuple[str, ...]  # as written in the file (byte order mark removed)
    delimiter: str

    @property
    def note(self) -> str | None:
        if self.delimiter == DELIMITER:
            return None
        return f"fields are separated by {OTHER_DELIMITERS[self.delimiter]}, not commas: read with {self.delimiter!r}"


def header_key(name: str) -> str:
    """How a header name is matched to a contract column: case-insensitively, surrounding spaces ignored."""
    return name.strip().lower()


def read_header(path: Path, table: Table) -> CsvHeader:
    """The header record and the delimiter that gives it."""
    names = _first_record(path, DELIMITER)
    if not any(name.strip() for name in names):
        raise DataError("the first line is not a header row (no column names)", file=path.name, row=1)
    if len(names) == 1 and header_key(names[0]) not in table.column_names:
        return _other_delimiter(path, table, names[0])
    return CsvHeader(tuple(names), DELIMITER)


def _other_delimiter(path: Path, table: Table, only_column: str) -> CsvHeader:
    required = set(table.required_columns)
    fits = []
    for delimiter in OTHER_DELIMITERS:
        names = _first_record(path, delimiter)
        if len(names) > 1 and required <= {header_key(name) for name in names}:
            fits.append(CsvHeader(tuple(names), delimiter))
    if fits:
        return max(fits, key=lambda header: len(header.names))
    shown = only_column[:QUOTED_HEADER_CHARS] + ("..." if len(only_column) > QUOTED_HEADER_CHARS else "")
    raise DataError(
        f"cannot tell the delimiter: split on commas the header is one column ({shown!r}), and no semicolon, tab "
        f"or pipe splits it into the {table.name} columns ({', '.join(table.required_columns)} at least); "
        "save the file comma-separated",
        file=path.name,
        row=1,
    )


def _first_record(path: Path, delimiter: str) -> list[str]:
    lines = decoded_lines(path, chunk_bytes=HEADER_CHUNK_BYTES)
    try:
        return next(csv.reader(lines, delimiter=delimiter, strict=True), [])
    except NotUtf8 as exc:
        raise csv_errors.not_utf8(path.name, 1, exc.byte) from None
    except LineTooLong:
        raise csv_errors.too_long(path.name, 1, "the header line", MAX_LINE_BYTES) from None
    except csv.Error as exc:
        raise csv_errors.from_csv_module(path.name, 1, exc) from None
    except OSError as exc:
        raise csv_errors.unreadable(path.name, exc) from None
    finally:
        lines.close()
