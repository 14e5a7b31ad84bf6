"""Load a folder of CSV or Parquet files into the warehouse's raw schema.

Each contract table comes from DIR/<table>.csv or DIR/<table>.parquet. Values are typed by the data contract's
rules; rows that break one are kept in the quarantine schema with the rule they broke. A file that cannot be
read stops the load with one line naming it, and the warehouse stays as it was.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from support_kpis.loading import load_folder
from support_kpis.settings import warehouse_path


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
        default="UTC",
        metavar="TZ",
        help="IANA time zone of timestamps written without an offset (default: UTC)",
    )


def run(args: argparse.Namespace) -> int:
    report = load_folder(args.dir, args.warehouse or warehouse_path(), args.source_timezone)
    print(report.summary())
    return 0
