"""Run the whole job end to end on the embedded DuckDB: sample data, load, validate, dbt build, headline KPIs.

With --source zendesk the sample is a Zendesk account's tables as the Fivetran connector lands them; they are
loaded with `load --source zendesk`, validated by the Zendesk suites and built with the dbt var source: zendesk.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from support_kpis import settings
from support_kpis.commands.build import build
from support_kpis.extras import SUPERSET, is_installed, require
from support_kpis.headlines import headline_table
from support_kpis.loading import load_folder, load_zendesk_folder
from support_kpis.planning.summary import backtest_summary
from support_kpis.progress import say, step
from support_kpis.sample import SampleConfig, generate_sample
from support_kpis.sample.zendesk import generate_zendesk_sample


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tickets", type=int, default=30_000, help="sample size (default 30000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", type=Path, default=None, help="use this data folder instead of generating a sample")
    parser.add_argument("--warehouse", type=Path, default=None)
    parser.add_argument(
        "--source",
        choices=("contract", "zendesk"),
        default="contract",
        help="the sample's shape: the data contract's tables (default) or the Fivetran Zendesk connector's",
    )
    parser.add_argument(
        "--serve", action="store_true", help="then start a local Superset with the dashboards (Ctrl-C stops it)"
    )


def run(args: argparse.Namespace) -> int:
    if args.serve:
        # Said before minutes of work, not after them.
        require(SUPERSET, "--serve")
    warehouse: Path = args.warehouse or settings.warehouse_path()
    data_dir: Path = args.data or settings.sample_data_dir()
    zendesk = args.source == "zendesk"
    if args.data is None:
        if data_dir.exists():
            shutil.rmtree(data_dir)
        generator = generate_zendesk_sample if zendesk else generate_sample
        shape = "Zendesk" if zendesk else "sample"
        with step(f"generating {args.tickets:,} {shape} tickets into {data_dir}"):
            generator(SampleConfig(tickets=args.tickets, seed=args.seed), data_dir, "csv")
    if zendesk:
        say(load_zendesk_folder(data_dir, warehouse).summary())
    else:
        load_folder(data_dir, warehouse)
    # Great Expectations takes seconds to import: only when the gate runs.
    from support_kpis.validation.gate import ValidationFailed, validate_warehouse

    report = validate_warehouse(warehouse)
    print(report.summary())
    if not report.success:
        raise ValidationFailed(report.failure_line())
    # build() passes source: zendesk itself: the load recorded it in the warehouse.
    published = build(warehouse).path
    say("")
    print(headline_table(published))
    print()
    print(backtest_summary(published))
    print()
    print(f"Raw data:      {data_dir}")
    print(f"Results:       {published}  (kpi_values, kpi_catalog, kpi_scorecard, fct_tickets, kpi_build, ...)")
    print(f"Warehouse:     {warehouse}  (dbt's working copy: raw.*, quarantine.*, staging, intermediate, marts)")
    if args.serve:
        # Superset's libraries are an optional extra: imported only when it is used.
        from support_kpis.superset.publish import serve

        serve(8088, warehouse)
    else:
        print()
        print(_dashboards_line())
    return 0


def _dashboards_line() -> str:
    if not is_installed(SUPERSET):
        return f"Dashboards:    need the optional 'superset' extra: {SUPERSET.install_hint()}"
    from support_kpis.superset.publish import serve_instructions

    return serve_instructions()
