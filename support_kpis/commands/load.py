"""Load a folder of CSV or Parquet files into the warehouse's raw schema.

Each contract table comes from DIR/<table>.csv or DIR/<table>.parquet. Values are typed by the data contract's
rules; rows that break one are kept in the quarantine schema with the rule they broke. A file that cannot be
read stops the load with one line naming it, and the warehouse stays as it was.

With --source zendesk, DIR holds the Fivetran Zendesk connector's tables (ticket.csv, ticket_comment.parquet, ...),
loaded into schema `zendesk` under their own names; contract files beside them load into raw.* as usual.

A flat export (one row per ticket: Freshdesk, Jira Service Management, any help desk's CSV) loads with
`--mapping FILE.yml EXPORT.csv`, or `--source flat DIR` with DIR holding mapping.yml and the export
(docs/flat-exports.md).

With --append, DIR is one batch (any subset of the contract tables) added to the raw tables already loaded: rows
with a new key are added, a later version of a row replaces it, and a batch loaded before changes nothing
(raw.load_batches records every batch). On Postgres the target's raw and quarantine tables are pulled into the
staging file, the batch is appended there, and the result shipped back in one transaction; Spark is rebuilt whole
by every load, so it takes no --append.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from support_kpis.errors import UserError
from support_kpis.flat_exports import command as flat_command
from support_kpis.loading import LoadReport, load_folder, load_zendesk_folder
from support_kpis.settings import warehouse_path
from support_kpis.targets import DUCKDB, SPARK, add_target_argument, require_engine

SOURCES = ("contract", "zendesk", "flat")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dir",
        type=Path,
        metavar="DIR",
        help="folder holding tickets.csv, ticket_events.csv, ... (with --mapping: the export file)",
    )
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
        help="what DIR holds: the data contract's tables (default), the Fivetran Zendesk connector's tables, or "
        "(flat) mapping.yml and a one-row-per-ticket export",
    )
    parser.add_argument(
        "--mapping",
        type=Path,
        default=None,
        metavar="FILE.yml",
        help="load DIR as a flat ticket export (one row per ticket) as this mapping file says",
    )
    parser.add_argument(
        "--append",
        action="store_true",
        help="add DIR as one batch to the tables already loaded (new tickets, later versions, new events...) "
        "instead of replacing them; a batch loaded before is skipped",
    )
    add_target_argument(parser)


def run(args: argparse.Namespace) -> int:
    if args.append:
        _check_append(args)
    if args.target == DUCKDB:
        return _load_into(args, args.warehouse or warehouse_path())
    if args.warehouse is not None:
        raise UserError(f"--warehouse is a DuckDB file: it does not go with --target {args.target}")
    require_engine(args.target)
    from support_kpis.targets.loading import pull_for_append, ship_staged, staging_warehouse

    with staging_warehouse(args.target) as staged:
        if args.append:
            pull_for_append(args.target, staged)
            report = _append_staged(args, staged)
            if report.already_loaded_at is not None:
                return 0  # the batch changed nothing: the target is not touched
        else:
            _load_into(args, staged)
        ship_staged(args.target, staged)
    return 0


def _check_append(args: argparse.Namespace) -> None:
    if args.target == SPARK:
        raise UserError(
            "--append does not go with --target spark: every Spark load rebuilds its tables whole; "
            "load all the batches' files together without --append"
        )
    if args.mapping is not None or args.source != "contract":
        source = "--mapping" if args.mapping is not None else f"--source {args.source}"
        raise UserError(f"--append adds contract-table batches only: {source} is not supported with it yet")


def _append_staged(args: argparse.Namespace, staged: Path) -> LoadReport:
    """The DuckDB append on the staging file holding the target's tables; what it says names the target."""
    from support_kpis.targets.postgres import Connection

    where = f"Postgres at {Connection.from_environment().describe()}"
    try:
        report = _load_contract(args.dir, staged, args.source_timezone, append=True)
    except UserError as exc:
        # The loader's refusal to append names the warehouse: here that is the target, not the throwaway file.
        refusal = f"cannot append to {staged}"
        if not str(exc).startswith(refusal):
            raise
        raise UserError(str(exc).replace(refusal, f"cannot append to {where}")) from None
    print(report.summary().replace(str(staged), where))
    return report


def _load_into(args: argparse.Namespace, warehouse: Path) -> int:
    if args.mapping is not None or args.source == "flat":
        return _run_flat(args, warehouse)
    if args.source == "zendesk":
        report = _load_zendesk(args.dir, warehouse, args.source_timezone)
    else:
        report = _load_contract(args.dir, warehouse, args.source_timezone, args.append)
    print(report.summary())
    return 0


def _load_contract(folder: Path, warehouse: Path, source_timezone: str | None, append: bool) -> LoadReport:
    return load_folder(folder, warehouse, source_timezone or "UTC", append=append)


def _load_zendesk(folder: Path, warehouse: Path, source_timezone: str | None) -> LoadReport:
    if source_timezone is not None:
        raise UserError("--source-timezone does not apply to --source zendesk: the connector writes UTC timestamps")
    return load_zendesk_folder(folder, warehouse)


def _run_flat(args: argparse.Namespace, warehouse: Path) -> int:
    if args.source == "zendesk":
        raise UserError("--mapping loads a flat export: it does not go with --source zendesk")
    if args.mapping is not None:
        mapping, export = args.mapping, args.dir
    else:
        mapping, export = flat_command.find_in_folder(args.dir)
    report = flat_command.load(mapping, export, warehouse, args.source_timezone or "UTC")
    print(report.summary())
    return 0
