"""ledger.py and frames.describe for a Postgres warehouse: what raw and quarantine hold, read with SQL only.

Results are the same dataclasses the DuckDB gate fills, so the report is built and printed by the same code.
Rules and files are ordered by their bytes (COLLATE "C"), as DuckDB orders them, so examples are the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from support_kpis.loading.layout import LOADED_AT
from support_kpis.loading.registry import CONTRACT, Registry
from support_kpis.loading.sql import qualified
from support_kpis.settings import QUARANTINE_SCHEMA
from support_kpis.targets.postgres import DUCKDB_TYPES
from support_kpis.validation.frames import RawTable
from support_kpis.validation.ledger import EXAMPLES, QuarantinedRule, QuarantineExample, Reconciliation


def rows(pg: Any, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with pg.cursor() as cur:
        cur.execute(sql, list(parameters))
        return list(cur.fetchall())


def scalar(pg: Any, sql: str, parameters: Sequence[Any] = ()) -> Any:
    found = rows(pg, sql, parameters)
    return found[0][0] if found else None


def table_exists(pg: Any, schema: str, table: str) -> bool:
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s AND table_name = %s"
    return bool(scalar(pg, sql, [schema, table]))


def describe(pg: Any, table: str, registry: Registry = CONTRACT) -> RawTable:
    described = rows(
        pg,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
        [registry.schema, table],
    )
    if not described:
        return RawTable(table, False, {}, 0, registry)
    count = int(scalar(pg, f"SELECT count(*) FROM {qualified(registry.schema, table)}") or 0)
    columns = {str(n): DUCKDB_TYPES.get(str(t), str(t).upper()) for n, t in described}
    return RawTable(table, True, columns, count, registry)


def holds_several_batches(pg: Any, checked: list[tuple[Registry, str]]) -> bool:
    """gate.holds_several_batches on Postgres: raw or quarantine rows of the checked tables come from more than one
    batch (`load --append --target postgres`), so the reports name each row's batch as well as its file and row."""
    loaded: set[object] = set()
    for registry, name in checked:
        for schema, table in ((registry.schema, name), (QUARANTINE_SCHEMA, registry.quarantine_table(name))):
            if not has_column(pg, schema, table, LOADED_AT):
                continue
            found = rows(pg, f"SELECT DISTINCT _loaded_at FROM {qualified(schema, table)} WHERE _loaded_at IS NOT NULL")
            loaded |= {value for (value,) in found}
            if len(loaded) > 1:
                return True
    return False


def has_column(pg: Any, schema: str, table: str, column: str) -> bool:
    sql = (
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s AND column_name = %s"
    )
    return bool(scalar(pg, sql, [schema, table, column]))


def quarantined_rules(
    pg: Any, table: str, registry: Registry = CONTRACT, *, name_batches: bool = False
) -> tuple[QuarantinedRule, ...]:
    """What quarantine holds per rule, with examples (named by batch too when `name_batches`), as ledger.py's."""
    name = registry.quarantine_table(table)
    if not table_exists(pg, QUARANTINE_SCHEMA, name):
        return ()
    quarantine = qualified(QUARANTINE_SCHEMA, name)
    counts = rows(
        pg,
        f"SELECT rule, count(*) FROM (SELECT unnest(string_to_array(_rules, '; ')) AS rule FROM {quarantine}) AS r "
        'GROUP BY rule ORDER BY rule COLLATE "C"',
    )
    batch = "_loaded_at" if name_batches else "CAST(NULL AS timestamp)"
    found = []
    for rule, count in counts:
        examples = rows(
            pg,
            f"SELECT _source_file, _source_row, _message, {batch} FROM {quarantine} "
            "WHERE %s = ANY(string_to_array(_rules, '; ')) "
            f'ORDER BY _source_file COLLATE "C" NULLS LAST, _source_row NULLS LAST, {batch} NULLS LAST LIMIT %s',
            [rule, EXAMPLES],
        )
        found.append(
            QuarantinedRule(
                str(rule), int(count), tuple(QuarantineExample(f, r, str(m or rule), b) for f, r, m, b in examples)
            )
        )
    return tuple(found)


def reconcile(pg: Any, table: str, registry: Registry = CONTRACT) -> Reconciliation | None:
    schema, inventory = registry.schema, registry.inventory_table
    if not table_exists(pg, schema, inventory) or not table_exists(pg, schema, table):
        return None
    found = rows(
        pg,
        "SELECT is_present, rows_read, rows_loaded, rows_quarantined, rows_duplicate_exact, rows_superseded "
        f"FROM {qualified(schema, inventory)} WHERE table_name = %s",
        [table],
    )
    if not found:
        return None
    row = found[0]
    name = registry.quarantine_table(table)
    quarantined = 0
    if table_exists(pg, QUARANTINE_SCHEMA, name):
        quarantined = int(scalar(pg, f"SELECT count(*) FROM {qualified(QUARANTINE_SCHEMA, name)}") or 0)
    read, loaded, inventory_quarantined, exact, superseded = (int(v or 0) for v in row[1:])
    return Reconciliation(
        present=bool(row[0]),
        rows_read=read,
        rows_clean=int(scalar(pg, f"SELECT count(*) FROM {qualified(schema, table)}") or 0),
        rows_quarantined=quarantined,
        rows_duplicate_exact=exact,
        rows_superseded=superseded,
        inventory_loaded=loaded,
        inventory_quarantined=inventory_quarantined,
    )


def source_file(pg: Any, table: str, registry: Registry = CONTRACT) -> str | None:
    if not table_exists(pg, registry.schema, registry.inventory_table):
        return None
    value = scalar(
        pg,
        f"SELECT source_file FROM {qualified(registry.schema, registry.inventory_table)} WHERE table_name = %s",
        [table],
    )
    return str(value) if value else None
