"""The one-line messages for a CSV file that cannot be read, whichever reader found the problem."""

from __future__ import annotations

import csv

from support_kpis.errors import DataError

NOT_CSV = "not valid CSV"
UNBALANCED_QUOTES = "a quoted value is never closed (unbalanced quotes)"


def not_csv(file: str, row: int | None, reason: str) -> DataError:
    return DataError(reason, file=file, row=row, rule=NOT_CSV)


def field_count(file: str, row: int, expected: int, found: int) -> DataError:
    return not_csv(file, row, f"expected {expected} fields like the header, found {found}")


def unbalanced_quotes(file: str, row: int, detail: str = "") -> DataError:
    return not_csv(file, row, UNBALANCED_QUOTES + (f": {detail}" if detail else ""))


def too_long(file: str, row: int, what: str, limit: int) -> DataError:
    size = f"{limit // (1 << 20)} MB" if limit >= 1 << 20 else f"{limit:,} characters"
    return not_csv(file, row, f"{what} is longer than {size} (often an unbalanced quote)")


def not_utf8(file: str, row: int | None, byte: int | None = None) -> DataError:
    shown = f" (byte 0x{byte:02x})" if byte is not None else ""
    return DataError(f"not UTF-8 encoded{shown}; save the file as UTF-8", file=file, row=row)


def from_csv_module(file: str, row: int, exc: csv.Error) -> DataError:
    """Python's csv reader (strict) explains the same faults as DuckDB's in other words."""
    text = str(exc)
    if "unexpected end of data" in text:
        return unbalanced_quotes(file, row)
    if "expected after" in text:
        return unbalanced_quotes(file, row, "text follows a closing quote (a quote inside a quoted value is doubled)")
    if "field larger than field limit" in text:
        return too_long(file, row, "a value", csv.field_size_limit())
    return not_csv(file, row, text)


def unreadable(file: str, exc: OSError) -> DataError:
    return DataError(f"cannot read the file: {exc.strerror or exc}", file=file)
