"""Raw tables handed to GX as pandas dataframes, in batches that bound memory.

Rows are split by a hash of the primary key, so rows sharing a key always meet in the same batch and GX's
uniqueness expectations stay exact across batches. Columns unknown to the contract stay in raw and are ignored.

A contract column that no expectation reads (free text such as `body`) is handed over empty, under its own name and
only when raw has it: the suites only check that it exists, and GX copies the whole dataframe for every expectation,
so transferring its text would multiply the run time without informing any rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN, Table
from support_kpis.loading.layout import BOOKKEEPING, LOADED_AT
from support_kpis.loading.registry import CONTRACT, Registry
from support_kpis.loading.sql import ident, qualified
from support_kpis.validation.derived import Derived
from support_kpis.validation.queries import fetch_int

ORIGIN_COLUMNS = (SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN)
_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")


@dataclass(frozen=True)
class RawTable:
    """What raw.<table> looks like in the warehouse."""

    name: str
    exists: bool
    columns: dict[str, str]  # name -> DuckDB type
    rows: int
    registry: Registry = CONTRACT

    @property
    def declared(self) -> Table:
        return self.registry.tables[self.name]

    @property
    def schema(self) -> str:
        return self.registry.schema

    @property
    def contract_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.declared.column_names if c in self.columns)

    @property
    def extra_columns(self) -> tuple[str, ...]:
        known = {*self.declared.column_names, *BOOKKEEPING}  # the loader's bookkeeping is no extra
        return tuple(c for c in self.columns if c not in known)

    @property
    def has_origin(self) -> bool:
        return all(c in self.columns for c in ORIGIN_COLUMNS)


@dataclass(frozen=True)
class Batch:
    number: int  # from 1
    count: int
    frame: pd.DataFrame


def describe(con: duckdb.DuckDBPyConnection, table: str, registry: Registry = CONTRACT) -> RawTable:
    described = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [registry.schema, table],
    ).fetchall()
    if not described:
        return RawTable(table, False, {}, 0, registry)
    rows = fetch_int(con, f"SELECT count(*) FROM {qualified(registry.schema, table)}")
    return RawTable(table, True, {str(n): str(t).upper() for n, t in described}, rows, registry)


def batch_count(raw: RawTable, batch_rows: int) -> int:
    return max(1, math.ceil(raw.rows / batch_rows))


def batches(
    con: duckdb.DuckDBPyConnection, raw: RawTable, derived: Derived, batch_rows: int, columns_read: set[str]
) -> Iterator[Batch]:
    count = batch_count(raw, batch_rows)
    if not raw.exists:
        empty = {c: pd.Series(dtype="object") for c in ORIGIN_COLUMNS}
        yield Batch(1, 1, pd.DataFrame({**empty, LOADED_AT: pd.Series(dtype="datetime64[us]")}))
        return
    read = [c for c in raw.contract_columns if c in columns_read]
    unread = [c for c in raw.contract_columns if c not in columns_read]
    columns = [f"src.{ident(c)}" for c in (*read, *ORIGIN_COLUMNS)]
    # The batch that wrote the row: with its file row it names one raw row (outcome.RowId), even after appends.
    loaded = f"src.{ident(LOADED_AT)}" if LOADED_AT in raw.columns else "CAST(NULL AS TIMESTAMP)"
    columns.append(f"{loaded} AS {ident(LOADED_AT)}")
    sql = (
        f"SELECT {', '.join([*columns, *derived.select])} FROM {qualified(raw.schema, raw.name)} AS src {derived.join}"
    )
    key = [f"src.{ident(c)}" for c in raw.declared.primary_key if c in raw.columns] or [
        f"src.{ident(SOURCE_ROW_COLUMN)}"
    ]
    for number in range(1, count + 1):
        query = sql if count == 1 else f"{sql} WHERE hash({', '.join(key)}) % {count} = {number - 1}"
        frame = _frame(con.sql(query))
        for column in unread:
            frame[column] = _empty_column(len(frame))
        yield Batch(number, count, frame)


def _empty_column(rows: int) -> pd.Categorical:
    # A categorical of nulls costs one byte a row to copy, where text costs a pointer and a reference count.
    return pd.Categorical.from_codes(np.full(rows, -1, dtype=np.int8), categories=[])


def _frame(relation: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """The relation as pandas with one dtype per SQL type, nulls or not (GX checks dtypes exactly)."""
    types = {name: str(type_).upper() for name, type_ in zip(relation.columns, relation.types, strict=True)}
    frame = relation.df()
    for name, type_ in types.items():
        if type_ in _INTEGER_TYPES:
            frame[name] = frame[name].astype("Int64")
        elif type_ == "BOOLEAN":
            frame[name] = frame[name].astype("boolean")
    return frame
