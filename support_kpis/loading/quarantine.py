"""Moving rows that break a rule from raw.<table> to quarantine.<table> (or a registry's own schema and names).

The loader quarantines what it can see while typing a file. Later checks (Great Expectations suites, reference
checks) call `move_to_quarantine` with a SQL predicate over the raw table to do the same for their rules.
"""

from __future__ import annotations

import duckdb

from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN
from support_kpis.loading.layout import LOADED_AT, MESSAGE, RULES
from support_kpis.loading.registry import CONTRACT, Registry
from support_kpis.loading.sql import ident, literal, qualified
from support_kpis.loading.transaction import transaction
from support_kpis.settings import QUARANTINE_SCHEMA


def move_to_quarantine(
    con: duckdb.DuckDBPyConnection,
    table: str,
    predicate: str,
    rule: str,
    message: str | None = None,
    *,
    message_sql: str | None = None,
    catalog: str | None = None,
    registry: Registry = CONTRACT,
) -> int:
    """Move the rows of raw.`table` matching the SQL `predicate` to quarantine.`table`; return how many moved.

    `rule` goes to `_rules` (e.g. 'orphan_event'); the row's `_message` is `message_sql` (an SQL expression over
    the raw row) or else the literal `message` (default: the rule). Values are stored as text, timestamps as their
    UTC form. The inventory's rows_loaded/rows_quarantined follow, so its counts still add up. Runs in its own
    transaction: all of it happens or none.
    """
    contract = registry.tables[table]
    raw = qualified(registry.schema, table, catalog)
    quarantine = qualified(QUARANTINE_SCHEMA, registry.quarantine_table(table), catalog)
    inventory = qualified(registry.schema, registry.inventory_table, catalog)
    origin = ", ".join(ident(c) for c in (SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN, LOADED_AT))
    text_columns = [f"CAST({ident(c)} AS VARCHAR)" for c in contract.column_names]
    message_expression = message_sql or literal(message or rule)
    moving = ident(f"__moving_{table}")
    with transaction(con):
        # Rows are picked by rowid, stable inside the transaction: after appended batches a source row number
        # (and a file name) repeats across batches, so it no longer names one row.
        con.execute(f"CREATE OR REPLACE TEMP TABLE {moving} AS SELECT rowid AS __rowid FROM {raw} WHERE ({predicate})")
        con.execute(
            f"INSERT INTO {quarantine} ({', '.join(ident(c) for c in contract.column_names)}, "
            f"{origin}, {ident(RULES)}, {ident(MESSAGE)}) "
            f"SELECT {', '.join(text_columns)}, {origin}, {literal(rule)}, "
            f"CAST({message_expression} AS VARCHAR) FROM {raw} WHERE rowid IN (SELECT __rowid FROM {moving})"
        )
        con.execute(f"DELETE FROM {raw} WHERE rowid IN (SELECT __rowid FROM {moving})")
        result = con.execute(f"SELECT count(*) FROM {moving}").fetchone()
        moved = int(result[0]) if result else 0
        con.execute(
            f"UPDATE {inventory} SET rows_loaded = rows_loaded - ?, rows_quarantined = rows_quarantined + ? "
            "WHERE table_name = ?",
            [moved, moved, table],
        )
        con.execute(f"DROP TABLE {moving}")
    return moved
