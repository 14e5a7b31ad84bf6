"""Streamed files for the Zendesk tables: the contract sample's CSV encoder, Fivetran's timestamp style.

The connector lands timestamps as UTC without an offset, so CSV timestamps are written
`2026-03-01T09:15:00` (no `Z`), and Parquet timestamps carry no time zone. Files are written
under a temporary name and renamed when the whole data set is done, as for the contract sample.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from support_kpis.sample.writers import FileFormat, csv_bytes
from support_kpis.sample.zendesk.columns import schema

_CSV_BLOCK_ROWS = 200_000
_PARQUET_TIMESTAMP = pa.timestamp("us")


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def _timestamps_as_text(table: pa.Table) -> pa.Table:
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            text = pc.replace_substring(table.column(i).cast(pa.string()), " ", "T")
            table = table.set_column(i, field.name, text)
    return table


class ZendeskSink:
    """One table's file; `write` takes tables in the declared schema."""

    def __init__(self, out_dir: Path, table: str, file_format: FileFormat) -> None:
        self.path = out_dir / f"{table}.{file_format}"
        self.rows = 0
        self._format = file_format
        declared = schema(table)
        if file_format == "csv":
            self._file = _partial(self.path).open("wb")
            self._file.write((",".join(declared.names) + "\n").encode("utf-8"))
        else:
            fields = [pa.field(f.name, _PARQUET_TIMESTAMP) if pa.types.is_timestamp(f.type) else f for f in declared]
            self._schema = pa.schema(fields)
            self._writer = pq.ParquetWriter(_partial(self.path), self._schema, compression="zstd")

    def write(self, table: pa.Table) -> None:
        if self._format == "csv":
            text = _timestamps_as_text(table)
            for start in range(0, text.num_rows, _CSV_BLOCK_ROWS):
                self._file.write(csv_bytes(text.slice(start, _CSV_BLOCK_ROWS)))
        elif table.num_rows:
            self._writer.write_table(table.cast(self._schema))
        self.rows += table.num_rows

    def _close(self) -> None:
        if self._format == "csv":
            self._file.close()
        else:
            self._writer.close()

    def finish(self) -> None:
        self._close()
        os.replace(_partial(self.path), self.path)

    def abandon(self) -> None:
        self._close()
        _partial(self.path).unlink(missing_ok=True)
