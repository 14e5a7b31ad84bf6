"""Moving rows that break a rule from raw.<table> to quarantine.<table> (or a registry's own schema and names).

The loader quarantines what it can see while typing a file. Later checks (Great Expectations suites, reference
checks) call `move_to_quarantine` with a SQL predicate over the raw table to do the same for their rules.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN
from support_kpis.loading.layout import LOADED_AT, MESSAGE, RULES, SET_ASIDE_AT, add_set_aside_at_sql
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
    set_aside_at: datetime | None = None,
) -> int:
    """Move the rows of raw.`table` matching the SQL `predicate` to quarantine.`table`; return how many moved.

    `rule` goes to `_rules` (e.g. 'orphan_event'); the row's `_message` is `message_sql` (an SQL expression over
    the raw row) or else the literal `message` (default: the rule). Values are stored as text, timestamps as their
    UTC form. `set_aside_at` (naive UTC) fills `_set_aside_at`, which the quarantine table gains if it lacks it.
    The inventory's rows_loaded/rows_quarantined follow, so its counts still add up. Runs in its own
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
    names = [*(ident(c) for c in contract.column_names), origin, ident(RULES), ident(MESSAGE)]
    values = [*text_columns, origin, literal(rule), f"CAST({message_expression} AS VARCHAR)"]
    with transaction(con):
        if set_aside_at is not None:
            con.execute(add_set_aside_at_sql(quarantine))
            names.append(ident(SET_ASIDE_AT))
            values.append(f"CAST({literal(set_aside_at.isoformat(sep=' '))} AS TIMESTAMP)")
        # Rows are picked by rowid, stable inside the transaction: after appended batches a source row number
        # (and a file name) repeats across batches, so it no longer names one row.
        con.execute(f"CREATE OR REPLACE TEMP TABLE {moving} AS SELECT rowid AS __rowid FROM {raw} WHERE ({predicate})")
        con.execute(
            f"INSERT INTO {quarantine} ({', '.join(names)}) SELECT {', '.join(values)} "
            f"FROM {raw} WHERE rowid IN (SELECT __rowid FROM {moving})"
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
