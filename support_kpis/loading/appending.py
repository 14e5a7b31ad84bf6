"""Appending a batch: how the batch's rows meet the rows already in raw, decided before the write transaction.

A batch row whose key is not in raw yet is added. One whose key is there meets that row as a later read of the
same file would: an exact copy (every contract column equal) is dropped as a duplicate; otherwise the latest
version wins (`updated_at`, a null version losing to any dated one), ties and tables without a version going to
the batch, read last. So appending batches one by one leaves raw as one load of the batches concatenated would.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from support_kpis.contract import Table
from support_kpis.loading.checking import ROW_COLUMN, RULES_COLUMN, CheckedTable
from support_kpis.loading.dedup import DUPLICATE_EXACT, SUPERSEDED, Duplicates
from support_kpis.loading.sql import ident, qualified

REPLACES = "replaces"


@dataclass(frozen=True)
class Against:
    """The batch's clean rows whose key raw already holds: table of (_row, fate), and the count of each fate."""

    fates_table: str
    exact: int = 0  # dropped: raw holds the same row
    superseded: int = 0  # dropped: raw holds a later version
    replaces: int = 0  # kept: the raw row of its key goes


def compare_with_raw(
    con: duckdb.DuckDBPyConnection, catalog: str, schema: str, checked: CheckedTable, duplicates: Duplicates
) -> Against:
    table = checked.table
    raw = qualified(schema, table.name, catalog)
    fates = f"{checked.name}__against_raw"
    on_keys = " AND ".join(f"s.{ident(c)} = r.{ident(c)}" for c in table.primary_key)
    same = " AND ".join(f"s.{ident(c)} IS NOT DISTINCT FROM r.{ident(c)}" for c in table.column_names)
    clean = f"s.{RULES_COLUMN} IS NULL"
    if duplicates.dropped_table:
        clean += f" AND s.{ROW_COLUMN} NOT IN (SELECT _row FROM {ident(duplicates.dropped_table)})"
    con.execute(
        f"""CREATE OR REPLACE TABLE {ident(fates)} AS
        SELECT s.{ROW_COLUMN} AS _row,
            CASE WHEN {same} THEN '{DUPLICATE_EXACT}' WHEN {_batch_wins(table)} THEN '{REPLACES}'
            ELSE '{SUPERSEDED}' END AS fate
        FROM {ident(checked.name)} AS s JOIN {raw} AS r ON {on_keys}
        WHERE {clean}"""
    )
    counts = dict(con.execute(f"SELECT fate, count(*) FROM {ident(fates)} GROUP BY fate").fetchall())
    return Against(
        fates, int(counts.get(DUPLICATE_EXACT, 0)), int(counts.get(SUPERSEDED, 0)), int(counts.get(REPLACES, 0))
    )


def _batch_wins(table: Table) -> str:
    if table.version_column is None:
        return "true"  # the batch is read after everything in raw
    version = ident(table.version_column)
    # As in the load of one file: latest version first, a null version last, a tie to the row read last.
    return f"r.{version} IS NULL OR (s.{version} IS NOT NULL AND s.{version} >= r.{version})"
