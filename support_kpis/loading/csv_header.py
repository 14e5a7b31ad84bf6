"""Reading a CSV file's header record, so columns are named by the file and not guessed by a sniffer."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from support_kpis.errors import DataError

BOM = b"\xef\xbb\xbf"


def _decoded_lines(path: Path) -> Iterator[str]:
    # Decoding line by line keeps a bad byte far down the file for the full reader, which names its row.
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw[len(BOM) :] if number == 1 and raw.startswith(BOM) else raw
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DataError(
                    f"not UTF-8 encoded (byte 0x{line[exc.start]:02x}); save the file as UTF-8",
                    file=path.name,
                    row=number,
                ) from None


def read_header(path: Path) -> list[str]:
    """The header record's field names, exactly as written (BOM removed)."""
    if path.stat().st_size == 0:
        raise DataError("the file is empty (0 bytes); a table without rows still needs its header row", file=path.name)
    try:
        header = next(csv.reader(_decoded_lines(path), strict=True), [])
    except csv.Error as exc:
        raise DataError(f"not valid CSV: {exc}", file=path.name, row=1, rule="not CSV") from None
    if not any(name.strip() for name in header):
        raise DataError("the first line is not a header row (no column names)", file=path.name, row=1)
    return header
