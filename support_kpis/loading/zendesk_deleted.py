"""Deleted Zendesk tickets: valid data that the adapter leaves out, so counted and reported, never quarantined.

A ticket whose current `status` is `deleted`, or that the connector flags `_fivetran_deleted`, stays in
zendesk.ticket (a Fivetran warehouse has it too); the dbt adapter leaves it out with its comments, field history
and schedule rows. zendesk.table_inventory.rows_left_out says how many rows of each table that is.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb

from support_kpis.loading.registry import ZENDESK
from support_kpis.loading.report import TableLoad
from support_kpis.loading.sql import qualified

# Tables whose rows belong to a ticket through `ticket_id`.
TICKET_CHILDREN = ("ticket_comment", "ticket_field_history", "ticket_schedule", "ticket_tag")

STATUS_DELETED = "status = 'deleted'"
FIVETRAN_DELETED = "coalesce(_fivetran_deleted, false)"


def deleted_ticket_ids_sql(catalog: str | None = None) -> str:
    ticket = qualified(ZENDESK.schema, "ticket", catalog)
    return f"SELECT id FROM {ticket} WHERE {STATUS_DELETED} OR {FIVETRAN_DELETED}"


def count_left_out(con: duckdb.DuckDBPyConnection, catalog: str | None, loads: list[TableLoad]) -> dict[str, TableLoad]:
    """The loads of the ticket tables with their left-out counts, also written to zendesk.table_inventory."""
    by_table = {load.table: load for load in loads}
    ticket = by_table.get("ticket")
    if ticket is None or not ticket.is_present:
        return {}
    row = con.execute(
        f"SELECT count(*) FILTER ({STATUS_DELETED}), count(*) FILTER (NOT ({STATUS_DELETED}) AND {FIVETRAN_DELETED}) "
        f"FROM {qualified(ZENDESK.schema, 'ticket', catalog)}"
    ).fetchone()
    status_deleted, fivetran_deleted = (int(v) for v in row) if row else (0, 0)
    counted = {
        "ticket": replace(
            ticket,
            rows_left_out=status_deleted + fivetran_deleted,
            left_out_detail=f"status deleted {status_deleted:,}, _fivetran_deleted {fivetran_deleted:,}",
        )
    }
    deleted = deleted_ticket_ids_sql(catalog)
    for name in TICKET_CHILDREN:
        load = by_table.get(name)
        if load is None or not load.is_present:
            continue
        (rows,) = con.execute(
            f"SELECT count(*) FROM {qualified(ZENDESK.schema, name, catalog)} WHERE ticket_id IN ({deleted})"
        ).fetchone() or (0,)
        counted[name] = replace(load, rows_left_out=int(rows), left_out_detail="of deleted tickets")
    inventory = qualified(ZENDESK.schema, ZENDESK.inventory_table, catalog)
    for load in counted.values():
        con.execute(f"UPDATE {inventory} SET rows_left_out = ? WHERE table_name = ?", [load.rows_left_out, load.table])
    return counted
