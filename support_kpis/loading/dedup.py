"""Duplicate rows: exact copies are dropped, and of the rows sharing a primary key only the latest version stays.

Only rows that passed the type rules take part; the work is confined to keys that occur more than once,
so a file without duplicates costs one grouping pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from support_kpis.loading.checking import ROW_COLUMN, RULES_COLUMN, CheckedTable
from support_kpis.loading.sql import ident

DUPLICATE_EXACT = "duplicate_exact"
SUPERSEDED = "superseded"


@dataclass(frozen=True)
class Duplicates:
    dropped_table: str | None  # table of (row, fate) for every dropped row; None when nothing is dropped
    exact: int = 0
    superseded: int = 0


def resolve_duplicates(con: duckdb.DuckDBPyConnection, checked: CheckedTable) -> Duplicates:
    table = checked.table
    staged = ident(checked.name)
    keys = ", ".join(ident(c) for c in table.primary_key)
    contested_keys = ident(f"{checked.name}__contested_keys")
    con.execute(
        f"""CREATE OR REPLACE TABLE {contested_keys} AS
        SELECT {keys} FROM {staged} WHERE {RULES_COLUMN} IS NULL GROUP BY ALL HAVING count(*) > 1"""
    )
    (contested,) = con.execute(f"SELECT count(*) FROM {contested_keys}").fetchone() or (0,)
    if not contested:
        con.execute(f"DROP TABLE {contested_keys}")
        return Duplicates(None)

    every_column = ", ".join(ident(c) for c in table.column_names)
    # Latest version first; a null version loses to any dated one; ties go to the row read last.
    version = f"{ident(table.version_column)} DESC NULLS LAST, " if table.version_column else ""
    dropped = f"{checked.name}__dropped"
    # Key columns are all required, so rows that passed the rules have non-null keys and the USING join is exact.
    con.execute(
        f"""CREATE OR REPLACE TABLE {ident(dropped)} AS
        WITH contested AS (
            SELECT s.{ROW_COLUMN} AS _row, s.* FROM {staged} AS s SEMI JOIN {contested_keys} USING ({keys})
            WHERE s.{RULES_COLUMN} IS NULL
        ),
        copies AS (
            SELECT _row, {every_column},
                row_number() OVER (PARTITION BY {every_column} ORDER BY _row DESC) AS _copy
            FROM contested
        ),
        versions AS (
            SELECT _row, _copy,
                row_number() OVER (PARTITION BY {keys}, _copy = 1 ORDER BY {version}_row DESC) AS _version
            FROM copies
        )
        SELECT _row, CASE WHEN _copy > 1 THEN '{DUPLICATE_EXACT}' ELSE '{SUPERSEDED}' END AS fate
        FROM versions WHERE _copy > 1 OR _version > 1"""
    )
    con.execute(f"DROP TABLE {contested_keys}")
    counts = dict(con.execute(f"SELECT fate, count(*) FROM {ident(dropped)} GROUP BY fate").fetchall())
    return Duplicates(dropped, int(counts.get(DUPLICATE_EXACT, 0)), int(counts.get(SUPERSEDED, 0)))
