"""Run `dbt build` (models and data tests) on the loaded warehouse, then publish the results readers see.

Readers (Superset, the demo, your queries) read the published file, <warehouse>_published.duckdb, which changes
only when a build succeeds, in one step: during a build, and after a failed or interrupted one, they keep the last
good results.

The dbt var `source` defaults to what the warehouse's last load was (`support-kpis load --source zendesk` makes it
`zendesk`); --vars '{"source": ...}' overrides it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from support_kpis import settings
from support_kpis.dbt_runner import run_dbt
from support_kpis.dbt_vars import parse_vars
from support_kpis.errors import UserError
from support_kpis.loading.load_source import loaded_source
from support_kpis.progress import say, step
from support_kpis.publishing import PublishedBuild, publish_duckdb
from support_kpis.targets import DUCKDB, POSTGRES, add_target_argument, require_engine
from support_kpis.warehouse_files import check_writable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse", type=Path, default=None, help="DuckDB file (default: warehouse/support_kpis.duckdb)"
    )
    parser.add_argument(
        "--vars", default=None, help='dbt vars as JSON, e.g. \'{"reporting_timezone": "Europe/Berlin"}\''
    )
    parser.add_argument("--select", default=None, help="dbt node selection (default: everything)")
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every incremental table from scratch instead of recomputing the tickets changed since the "
        "last build (the result is the same)",
    )
    add_target_argument(parser)


def build(
    warehouse: Path, dbt_vars: dict[str, Any] | None = None, select: str | None = None, *, full_refresh: bool = False
) -> PublishedBuild:
    """dbt build on `warehouse`, then publish it; raises UserError (one line) when either cannot be done."""
    if not warehouse.exists():
        raise UserError(f"{warehouse}: no warehouse yet; run `./run demo`, or `support-kpis load DIR` first")
    check_writable(warehouse)
    dbt_vars = with_loaded_source(warehouse, dbt_vars)
    arguments = build_arguments(select, full_refresh)
    published = settings.published_path(warehouse)
    with step(f"dbt build on {warehouse}"):
        try:
            run = run_dbt(arguments, warehouse=warehouse, dbt_vars=dbt_vars)
        except UserError as exc:
            raise UserError(f"{exc}; {_unchanged(published)}") from None
    if run.selected_nothing:
        raise UserError(
            f"--select {select!r} matches no model, seed or test: nothing was built; {_unchanged(published)}"
        )
    with step(f"publishing to {published}"):
        result = publish_duckdb(warehouse, published)
    say(f"    published build {result.run.run_id} ({len(result.tables)} tables)")
    return result


def build_arguments(select: str | None, full_refresh: bool) -> list[str]:
    return ["build"] + (["--select", select] if select else []) + (["--full-refresh"] if full_refresh else [])


def with_loaded_source(warehouse: Path, dbt_vars: dict[str, Any] | None) -> dict[str, Any] | None:
    """The vars with `source` set to the last load's source, unless they set it (contract needs no var)."""
    if dbt_vars and "source" in dbt_vars:
        return dbt_vars
    source = loaded_source(warehouse)
    if source == "contract":
        return dbt_vars
    say(f"    source: {source} (the last load's; --vars '{{\"source\": ...}}' overrides it)")
    return {**(dbt_vars or {}), "source": source}


def _unchanged(published: Path) -> str:
    if published.exists():
        return f"the published results ({published.name}) are unchanged"
    return "nothing is published yet"


def build_in_warehouse(
    target: str, dbt_vars: dict[str, Any] | None = None, select: str | None = None, *, full_refresh: bool = False
) -> None:
    """dbt build on Postgres or Spark. Nothing to publish: readers query the target's marts, which dbt replaces
    table by table (DECISIONS.md, "Engines")."""
    dbt_vars = with_loaded_source_in(target, dbt_vars)
    arguments = build_arguments(select, full_refresh)
    with step(f"dbt build on {target}"):
        # dbt-duckdb is not used, but dbt_runner wants a DuckDB path for the profile's default target.
        run = run_dbt(arguments, warehouse=settings.warehouse_path(), dbt_vars=dbt_vars, engine=target)
    if run.selected_nothing:
        raise UserError(f"--select {select!r} matches no model, seed or test: nothing was built")


def with_loaded_source_in(target: str, dbt_vars: dict[str, Any] | None) -> dict[str, Any] | None:
    if (dbt_vars and "source" in dbt_vars) or target == DUCKDB:
        return dbt_vars
    if target == POSTGRES:
        from support_kpis.targets.postgres import loaded_source

        source = loaded_source()
    else:
        from support_kpis.targets.loading import spark_loaded_source

        source = spark_loaded_source()
    if source == "contract":
        return dbt_vars
    say(f"    source: {source} (the last load's; --vars '{{\"source\": ...}}' overrides it)")
    return {**(dbt_vars or {}), "source": source}


def run(args: argparse.Namespace) -> int:
    if args.target != DUCKDB:
        if args.warehouse is not None:
            raise UserError(f"--warehouse is a DuckDB file: it does not go with --target {args.target}")
        require_engine(args.target)
        build_in_warehouse(args.target, parse_vars(args.vars), args.select, full_refresh=args.full_refresh)
        return 0
    build(
        args.warehouse or settings.warehouse_path(), parse_vars(args.vars), args.select, full_refresh=args.full_refresh
    )
    return 0
