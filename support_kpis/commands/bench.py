"""Benchmark generate, load and dbt build at given sizes; print and record wall time, rows/s and peak RSS."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from support_kpis.dbt_runner import dbt_command, dbt_environment
from support_kpis.errors import UserError
from support_kpis.progress import say
from support_kpis.settings import PROJECT_ROOT, published_path


@dataclass
class Phase:
    tickets: int
    phase: str
    wall_seconds: float
    peak_rss_mib: float
    rows: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.wall_seconds if self.wall_seconds else 0.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tickets", type=int, action="append", help="size to run (repeatable; default 100000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--work-dir", type=Path, default=PROJECT_ROOT / "bench-work")
    parser.add_argument("--vars", default=None, help="dbt vars as JSON for the build phase")
    parser.add_argument("--label", default="", help="a note for the record, e.g. 'business time off'")
    parser.add_argument(
        "--record", type=Path, default=PROJECT_ROOT / "BENCHMARKS.md", help="Markdown file to append to"
    )
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument(
        "--build-only", action="store_true", help="reuse the data and warehouse of a previous run at that size"
    )


def _measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a child process; its wall time and peak RSS (MiB), from wait4's own rusage of that child."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise UserError(
            f"benchmark step failed: {' '.join(command[:4])} ... (exit {os.waitstatus_to_exitcode(status)})"
        )
    return wall, usage.ru_maxrss / 1024


def _count(warehouse: Path, sql: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def bench_size(tickets: int, args: argparse.Namespace) -> list[Phase]:
    work = args.work_dir / f"t{tickets}"
    data, warehouse = work / "data", work / "warehouse.duckdb"
    work.mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "support_kpis.cli"]
    phases: list[Phase] = []
    if args.build_only:
        if not warehouse.exists():
            raise UserError(f"{warehouse}: no previous run at {tickets:,} tickets to reuse (drop --build-only)")
        return [*phases, _build_phase(tickets, warehouse, work, args), _publish_phase(tickets, warehouse, cli)]
    warehouse.unlink(missing_ok=True)

    say(f"==> {tickets:,} tickets: generate")
    wall, rss = _measure(
        [
            *cli,
            "generate",
            "--tickets",
            str(tickets),
            "--seed",
            str(args.seed),
            "--out",
            str(data),
            "--format",
            args.format,
        ]
    )
    phases.append(Phase(tickets, "generate", wall, rss, tickets))

    say(f"==> {tickets:,} tickets: load")
    wall, rss = _measure([*cli, "load", str(data), "--warehouse", str(warehouse)])
    events = _count(warehouse, "select count(*) from raw.ticket_events")
    phases.append(Phase(tickets, "load", wall, rss, tickets + events))
    phases.append(_build_phase(tickets, warehouse, work, args))
    phases.append(_publish_phase(tickets, warehouse, cli))
    return phases


def _build_phase(tickets: int, warehouse: Path, work: Path, args: argparse.Namespace) -> Phase:
    events = _count(warehouse, "select count(*) from raw.ticket_events")
    say(f"==> {tickets:,} tickets ({events:,} events): dbt build")
    dbt_vars = json.loads(args.vars) if args.vars else None
    command = dbt_command(["build", "--quiet"], dbt_vars=dbt_vars)
    wall, rss = _measure(command, env=dbt_environment(warehouse, work / "target"))
    return Phase(tickets, "dbt build", wall, rss, tickets + events)


def _publish_phase(tickets: int, warehouse: Path, cli: list[str]) -> Phase:
    """Copying the marts into the published file readers use, and swapping it in."""
    say(f"==> {tickets:,} tickets: publish")
    wall, rss = _measure([*cli, "publish", "--warehouse", str(warehouse)])
    rows = _count(
        published_path(warehouse),
        "select sum(estimated_size) from duckdb_tables()",
    )
    return Phase(tickets, "publish", wall, rss, rows)


def _table(phases: list[Phase]) -> list[str]:
    lines = ["| tickets | phase | wall s | rows/s | peak RSS MiB |", "|---:|---|---:|---:|---:|"]
    for p in phases:
        lines.append(
            f"| {p.tickets:,} | {p.phase} | {p.wall_seconds:.1f} | {p.rows_per_second:,.0f} | {p.peak_rss_mib:,.0f} |"
        )
    return lines


def run(args: argparse.Namespace) -> int:
    sizes = args.tickets or [100_000]
    phases = [phase for size in sizes for phase in bench_size(size, args)]
    table = _table(phases)
    print("\n".join(table))
    if not args.no_record:
        command = "./run bench " + " ".join(f"--tickets {s}" for s in sizes)
        if args.vars:
            command += f" --vars '{args.vars}'"
        if args.build_only:
            command += " --build-only"
        if args.format != "csv":
            command += f" --format {args.format}"
        header = [
            "",
            f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC{' — ' + args.label if args.label else ''}",
            "",
            f"`{command}` on {os.cpu_count()} cores, {_memory_gib():.0f} GiB, Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}. rows = tickets for generate, tickets + events for load and build, "
            "rows copied for publish; "
            "peak RSS is the phase's own process tree high-water mark.",
            "",
        ]
        with args.record.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(header + table) + "\n")
        results = args.work_dir / "latest.json"
        results.write_text(json.dumps([asdict(p) for p in phases], indent=2), encoding="utf-8")
        say(f"recorded in {args.record} and {results}")
    return 0


def _memory_gib() -> float:
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0
