"""Numpy arrays -> Arrow columns of the contract's types, and tables in the contract's column order.

Generators work on integer codes (epoch seconds, day numbers, indexes into vocabularies,
-1 for null) because that is what numpy vectorises well; this module turns them into
the typed columns both writers share.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from support_kpis.contract import TABLES, ColumnType

TIMESTAMP = pa.timestamp("s", tz="UTC")

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    "string": pa.string(),
    "enum": pa.string(),
    "time": pa.string(),
    "timestamp": TIMESTAMP,
    "date": pa.date32(),
    "month": pa.date32(),
    "boolean": pa.bool_(),
    "integer": pa.int64(),
    "number": pa.float64(),
}


def schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in TABLES[table].columns])


def build_table(table: str, columns: dict[str, pa.Array]) -> pa.Table:
    """The contract's columns, in its order; a missing or extra column is a generator bug."""
    expected = TABLES[table].column_names
    if set(columns) != set(expected):
        raise AssertionError(f"{table}: generated columns {sorted(columns)} != contract {sorted(expected)}")
    target = schema(table)
    arrays = [columns[name].cast(target.field(name).type) for name in expected]
    return pa.Table.from_arrays(arrays, schema=target)


def _mask(values: np.ndarray, null: np.ndarray | None) -> np.ndarray | None:
    return None if null is None or not null.any() else null


def ids(prefix: str, index: np.ndarray, width: int) -> pa.Array:
    """`prefix` + zero-padded (index + 1): row 0 gets id 1; a negative index is a null id."""
    index = np.asarray(index, dtype=np.int64)
    null = index < 0
    digits = pc.utf8_lpad(pa.array(np.where(null, 0, index + 1)).cast(pa.string()), width, "0")
    joined = pc.binary_join_element_wise(pa.scalar(prefix), digits, "")
    return pc.if_else(pa.array(null), pa.scalar(None, pa.string()), joined) if null.any() else joined


def id_width(count: int, minimum: int) -> int:
    return max(minimum, len(str(max(count, 1))))


def labels(vocabulary: Sequence[str | None], codes: np.ndarray) -> pa.Array:
    """Strings by index into `vocabulary`; a negative code or a None entry is null."""
    codes = np.asarray(codes, dtype=np.int64)
    table = pa.array(list(vocabulary), type=pa.string())
    return table.take(pa.array(codes, mask=_mask(codes, codes < 0)))


def timestamps(seconds: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(seconds, dtype=np.int64), type=TIMESTAMP, mask=_mask(seconds, null))


def dates(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.date32(), mask=_mask(days, null))


def integers(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64), type=pa.int64(), mask=_mask(values, null))


def numbers(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.float64), type=pa.float64(), mask=_mask(values, null))


def booleans(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=bool), type=pa.bool_(), mask=_mask(values, null))


def strings(values: Sequence[str | None]) -> pa.Array:
    return pa.array(list(values), type=pa.string())
