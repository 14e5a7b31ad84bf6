"""Matching a file's columns to the contract's: required ones must be there, unknown ones are kept."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from support_kpis.contract import Table
from support_kpis.errors import DataError
from support_kpis.loading.csv_header import header_key
from support_kpis.loading.layout import BOOKKEEPING
from support_kpis.loading.sources import Source, SourceColumn

RESERVED = BOOKKEEPING


@dataclass(frozen=True)
class ColumnMapping:
    contract: dict[str, SourceColumn]  # contract column -> the file's column (absent: not in the file)
    extras: tuple[tuple[str, SourceColumn], ...]  # (name in raw, the file's column) for columns unknown to the contract
    absent_optional: tuple[str, ...]
    dropped_reserved: tuple[str, ...]  # columns named like the loader's own metadata


def map_columns(table: Table, source: Source) -> ColumnMapping:
    """Header names match case-insensitively and with surrounding spaces ignored."""
    file = source.file.name
    headers = [(header_key(c.header) or f"column{i + 1}", c) for i, c in enumerate(source.columns)]
    repeated = sorted(k for k, n in Counter(k for k, _ in headers).items() if n > 1)
    if repeated:
        raise DataError(f"column names appear more than once in the header: {', '.join(repeated)}", file=file)

    by_key = dict(headers)
    missing = [c.name for c in table.columns if c.required and c.name not in by_key]
    if missing:
        raise DataError(
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            file=file,
        )
    contract = {c.name: by_key[c.name] for c in table.columns if c.name in by_key}
    absent = tuple(c.name for c in table.columns if c.name not in by_key)
    known = set(table.column_names)
    extras = tuple(
        (column.header.strip() or key, column) for key, column in headers if key not in known and key not in RESERVED
    )
    dropped = tuple(column.header for key, column in headers if key in RESERVED)
    return ColumnMapping(contract, extras, absent, dropped)
