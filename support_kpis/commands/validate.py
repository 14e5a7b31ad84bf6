"""Validate raw data with Great Expectations: bad rows to quarantine, broken tables stop the run.

Checks the loaded warehouse's raw tables (default), or with --data DIR a folder of files, loaded by the real loader
into a temporary warehouse (yours is not touched). Each contract table has a suite in expectations/; after a
`load --source zendesk` (recorded in the warehouse), the Zendesk tables are checked by expectations/zendesk/ and
the contract files loaded beside them by theirs. Rows breaking an
error-level row rule are moved to quarantine.<table> with the rules they broke; warnings are only reported. Prints a
summary per table and rule, and writes Great Expectations Data Docs (HTML) and result.json under --report-dir.

Exit code: 0 the data passed (warnings allowed, bad rows set aside), 1 it failed the gate (a missing required table
or column, an empty required table, a bad configuration row, an unreadable file; with --fail-on-quarantine also any
row in quarantine), 2 a usage or set-up problem.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from support_kpis.commands.argument_types import whole_number
from support_kpis.errors import UserError
from support_kpis.instants import parse_instant
from support_kpis.settings import warehouse_path
from support_kpis.targets import DUCKDB, SPARK, add_target_argument, require_engine
from support_kpis.validation.options import (
    DEFAULT_BATCH_ROWS,
    DEFAULT_EVENT_TOLERANCE_MINUTES,
    DEFAULT_FRESHNESS_DAYS,
    ValidationOptions,
    default_report_dir,
)


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text}")
    return value


def _instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        metavar="PATH",
        help="DuckDB warehouse to check (default: $SUPPORT_KPIS_DUCKDB or warehouse/support_kpis.duckdb)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="check this folder of files before loading it (loaded into a temporary warehouse)",
    )
    parser.add_argument(
        "--source-timezone",
        default=None,
        metavar="TZ",
        help="with --data: IANA time zone of timestamps written without an offset (default: UTC)",
    )
    parser.add_argument(
        "--source",
        choices=("contract", "zendesk"),
        default=None,
        help="with --data: what the folder holds (default contract); a warehouse is checked as its last load was",
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"where data_docs/ and result.json go (default: {default_report_dir()})",
    )
    parser.add_argument(
        "--fail-on-quarantine",
        action="store_true",
        help="exit 1 when any row is in quarantine (for CI on data that must be clean, such as the sample)",
    )
    parser.add_argument(
        "--no-quarantine",
        action="store_true",
        help="report only: leave rows that break a rule where they are",
    )
    parser.add_argument(
        "--event-tolerance-minutes",
        type=_positive_number,
        default=DEFAULT_EVENT_TOLERANCE_MINUTES,
        metavar="N",
        help="how much earlier than its ticket's created_at an event may be (default: %(default)s)",
    )
    parser.add_argument(
        "--freshness-days",
        type=_positive_number,
        default=DEFAULT_FRESHNESS_DAYS,
        metavar="N",
        help="warn when the latest event is older than this many days (default: %(default)s)",
    )
    parser.add_argument(
        "--as-of",
        type=_instant,
        default=None,
        metavar="TIME",
        help="reference time for freshness, ISO 8601 (default: now)",
    )
    parser.add_argument(
        "--batch-rows",
        type=whole_number(1_000),
        default=DEFAULT_BATCH_ROWS,
        metavar="N",
        help="rows handed to Great Expectations at once; bounds memory (default: %(default)s)",
    )
    add_target_argument(parser)


def run(args: argparse.Namespace) -> int:
    if args.data is not None and args.warehouse is not None:
        raise UserError("use --data DIR or --warehouse PATH, not both")
    # Great Expectations takes seconds to import: only when a validation really runs.
    from support_kpis.validation.gate import ValidationFailed, validate_folder, validate_warehouse

    options = ValidationOptions(
        report_dir=(args.report_dir or default_report_dir()).resolve(),
        event_tolerance_minutes=args.event_tolerance_minutes,
        freshness_days=args.freshness_days,
        as_of=args.as_of,
        batch_rows=args.batch_rows,
        quarantine=not args.no_quarantine,
        fail_on_quarantine=args.fail_on_quarantine,
    )
    if args.target != DUCKDB:
        return _run_in_warehouse(args, options)
    if args.data is not None:
        if args.source == "zendesk" and args.source_timezone is not None:
            raise UserError("--source-timezone does not apply to --source zendesk: the connector writes UTC timestamps")
        report = validate_folder(args.data, options, args.source_timezone or "UTC", args.source or "contract")
    else:
        if args.source is not None:
            raise UserError("--source goes with --data DIR; a warehouse is validated as its last load was")
        report = validate_warehouse(args.warehouse or warehouse_path(), options)
    print(report.summary())
    if not report.success:
        raise ValidationFailed(report.failure_line())
    return 0


def _run_in_warehouse(args: argparse.Namespace, options: ValidationOptions) -> int:
    """Postgres: the suites computed by Postgres through Great Expectations' SQL datasource."""
    if args.data is not None or args.warehouse is not None:
        raise UserError(f"--data and --warehouse are DuckDB's: they do not go with --target {args.target}")
    if args.target == SPARK:
        raise UserError(
            "on Spark the gate runs inside `support-kpis load DIR --target spark`, on the staged tables before they "
            "are shipped: there is nothing to validate afterwards"
        )
    require_engine(args.target)
    from support_kpis.validation.gate import ValidationFailed
    from support_kpis.validation.postgres_gate import validate_postgres

    report = validate_postgres(options)
    print(report.summary())
    if not report.success:
        raise ValidationFailed(report.failure_line())
    return 0
