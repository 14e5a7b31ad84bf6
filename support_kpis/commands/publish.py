"""Publish the warehouse's last successful dbt build to the file readers use (after a plain `dbt build`).

`support-kpis build` publishes by itself. Run this after building with dbt directly: it copies the reader-facing
models (the public ones: every mart) into <warehouse>_published.duckdb in one step, and refuses when the warehouse's
last build failed or was interrupted (its models may be a mix of two builds).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from support_kpis import settings
from support_kpis.progress import step
from support_kpis.publishing import publish_duckdb


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse", type=Path, default=None, help="DuckDB file dbt built (default: warehouse/support_kpis.duckdb)"
    )


def run(args: argparse.Namespace) -> int:
    warehouse: Path = args.warehouse or settings.warehouse_path()
    published = settings.published_path(warehouse)
    with step(f"publishing {warehouse} to {published}"):
        result = publish_duckdb(warehouse, published)
    print(f"Published build {result.run.run_id} ({result.run.describe()}): {len(result.tables)} tables in {published}")
    return 0
