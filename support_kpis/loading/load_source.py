"""Which source the warehouse's last load was: `contract` or an adapter's (`zendesk`, `flat`).

Every load writes raw.table_inventory; a Zendesk load also writes zendesk.table_inventory with the same
`loaded_at`. So the last load was a Zendesk one exactly when both inventories exist and their `loaded_at` agree: a
contract load afterwards rewrites raw.table_inventory only, and the older Zendesk inventory no longer matches. A flat
export's load (support_kpis/flat_exports) writes flat.export_load the same way.
`support-kpis build` passes the source on as the dbt var `source`, and `support-kpis validate` runs the matching
suites, so the user does not repeat it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from support_kpis.loading.registry import CONTRACT, ZENDESK
from support_kpis.loading.sql import qualified, table_exists

# Written by support_kpis/flat_exports/loader.py (FLAT_SCHEMA, LOAD_TABLE) with raw.table_inventory's loaded_at.
FLAT_SOURCE, FLAT_SCHEMA, FLAT_LOAD_TABLE = "flat", "flat", "export_load"


def loaded_source_of(con: duckdb.DuckDBPyConnection) -> str:
    if table_exists(con, CONTRACT.schema, CONTRACT.inventory_table) and table_exists(con, FLAT_SCHEMA, FLAT_LOAD_TABLE):
        row = con.execute(
            f"SELECT (SELECT max(loaded_at) FROM {qualified(CONTRACT.schema, CONTRACT.inventory_table)}) "
            f"= (SELECT max(loaded_at) FROM {qualified(FLAT_SCHEMA, FLAT_LOAD_TABLE)})"
        ).fetchone()
        if row and row[0]:
            return FLAT_SOURCE
    if not (
        table_exists(con, CONTRACT.schema, CONTRACT.inventory_table)
        and table_exists(con, ZENDESK.schema, ZENDESK.inventory_table)
    ):
        return CONTRACT.source
    row = con.execute(
        f"SELECT (SELECT max(loaded_at) FROM {qualified(CONTRACT.schema, CONTRACT.inventory_table)}) "
        f"= (SELECT max(loaded_at) FROM {qualified(ZENDESK.schema, ZENDESK.inventory_table)})"
    ).fetchone()
    return ZENDESK.source if row and row[0] else CONTRACT.source


def loaded_source(warehouse: Path) -> str:
    """The last load's source; `contract` for a warehouse that does not exist or cannot be read."""
    if not Path(warehouse).exists():
        return CONTRACT.source
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return loaded_source_of(con)
    except duckdb.Error:
        return CONTRACT.source
