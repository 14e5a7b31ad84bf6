"""Generate realistic sample helpdesk data: every data table of the contract, deterministic for a seed.

Writes one file per table (tickets.csv, ticket_events.csv, ...) into --out. The same
arguments always give byte-identical files; the date range is fixed, never "today".
Configuration tables (schedules, holidays, KPI targets) ship as dbt seeds and are not
generated, except sla_policies.csv: some sample tickets carry their own SLA targets
(ticket_sla_targets.csv), which would switch the shipped policies off, so the sample
writes the shipped policies as the user's file.

With `--source zendesk` the files are a Zendesk account's tables as the Fivetran connector
lands them (ticket.csv, ticket_comment.csv, ticket_field_history.csv, user.csv, ...),
configuration included, for the Zendesk adapter.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from support_kpis.commands.argument_types import whole_number
from support_kpis.errors import UserError
from support_kpis.progress import say, step
from support_kpis.sample import SampleConfig, generate_sample
from support_kpis.sample.config import DEFAULT_END, DEFAULT_SEED, DEFAULT_TICKETS
from support_kpis.sample.zendesk import generate_zendesk_sample
from support_kpis.settings import sample_data_dir

RANGE_MONTHS = 13  # default range: the 13 calendar months ending with --end's month


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tickets", type=whole_number(1), default=DEFAULT_TICKETS, help="tickets to generate (default %(default)s)"
    )
    parser.add_argument("--seed", type=whole_number(0), default=DEFAULT_SEED, help="random seed (default %(default)s)")
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: $SUPPORT_KPIS_DATA or data/sample)"
    )
    parser.add_argument(
        "--source",
        choices=("contract", "zendesk"),
        default="contract",
        help="shape of the files: the data contract's tables (default) or Zendesk's, as Fivetran lands them",
    )
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format (default csv)")
    parser.add_argument(
        "--start", type=_date, default=None, help=f"first day (default: {RANGE_MONTHS} months before --end's month)"
    )
    parser.add_argument("--end", type=_date, default=None, help=f"last day, inclusive (default {DEFAULT_END})")


def default_start(end: dt.date) -> dt.date:
    """First day of the month RANGE_MONTHS - 1 months before `end`'s month."""
    months = end.year * 12 + end.month - 1 - (RANGE_MONTHS - 1)
    return dt.date(months // 12, months % 12 + 1, 1)


def config_from_args(args: argparse.Namespace) -> SampleConfig:
    end = args.end or DEFAULT_END
    start = args.start or default_start(end)
    if start > end:
        raise UserError(f"--start {start} is after --end {end}")
    return SampleConfig(tickets=args.tickets, seed=args.seed, start=start, end=end)


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    out = Path(args.out) if args.out is not None else sample_data_dir()
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} exists and is not a folder")
    source = getattr(args, "source", "contract")
    generator = generate_zendesk_sample if source == "zendesk" else generate_sample
    with step(
        f"generating {config.tickets:,} {source} tickets, seed {config.seed}, {config.start} to {config.end}, "
        f"{args.format} into {out}"
    ):
        try:
            rows = generator(config, out, args.format)
        except OSError as exc:
            raise UserError(f"cannot write to {out}: {exc.strerror or exc}") from None
    width = max(len(table) for table in rows)
    for table, count in rows.items():
        print(f"{table:<{width}}  {count:>12,}")
    say(f"wrote {len(rows)} {args.format} files to {out}")
    return 0
