"""Run `dbt build` (models and data tests) on the loaded warehouse."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from support_kpis import settings
from support_kpis.dbt_runner import run_dbt
from support_kpis.errors import UserError
from support_kpis.progress import step


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse", type=Path, default=None, help="DuckDB file (default: warehouse/support_kpis.duckdb)"
    )
    parser.add_argument(
        "--vars", default=None, help='dbt vars as JSON, e.g. \'{"reporting_timezone": "Europe/Berlin"}\''
    )
    parser.add_argument("--select", default=None, help="dbt node selection (default: everything)")


def parse_vars(text: str | None) -> dict[str, object]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"--vars is not valid JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(value, dict):
        raise UserError("--vars must be a JSON object")
    return value


def build(warehouse: Path, dbt_vars: dict[str, object] | None = None, select: str | None = None) -> None:
    if not warehouse.exists():
        raise UserError(f"{warehouse}: no warehouse yet; run `support-kpis load DIR` first")
    arguments = ["build"] + (["--select", select] if select else [])
    with step(f"dbt build on {warehouse}"):
        run_dbt(arguments, warehouse=warehouse, dbt_vars=dbt_vars)


def run(args: argparse.Namespace) -> int:
    build(args.warehouse or settings.warehouse_path(), parse_vars(args.vars), args.select)
    return 0
