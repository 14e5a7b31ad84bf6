"""Benchmark generate, load and dbt build at given sizes and engines; print and record wall time, rows/s and peak
memory.

`--target postgres` or `--target spark` runs that engine beside DuckDB on the same generated data, so every record
has the DuckDB figure of the same run. Postgres is a throwaway local server (initdb + pg_ctl, stopped at the end)
unless PGHOST names one; its memory is sampled as the summed proportional set size of its processes. Spark runs in
local mode inside dbt's process; the JVM's memory is in the phase's process-tree figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from support_kpis.dbt_runner import dbt_command, dbt_environment
from support_kpis.errors import UserError
from support_kpis.process_memory import PeakSampler
from support_kpis.progress import say
from support_kpis.settings import PROJECT_ROOT, published_path
from support_kpis.targets import DUCKDB, POSTGRES, SPARK, TARGET_ENV, TARGETS, require_engine
from support_kpis.targets.postgres import Connection

# A small team's Postgres: room for sorts and hashes, everything else as initdb leaves it.
BENCH_POSTGRES_SETTINGS = {"shared_buffers": "2GB", "work_mem": "256MB", "maintenance_work_mem": "1GB"}

# Every measured build is a full one: on a warehouse built before, a plain `dbt build` would only recompute the
# tickets the as-of time still moves (the incremental models).
FULL_BUILD = ["build", "--quiet", "--full-refresh"]
PLANNING_MODELS = frozenset(
    path.stem
    for folder in ("models/intermediate/planning", "models/marts/planning")
    for path in (PROJECT_ROOT / folder).glob("*.*")
    if path.suffix in {".sql", ".py"}
)


@dataclass
class Phase:
    tickets: int
    phase: str
    wall_seconds: float
    peak_rss_mib: float
    rows: int
    target: str = DUCKDB
    # The phase's whole process tree (PySpark's JVM included), sampled; None where not sampled.
    tree_peak_mib: float | None = None
    # The Postgres server's processes during the phase, sampled.
    server_peak_mib: float | None = None
    # The 1-minute load average when the phase started: on 2 cores, above ~0.5 means another job shared them.
    load_at_start: float | None = None
    # dbt's five slowest nodes (seconds, node), for a build phase on DuckDB.
    slowest: list[tuple[float, str]] | None = None
    # The planning models (forecast, backtest, staffing) and their seconds: they must not dominate the daily run.
    planning: list[tuple[float, str]] | None = None

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
    parser.add_argument(
        "--compare-vars",
        default=None,
        help="A/B: with --build-only, alternate dbt builds with --vars (A) and these vars (B), --pairs times each",
    )
    parser.add_argument("--pairs", type=int, default=3, help="A/B pairs to run with --compare-vars (default 3)")
    parser.add_argument(
        "--target",
        action="append",
        choices=TARGETS[1:],
        help="also run on this engine (repeatable): postgres (PGHOST/PGPORT/... or a throwaway local server) or "
        "spark (local mode); DuckDB always runs, for comparison",
    )


@dataclass
class Measured:
    wall: float
    rss_mib: float
    tree_mib: float
    server_mib: float | None
    load_at_start: float | None = None


def _measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float | None]:
    measured = _measure_all(command, env)
    return measured.wall, measured.rss_mib, measured.load_at_start


def _measure_all(command: list[str], env: dict[str, str] | None = None, server: Connection | None = None) -> Measured:
    """Run a child process: its wall time, peak RSS (MiB, wait4's own rusage of that child), the sampled peak of
    its process tree, and of the Postgres server's processes when given."""
    server_roots = _server_roots(server) if server is not None else None
    load = _load_average()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL)
    with (
        PeakSampler(lambda: [process.pid]) as own,
        PeakSampler(server_roots or (lambda: [])) as served,
    ):
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise UserError(
            f"benchmark step failed: {' '.join(command[:4])} ... (exit {os.waitstatus_to_exitcode(status)})"
        )
    return Measured(wall, usage.ru_maxrss / 1024, own.peak_mib, served.peak_mib if server_roots else None, load)


def _server_roots(server: Connection) -> Callable[[], list[int]] | None:
    from support_kpis.targets.throwaway_postgres import server_pids

    try:
        postmaster = server_pids(server)[:1]
    except UserError:
        return None
    return (lambda: postmaster) if postmaster else None


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
        if args.compare_vars:
            return _paired_builds(tickets, warehouse, work, args)
        return [*phases, _build_phase(tickets, warehouse, work, args), _publish_phase(tickets, warehouse, cli)]
    warehouse.unlink(missing_ok=True)

    say(f"==> {tickets:,} tickets: generate")
    wall, rss, load = _measure(
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
    phases.append(Phase(tickets, "generate", wall, rss, tickets, load_at_start=load))

    say(f"==> {tickets:,} tickets: load")
    wall, rss, load = _measure([*cli, "load", str(data), "--warehouse", str(warehouse)])
    events = _count(warehouse, "select count(*) from raw.ticket_events")
    phases.append(Phase(tickets, "load", wall, rss, tickets + events, load_at_start=load))
    phases.append(_build_phase(tickets, warehouse, work, args))
    phases.append(_publish_phase(tickets, warehouse, cli))
    for target in args.target or []:
        phases += _engine_phases(target, tickets, data, work, events, args)
    return phases


def _engine_phases(
    target: str, tickets: int, data: Path, work: Path, events: int, args: argparse.Namespace
) -> list[Phase]:
    """Load and build on Postgres or Spark, from the same files DuckDB had."""
    cli = [sys.executable, "-m", "support_kpis.cli"]
    env = {**os.environ, TARGET_ENV: target, "SUPPORT_KPIS_DUCKDB": str(work / "staging-parent" / "w.duckdb")}
    server: Connection | None = None
    if target == POSTGRES:
        server = args.postgres
        env.update(
            PGHOST=server.host,
            PGPORT=str(server.port),
            PGUSER=server.user,
            PGDATABASE=server.dbname,
            PGPASSWORD=server.password,
        )
    if target == SPARK:
        env["SUPPORT_KPIS_SPARK_DIR"] = str(work / "spark")
    phases = []
    say(f"==> {tickets:,} tickets: load --target {target}")
    load = _measure_all([*cli, "load", str(data), "--target", target], env, server)
    phases.append(_phase(tickets, target, "load", load, tickets + events))
    say(f"==> {tickets:,} tickets: dbt build --target {target}")
    dbt_vars = json.loads(args.vars) if args.vars else None
    build_env = {**dbt_environment(work / "unused.duckdb", work / f"target-{target}", target), **_only_target(env)}
    build = _measure_all(dbt_command(FULL_BUILD, dbt_vars=dbt_vars), build_env, server)
    phases.append(_phase(tickets, target, "dbt build", build, tickets + events))
    return phases


def _only_target(env: dict[str, str]) -> dict[str, str]:
    keys = ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "SUPPORT_KPIS_SPARK_DIR")
    return {k: env[k] for k in keys if k in env}


def _phase(tickets: int, target: str, phase: str, measured: Measured, rows: int) -> Phase:
    return Phase(
        tickets,
        phase,
        measured.wall,
        measured.rss_mib,
        rows,
        target,
        measured.tree_mib,
        measured.server_mib,
        measured.load_at_start,
    )


def _build_phase(
    tickets: int, warehouse: Path, work: Path, args: argparse.Namespace, dbt_vars_json: str | None = None
) -> Phase:
    events = _count(warehouse, "select count(*) from raw.ticket_events")
    vars_json = dbt_vars_json if dbt_vars_json is not None else args.vars
    say(f"==> {tickets:,} tickets ({events:,} events): dbt build{' --vars ' + vars_json if vars_json else ''}")
    dbt_vars = json.loads(vars_json) if vars_json else None
    command = dbt_command(FULL_BUILD, dbt_vars=dbt_vars)
    wall, rss, load = _measure(command, env=dbt_environment(warehouse, work / "target"))
    run_results = work / "target" / "run_results.json"
    return Phase(
        tickets,
        "dbt build",
        wall,
        rss,
        tickets + events,
        load_at_start=load,
        slowest=slowest_nodes(run_results),
        planning=planning_nodes(run_results),
    )


def _paired_builds(tickets: int, warehouse: Path, work: Path, args: argparse.Namespace) -> list[Phase]:
    """A, B, A, B, ...: alternating on one warehouse, so a drift in the machine's load hits both sides alike."""
    phases = []
    for _ in range(args.pairs):
        for side, vars_json in (("A", args.vars or ""), ("B", args.compare_vars)):
            phase = _build_phase(tickets, warehouse, work, args, vars_json)
            phase.phase = f"dbt build {side}"
            phases.append(phase)
    return phases


def _node_name(unique_id: str) -> str:
    kind, _, *name = unique_id.split(".")
    if kind == "test":
        return f"test {name[0]}"  # the rest is dbt's hash
    return ".".join(name) if kind == "model" else f"{kind} {'.'.join(name)}"


def _paired_summary(phases: list[Phase], args: argparse.Namespace) -> list[str]:
    lines = []
    for tickets in sorted({p.tickets for p in phases}):
        sides = {side: [p for p in phases if p.tickets == tickets and p.phase == f"dbt build {side}"] for side in "AB"}
        if not all(sides.values()):
            continue
        wall = {side: sum(p.wall_seconds for p in runs) / len(runs) for side, runs in sides.items()}
        rss = {side: sum(p.peak_rss_mib for p in runs) / len(runs) for side, runs in sides.items()}
        loads = [p.load_at_start for p in phases if p.tickets == tickets and p.load_at_start is not None]
        load_range = f"{min(loads):.2f}–{max(loads):.2f}" if loads else "unknown"
        lines += [
            "",
            f"{tickets:,} tickets, {args.pairs} alternating pair{'s' if args.pairs != 1 else ''}: "
            f"A (--vars {args.vars or 'none'}) "
            f"{wall['A']:.1f} s and {rss['A']:,.0f} MiB on average; B (--compare-vars {args.compare_vars}) "
            f"{wall['B']:.1f} s and {rss['B']:,.0f} MiB. A/B wall ratio {wall['A'] / wall['B']:.2f}, "
            f"RSS ratio {rss['A'] / rss['B']:.2f}; load average at the start of each run {load_range}.",
        ]
    return lines


def slowest_nodes(run_results: Path, count: int = 5) -> list[tuple[float, str]]:
    """dbt's own timing of its slowest nodes (models and tests), from run_results.json."""
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    timed = sorted(((r["execution_time"], _node_name(r["unique_id"])) for r in results), reverse=True)
    return [(round(seconds, 1), name) for seconds, name in timed[:count]]


def planning_nodes(run_results: Path) -> list[tuple[float, str]]:
    """dbt's timing of the planning models (models/intermediate/planning and models/marts/planning)."""
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    return [
        (round(r["execution_time"], 1), _node_name(r["unique_id"]))
        for r in results
        if r["unique_id"].startswith("model.") and r["unique_id"].split(".")[-1] in PLANNING_MODELS
    ]


def _publish_phase(tickets: int, warehouse: Path, cli: list[str]) -> Phase:
    """Copying the marts into the published file readers use, and swapping it in."""
    say(f"==> {tickets:,} tickets: publish")
    wall, rss, load = _measure([*cli, "publish", "--warehouse", str(warehouse)])
    rows = _count(
        published_path(warehouse),
        "select sum(estimated_size) from duckdb_tables()",
    )
    return Phase(tickets, "publish", wall, rss, rows, load_at_start=load)


def _table(phases: list[Phase]) -> list[str]:
    if all(p.target == DUCKDB for p in phases):
        lines = [
            "| tickets | phase | wall s | rows/s | peak RSS MiB | load avg at start |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        for p in phases:
            lines.append(
                f"| {p.tickets:,} | {p.phase} | {p.wall_seconds:.1f} | {p.rows_per_second:,.0f} "
                f"| {p.peak_rss_mib:,.0f} | {_load_text(p.load_at_start)} |"
            )
        return lines + _slowest_lines(phases)
    lines = [
        "| tickets | engine | phase | wall s | rows/s | peak RSS MiB | tree peak MiB | Postgres server peak MiB |",
        "|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for p in phases:
        tree_peak = f"{p.tree_peak_mib:,.0f}" if p.tree_peak_mib is not None else ""
        served = f"{p.server_peak_mib:,.0f}" if p.server_peak_mib is not None else ""
        lines.append(
            f"| {p.tickets:,} | {p.target} | {p.phase} | {p.wall_seconds:.1f} | {p.rows_per_second:,.0f} "
            f"| {p.peak_rss_mib:,.0f} | {tree_peak} | {served} |"
        )
    return lines + _slowest_lines(phases)


def _slowest_lines(phases: list[Phase]) -> list[str]:
    lines = []
    for p in phases:
        if p.slowest:
            nodes = ", ".join(f"{name} {seconds:.1f} s" for seconds, name in p.slowest)
            lines += ["", f"Slowest dbt nodes, {p.phase} at {p.tickets:,} tickets (dbt's own timing): {nodes}."]
        if p.planning:
            total = sum(seconds for seconds, _ in p.planning)
            nodes = ", ".join(f"{name} {seconds:.1f} s" for seconds, name in p.planning)
            lines += ["", f"Planning models, {p.phase} at {p.tickets:,} tickets: {total:.1f} s in all ({nodes})."]
    return lines


def _load_text(load: float | None) -> str:
    return f"{load:.2f}" if load is not None else ""


def _load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def run(args: argparse.Namespace) -> int:
    sizes = args.tickets or [100_000]
    if args.target and args.build_only:
        raise UserError("--build-only reuses a DuckDB warehouse: it does not go with --target")
    if args.compare_vars and not args.build_only:
        raise UserError("--compare-vars runs paired builds on a warehouse already loaded: add --build-only")
    for target in args.target or []:
        require_engine(target)
    with _postgres_for(args) as postgres:
        args.postgres = postgres
        phases = [phase for size in sizes for phase in bench_size(size, args)]
    table = _table(phases) + (_paired_summary(phases, args) if args.compare_vars else [])
    print("\n".join(table))
    if not args.no_record:
        command = "./run bench " + " ".join(f"--tickets {s}" for s in sizes)
        if args.vars:
            command += f" --vars '{args.vars}'"
        if args.build_only:
            command += " --build-only"
        if args.compare_vars:
            command += f" --compare-vars '{args.compare_vars}' --pairs {args.pairs}"
        if args.format != "csv":
            command += f" --format {args.format}"
        command += "".join(f" --target {t}" for t in args.target or [])
        header = [
            "",
            f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC{' — ' + args.label if args.label else ''}",
            "",
            f"`{command}` on {os.cpu_count()} cores, {_memory_gib():.0f} GiB, Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}. rows = tickets for generate, tickets + events for load and build, "
            "rows copied for publish; "
            "peak RSS is the phase's own process tree high-water mark.",
            *_engine_notes(args),
            "",
        ]
        with args.record.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(header + table) + "\n")
        results = args.work_dir / "latest.json"
        results.write_text(json.dumps([asdict(p) for p in phases], indent=2), encoding="utf-8")
        say(f"recorded in {args.record} and {results}")
    return 0


@contextmanager
def _postgres_for(args: argparse.Namespace) -> Iterator[Connection | None]:
    if POSTGRES not in (args.target or []):
        yield None
        return
    if os.environ.get("PGHOST"):
        yield Connection.from_environment()
        return
    from support_kpis.targets.throwaway_postgres import throwaway_postgres

    say(f"==> a throwaway Postgres server ({', '.join(f'{k}={v}' for k, v in BENCH_POSTGRES_SETTINGS.items())})")
    with throwaway_postgres(settings=BENCH_POSTGRES_SETTINGS, durable=True) as connection:
        yield connection


def _engine_notes(args: argparse.Namespace) -> list[str]:
    notes = []
    if POSTGRES in (args.target or []):
        where = (
            "the server PGHOST names"
            if os.environ.get("PGHOST")
            else "a throwaway local PostgreSQL 15 with "
            + (", ".join(f"{k}={v}" for k, v in BENCH_POSTGRES_SETTINGS.items()))
        )
        notes.append(
            f"Postgres: {where}; its peak is the summed proportional set size (Pss) of its processes, sampled "
            "every 0.5 s. Its load ships the DuckDB-checked tables with COPY."
        )
    if SPARK in (args.target or []):
        notes.append(
            "Spark: local mode in dbt's process (profiles.yml); the process tree peak (Pss, sampled) includes the "
            "JVM. Its load runs the validation gate on the staged tables before shipping Parquet."
        )
    try:
        load = os.getloadavg()
        notes.append(f"Load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}.")
    except OSError:
        pass
    return [" ".join(notes)] if notes else []


def _memory_gib() -> float:
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0
