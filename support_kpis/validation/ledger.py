"""After the run: what quarantine.<table> holds, per rule, and whether every row read is accounted for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from support_kpis.loading.layout import LOADED_AT
from support_kpis.loading.registry import CONTRACT, Registry
from support_kpis.loading.sql import qualified, table_exists
from support_kpis.settings import QUARANTINE_SCHEMA
from support_kpis.validation.outcome import batch_label
from support_kpis.validation.queries import fetch_int, fetch_one
from support_kpis.validation.values import SHOWN_CHARS

EXAMPLES = 3


@dataclass(frozen=True)
class QuarantineExample:
    source_file: str | None
    source_row: int | None
    message: str
    loaded_at: datetime | None = None  # set when the warehouse holds several batches, whose file rows repeat

    def text(self) -> str:
        message = self.message.replace("\n", " ")
        cut = message[: 2 * SHOWN_CHARS] + ("..." if len(message) > 2 * SHOWN_CHARS else "")
        return f"{self.source_file or '?'} row {self.source_row}{batch_label(self.loaded_at)}: {cut}"

    def to_json(self) -> dict[str, Any]:
        batch = {} if self.loaded_at is None else {LOADED_AT: self.loaded_at.isoformat(sep=" ")}
        return {"_source_file": self.source_file, "_source_row": self.source_row, **batch, "message": self.message}


@dataclass(frozen=True)
class QuarantinedRule:
    rule: str
    rows: int
    examples: tuple[QuarantineExample, ...]


@dataclass(frozen=True)
class Reconciliation:
    """raw.table_inventory's counts next to the rows actually in raw and quarantine."""

    present: bool  # the loader found a file for the table
    rows_read: int
    rows_clean: int  # rows in raw.<table> now
    rows_quarantined: int  # rows in quarantine.<table> now
    rows_duplicate_exact: int
    rows_superseded: int
    inventory_loaded: int
    inventory_quarantined: int

    @property
    def reconciles(self) -> bool:
        accounted = self.rows_clean + self.rows_quarantined + self.rows_duplicate_exact + self.rows_superseded
        return (
            self.rows_read == accounted
            and self.inventory_loaded == self.rows_clean
            and self.inventory_quarantined == self.rows_quarantined
        )

    def text(self) -> str:
        if not self.present and self.reconciles:
            return "no file (optional table)"
        parts = [f"{self.rows_clean:,} clean", f"{self.rows_quarantined:,} quarantined"]
        duplicates = self.rows_duplicate_exact + self.rows_superseded
        if duplicates:
            parts.append(f"{duplicates:,} duplicates")
        verdict = "reconciled" if self.reconciles else "DOES NOT RECONCILE"
        return f"{self.rows_read:,} read = {' + '.join(parts)}: {verdict}"

    def to_json(self) -> dict[str, Any]:
        return {
            "present": self.present,
            "rows_read": self.rows_read,
            "rows_clean": self.rows_clean,
            "rows_quarantined": self.rows_quarantined,
            "rows_duplicate_exact": self.rows_duplicate_exact,
            "rows_superseded": self.rows_superseded,
            "reconciles": self.reconciles,
        }


def quarantined_rules(
    con: duckdb.DuckDBPyConnection, table: str, registry: Registry = CONTRACT, *, name_batches: bool = False
) -> tuple[QuarantinedRule, ...]:
    """What quarantine holds per rule, with examples (named by batch too when `name_batches`)."""
    name = registry.quarantine_table(table)
    if not table_exists(con, QUARANTINE_SCHEMA, name):
        return ()
    quarantine = qualified(QUARANTINE_SCHEMA, name)
    counts = con.execute(
        f"SELECT rule, count(*) FROM (SELECT unnest(string_split(_rules, '; ')) AS rule FROM {quarantine}) "
        "GROUP BY rule ORDER BY rule"
    ).fetchall()
    rules = []
    for rule, rows in counts:
        batch = LOADED_AT if name_batches else "CAST(NULL AS TIMESTAMP)"
        examples = con.execute(
            f"SELECT _source_file, _source_row, _message, {batch} FROM {quarantine} "
            f"WHERE list_contains(string_split(_rules, '; '), ?) ORDER BY _source_file, _source_row, {batch} LIMIT ?",
            [rule, EXAMPLES],
        ).fetchall()
        found = tuple(QuarantineExample(f, r, str(m or rule), b) for f, r, m, b in examples)
        rules.append(QuarantinedRule(str(rule), int(rows), found))
    return tuple(rules)


def reconcile(con: duckdb.DuckDBPyConnection, table: str, registry: Registry = CONTRACT) -> Reconciliation | None:
    """None when the warehouse has no inventory row for the table (it was not written by the loader)."""
    schema, inventory = registry.schema, registry.inventory_table
    if not table_exists(con, schema, inventory) or not table_exists(con, schema, table):
        return None
    row = fetch_one(
        con,
        "SELECT is_present, rows_read, rows_loaded, rows_quarantined, rows_duplicate_exact, rows_superseded "
        f"FROM {qualified(schema, inventory)} WHERE table_name = ?",
        [table],
    )
    if row is None:
        return None
    quarantine = qualified(QUARANTINE_SCHEMA, registry.quarantine_table(table))
    has_quarantine = table_exists(con, QUARANTINE_SCHEMA, registry.quarantine_table(table))
    quarantined = fetch_int(con, f"SELECT count(*) FROM {quarantine}") if has_quarantine else 0
    read, loaded, inventory_quarantined, exact, superseded = (int(v or 0) for v in row[1:])
    return Reconciliation(
        present=bool(row[0]),
        rows_read=read,
        rows_clean=fetch_int(con, f"SELECT count(*) FROM {qualified(schema, table)}"),
        rows_quarantined=quarantined,
        rows_duplicate_exact=exact,
        rows_superseded=superseded,
        inventory_loaded=loaded,
        inventory_quarantined=inventory_quarantined,
    )


def source_file(con: duckdb.DuckDBPyConnection, table: str, registry: Registry = CONTRACT) -> str | None:
    if not table_exists(con, registry.schema, registry.inventory_table):
        return None
    row = fetch_one(
        con,
        f"SELECT source_file FROM {qualified(registry.schema, registry.inventory_table)} WHERE table_name = ?",
        [table],
    )
    return str(row[0]) if row and row[0] else None


def rows_left_out(con: duckdb.DuckDBPyConnection, table: str, registry: Registry = CONTRACT) -> int:
    """Valid rows the adapter leaves out, as the loader counted them (0 for the contract: no such column)."""
    inventory = qualified(registry.schema, registry.inventory_table)
    if not table_exists(con, registry.schema, registry.inventory_table):
        return 0
    columns = {str(c) for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE {inventory})").fetchall()}
    if "rows_left_out" not in columns:
        return 0
    row = fetch_one(con, f"SELECT rows_left_out FROM {inventory} WHERE table_name = ?", [table])
    return int(row[0] or 0) if row else 0
