"""Streamed table files: CSV (RFC 4180, minimal quoting) or Parquet, one file per table.

Files are written under a temporary name and renamed only when the whole data set is
complete, so an interrupted run never leaves a half-written table that looks finished.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from support_kpis.sample.columns import schema

FileFormat = Literal["csv", "parquet"]
# Rows formatted at once; keeps every formatted block far below Arrow's 2 GiB string limit.
_CSV_BLOCK_ROWS = 200_000
_PARQUET_TIMESTAMP = pa.timestamp("us", tz="UTC")


class TableSink(Protocol):
    rows: int

    def write(self, table: pa.Table) -> None: ...

    def finish(self) -> None: ...

    def abandon(self) -> None: ...


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def _csv_field(column: pa.Array) -> pa.Array:
    """A column as CSV text; nulls stay null and become empty fields."""
    kind = column.type
    if pa.types.is_timestamp(kind):
        text = column.cast(pa.timestamp("s")).cast(pa.string())  # "2026-03-01 09:15:00"
        return pc.binary_join_element_wise(pc.replace_substring(text, " ", "T"), pa.scalar("Z"), "")
    if pa.types.is_string(kind):
        needs_quotes = pc.match_substring_regex(column, '[",\r\n]')
        quoted = pc.binary_join_element_wise(
            pa.scalar('"'), pc.replace_substring(column, '"', '""'), pa.scalar('"'), ""
        )
        return pc.if_else(needs_quotes, quoted, column)
    return column.cast(pa.string())


def csv_bytes(table: pa.Table) -> bytes:
    """The rows of `table` as CSV lines (no header), every line ending in a newline."""
    if table.num_rows == 0:
        return b""
    fields = [_csv_field(table.column(i).combine_chunks()) for i in range(table.num_columns)]
    fields[-1] = pc.binary_join_element_wise(fields[-1], pa.scalar("\n"), "", null_handling="replace")
    lines = pc.binary_join_element_wise(*fields, ",", null_handling="replace", null_replacement="")
    # The joined array has no nulls, so its value buffer is exactly the concatenated lines.
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
    return lines.buffers()[2][offsets[0] : offsets[-1]].to_pybytes()


class CsvSink:
    def __init__(self, path: Path, table: str) -> None:
        self.path, self.rows = path, 0
        self._file = _partial(path).open("wb")
        self._file.write((",".join(schema(table).names) + "\n").encode("utf-8"))

    def write(self, table: pa.Table) -> None:
        for start in range(0, table.num_rows, _CSV_BLOCK_ROWS):
            self._file.write(csv_bytes(table.slice(start, _CSV_BLOCK_ROWS)))
        self.rows += table.num_rows

    def finish(self) -> None:
        self._file.close()
        os.replace(_partial(self.path), self.path)

    def abandon(self) -> None:
        self._file.close()
        _partial(self.path).unlink(missing_ok=True)


def _parquet_schema(table: str) -> pa.Schema:
    # Parquet has no second-precision timestamp; microseconds is what every engine reads.
    fields = [pa.field(f.name, _PARQUET_TIMESTAMP) if pa.types.is_timestamp(f.type) else f for f in schema(table)]
    return pa.schema(fields)


class ParquetSink:
    def __init__(self, path: Path, table: str) -> None:
        self.path, self.rows = path, 0
        self._schema = _parquet_schema(table)
        self._writer = pq.ParquetWriter(_partial(path), self._schema, compression="zstd")

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table.cast(self._schema))
        self.rows += table.num_rows

    def finish(self) -> None:
        self._writer.close()
        os.replace(_partial(self.path), self.path)

    def abandon(self) -> None:
        self._writer.close()
        _partial(self.path).unlink(missing_ok=True)


SinkT = TypeVar("SinkT", bound=TableSink)


def open_sink(out_dir: Path, table: str, file_format: FileFormat) -> TableSink:
    path = out_dir / f"{table}.{file_format}"
    return CsvSink(path, table) if file_format == "csv" else ParquetSink(path, table)


def fill_sinks(sinks: dict[str, SinkT], fill: Callable[[dict[str, SinkT]], None]) -> dict[str, int]:
    """Run `fill` over the sinks and finish them all, or abandon them all if it fails: never a half-written sample."""
    try:
        fill(sinks)
    except BaseException:
        for sink in sinks.values():
            sink.abandon()
        raise
    for sink in sinks.values():
        sink.finish()
    return {table: sink.rows for table, sink in sinks.items()}
