"""Load a folder of CSV or Parquet files into the warehouse's raw schema.

Each contract table comes from DIR/<table>.csv or DIR/<table>.parquet. Values are typed by the data contract's
rules; rows that break one are kept in the quarantine schema with the rule they broke. A file that cannot be
read stops the load with one line naming it, and the warehouse stays as it was.

With --source zendesk, DIR holds the Fivetran Zendesk connector's tables (ticket.csv, ticket_comment.parquet, ...),
loaded into schema `zendesk` under their own names; contract files beside them load into raw.* as usual.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from support_kpis.errors import UserError
from support_kpis.loading import LoadReport, load_folder, load_zendesk_folder
from support_kpis.settings import warehouse_path

SOURCES = ("contract", "zendesk")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, metavar="DIR", help="folder holding tickets.csv, ticket_events.csv, ...")
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        metavar="PATH",
        help="DuckDB file to load into (default: $SUPPORT_KPIS_DUCKDB or warehouse/support_kpis.duckdb)",
    )
    parser.add_argument(
        "--source-timezone",
        default=None,
        metavar="TZ",
        help="IANA time zone of timestamps written without an offset (default: UTC)",
    )
    parser.add_argument(
        "--source",
        choices=SOURCES,
        default="contract",
        help="what DIR holds: the data contract's tables (default) or the Fivetran Zendesk connector's tables",
    )


def run(args: argparse.Namespace) -> int:
    warehouse = args.warehouse or warehouse_path()
    if args.source == "zendesk":
        report = _load_zendesk(args.dir, warehouse, args.source_timezone)
    else:
        report = _load_contract(args.dir, warehouse, args.source_timezone)
    print(report.summary())
    return 0


def _load_contract(folder: Path, warehouse: Path, source_timezone: str | None) -> LoadReport:
    return load_folder(folder, warehouse, source_timezone or "UTC")


def _load_zendesk(folder: Path, warehouse: Path, source_timezone: str | None) -> LoadReport:
    if source_timezone is not None:
        raise UserError("--source-timezone does not apply to --source zendesk: the connector writes UTC timestamps")
    return load_zendesk_folder(folder, warehouse)
