"""Run Fivetran's dbt_zendesk on a Zendesk-shaped folder and compare it ticket by ticket with our `fct_tickets`.

Not part of CI (CI has no dbt_zendesk). Stages:

1. data: take a folder of Fivetran-shaped Zendesk tables (`--data DIR`) or generate one
   (`support-kpis generate --source zendesk --tickets N --out DIR`);
2. dbt_zendesk: a scratch dbt project OUTSIDE this repository (a fresh temporary folder unless `--work DIR`) gets
   copies of the dbt_zendesk checkout and its dependency checkouts (fivetran_utils, dbt_utils, spark_utils) as
   `local:` packages, two shim macros, and a DuckDB file whose schema `zendesk` holds the CSVs; then
   `dbt build --select +zendesk__ticket_metrics` (models and their tests) is timed and its staging and output row
   counts are checked (dbt_zendesk builds EMPTY staging tables, with only a warning, when a source table is missing);
3. extract: one row per ticket from `zendesk__ticket_metrics` (first reply calendar/business minutes, full and final
   resolution minutes, reopens, public agent comments, one-touch flag) → `dbt_zendesk_ticket_metrics.csv`;
4. compare (`--our-fct-tickets PATH`, a DuckDB file with table `fct_tickets` or a CSV of it): per measure, tickets
   compared, agreeing, differing, and up to 5 example ticket ids per kind of difference.

Tolerances: counts and flags must be equal. Durations agree within 1 minute: dbt_zendesk rounds first reply minutes to
4 decimals and computes resolution minutes with dbt's `datediff('minute', …)`, which counts minute boundaries crossed
(10:00:59 → 10:01:00 is 1 minute), while we keep exact seconds / 60; the two can differ by less than one minute on
every ticket without either being wrong.

Only customer-initiated tickets (ours `is_agent_initiated = false`) are compared for first reply times: dbt_zendesk
gives an agent-created ticket a first reply time, we leave it out of every response-time measure.

Versions that ran (see BENCHMARKS.md): dbt_zendesk v1.6.1, fivetran_utils v0.4.10, dbt_utils 1.3.0, spark_utils 0.3.3.

    python scripts/compare_dbt_zendesk.py --dbt-zendesk /scratch/pkgs/dbt_zendesk --deps /scratch/pkgs \
        --tickets 10000 [--our-fct-tickets warehouse.duckdb]
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEPENDENCIES = ("fivetran_utils", "dbt_utils", "spark_utils")
# Folder names a checkout of each dependency may have (the package name or the GitHub repository name).
DEPENDENCY_FOLDERS = {
    "fivetran_utils": ("fivetran_utils", "dbt_fivetran_utils"),
    "dbt_utils": ("dbt_utils", "dbt-utils"),
    "spark_utils": ("spark_utils", "spark-utils"),
}
ZENDESK_SCHEMA = "zendesk"
REQUIRED_TABLES = ("ticket", "ticket_comment", "ticket_field_history", "user")
TOLERANCE_MINUTES = 1.0
EXAMPLES = 5

SHIMS = """\
{# dbt_zendesk v1.6.1 on DuckDB: fivetran_utils' default timestamp_add calls timestampadd(), which DuckDB lacks. #}
{% macro duckdb__timestamp_add(datepart, interval, from_timestamp) -%}
    ({{ from_timestamp }} + ({{ interval }}) * interval 1 {{ datepart }})
{%- endmacro %}

{# Freeze "now" at the data's as-of: open-ticket durations and schedule validity read dbt.current_timestamp(). #}
{% macro duckdb__current_timestamp() -%}
    cast('{{ var("frozen_now") }}' as timestamp)
{%- endmacro %}
"""

# The zendesk__ticket_metrics (v1.6.1) columns extracted per ticket. It has no `full_resolution_calendar_minutes`:
# `final_resolution_calendar_minutes` (created → last solve) is the full resolution time.
THEIR_COLUMNS = (
    "created_at",
    "first_reply_time_calendar_minutes",
    "first_reply_time_business_minutes",
    "first_resolution_calendar_minutes",
    "final_resolution_calendar_minutes",
    "full_resolution_business_minutes",
    "count_resolutions",
    "count_reopens",
    "count_public_agent_comments",
    "is_one_touch_resolution",
)


# ----------------------------------------------------------------------------------------------------------------
# Stage 4: the comparison (pure; unit-tested in tests/scripts/test_compare_dbt_zendesk.py)


@dataclass(frozen=True)
class Measure:
    name: str
    theirs: Callable[[Mapping], object]
    ours: Callable[[Mapping], object]
    duration: bool  # within TOLERANCE_MINUTES, else exact
    scope: Callable[[Mapping], bool] = lambda ours: True  # which of our tickets take part


@dataclass
class MeasureResult:
    name: str
    compared: int = 0
    agreeing: int = 0
    differences: dict[str, list[str]] = field(default_factory=dict)  # kind → all ticket ids

    @property
    def differing(self) -> int:
        return sum(len(ids) for ids in self.differences.values())


def _number(value: object) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return float(value)
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def _flag(value: object) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("true", "t", "1", "yes")
    return bool(value)


def _is_agent_initiated(ours: Mapping) -> bool:
    return bool(_flag(ours.get("is_agent_initiated")))


def _our_one_touch(ours: Mapping) -> bool:
    status = str(ours.get("status_at_as_of") or ours.get("status") or "").lower()
    return status in ("solved", "closed") and _number(ours.get("public_agent_reply_count")) == 1


def _our_full_resolution_minutes(ours: Mapping) -> float | None:
    hours = _number(ours.get("full_resolution_hours"))
    return None if hours is None else hours * 60


MEASURES = (
    Measure(
        "first reply time, calendar minutes (customer-initiated)",
        lambda t: _number(t.get("first_reply_time_calendar_minutes")),
        lambda o: _number(o.get("first_response_minutes")),
        duration=True,
        scope=lambda o: not _is_agent_initiated(o),
    ),
    Measure(
        "first reply time, business minutes (customer-initiated)",
        lambda t: _number(t.get("first_reply_time_business_minutes")),
        lambda o: _number(o.get("business_first_response_minutes")),
        duration=True,
        scope=lambda o: not _is_agent_initiated(o),
    ),
    Measure(
        "final resolution, calendar minutes",
        lambda t: _number(t.get("final_resolution_calendar_minutes")),
        _our_full_resolution_minutes,
        duration=True,
    ),
    Measure(
        "reopens",
        lambda t: _number(t.get("count_reopens")),
        lambda o: _number(o.get("reopen_count")),
        duration=False,
    ),
    Measure(
        "public agent replies",
        lambda t: _number(t.get("count_public_agent_comments")),
        lambda o: _number(o.get("public_agent_reply_count")),
        duration=False,
    ),
    Measure(
        "one-touch resolution",
        lambda t: _flag(t.get("is_one_touch_resolution")),
        _our_one_touch,
        duration=False,
    ),
)


def _kind(theirs: object, ours: object, duration: bool) -> str | None:
    """None when the two agree, else the kind of difference."""
    if theirs is None and ours is None:
        return None
    if theirs is None:
        return "null in dbt_zendesk only"
    if ours is None:
        return "null in support-kpis only"
    if duration:
        delta = float(ours) - float(theirs)  # type: ignore[arg-type]
        if abs(delta) <= TOLERANCE_MINUTES:
            return None
        return "support-kpis longer by > 1 min" if delta > 0 else "support-kpis shorter by > 1 min"
    if isinstance(theirs, bool) or isinstance(ours, bool):
        return None if bool(theirs) == bool(ours) else f"dbt_zendesk {bool(theirs)}, support-kpis {bool(ours)}"
    if theirs == ours:
        return None
    return "support-kpis higher" if float(ours) > float(theirs) else "support-kpis lower"  # type: ignore[arg-type]


def _sort_key(ticket_id: str) -> tuple[int, object]:
    return (0, int(ticket_id)) if ticket_id.isdigit() else (1, ticket_id)


def compare(
    theirs: Iterable[Mapping], ours: Iterable[Mapping], measures: Iterable[Measure] = MEASURES
) -> tuple[list[MeasureResult], dict[str, list[str]]]:
    """Compare per ticket. Rows are mappings with a `ticket_id` (compared as text: Zendesk ids are integers, ours text).

    Returns one result per measure over the tickets in both tables (and in the measure's scope), and the ticket ids
    present on one side only ("only in dbt_zendesk": e.g. deleted tickets, which we leave out; "only in
    support-kpis": e.g. tickets dbt_zendesk drops when their requester or submitter has no user row)."""
    their_rows = {str(row["ticket_id"]): row for row in theirs}
    our_rows = {str(row["ticket_id"]): row for row in ours}
    common = sorted(their_rows.keys() & our_rows.keys(), key=_sort_key)
    presence = {
        "only in dbt_zendesk": sorted(their_rows.keys() - our_rows.keys(), key=_sort_key),
        "only in support-kpis": sorted(our_rows.keys() - their_rows.keys(), key=_sort_key),
    }
    results = []
    for measure in measures:
        result = MeasureResult(measure.name)
        for ticket_id in common:
            mine = our_rows[ticket_id]
            if not measure.scope(mine):
                continue
            result.compared += 1
            kind = _kind(measure.theirs(their_rows[ticket_id]), measure.ours(mine), measure.duration)
            if kind is None:
                result.agreeing += 1
            else:
                result.differences.setdefault(kind, []).append(ticket_id)
        results.append(result)
    return results, presence


def format_report(results: list[MeasureResult], presence: dict[str, list[str]]) -> str:
    lines = []
    for kind, ids in presence.items():
        lines.append(f"{kind}: {len(ids)}" + (f" (e.g. {', '.join(ids[:EXAMPLES])})" if ids else ""))
    lines.append("")
    width = max(len(r.name) for r in results)
    lines.append(f"{'measure':<{width}}  {'compared':>8}  {'agreeing':>8}  {'differing':>9}")
    for r in results:
        lines.append(f"{r.name:<{width}}  {r.compared:>8}  {r.agreeing:>8}  {r.differing:>9}")
    for r in results:
        for kind, ids in sorted(r.differences.items()):
            lines.append(f"  {r.name} — {kind}: {len(ids)} (e.g. {', '.join(ids[:EXAMPLES])})")
    return "\n".join(lines)


def read_rows(path: Path, table: str = "fct_tickets") -> list[dict]:
    """Rows of a CSV, or of `table` in a DuckDB file."""
    if path.suffix.lower() == ".csv":
        with path.open(newline="") as handle:
            return list(csv.DictReader(handle))
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        found = con.execute(
            "select table_schema from information_schema.tables where table_name = ? order by table_schema = 'main'",
            [table],
        ).fetchall()
        if not found:
            raise SystemExit(f"{path}: no table {table}")
        cursor = con.execute(f'select * from "{found[-1][0]}"."{table}"')
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# ----------------------------------------------------------------------------------------------------------------
# Stages 1–3: data, scratch project, dbt_zendesk build, extraction


def _find_dependency(name: str, deps: Path | None, explicit: Path | None) -> Path:
    if explicit:
        return explicit
    if deps:
        for folder in DEPENDENCY_FOLDERS[name]:
            if (deps / folder / "dbt_project.yml").exists():
                return deps / folder
    raise SystemExit(f"no checkout of {name}: pass --{name.replace('_', '-')} PATH or --deps DIR holding it")


def _outside_repo(path: Path) -> Path:
    path = path.resolve()
    if path == REPO or REPO in path.parents:
        raise SystemExit(f"{path} is inside the repository; the scratch project must live outside it")
    return path


def _copy_package(source: Path, dest: Path, local_deps: list[Path]) -> None:
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".git", "integration_tests", "dbt_packages"))
    packages = "packages:\n" + "".join(f"- local: {dep}\n" for dep in local_deps)
    (dest / "packages.yml").write_text(packages if local_deps else "packages: []\n")


def load_csvs(data: Path, database: Path) -> dict[str, int]:
    """Load every `<table>.csv` of the folder into schema `zendesk`, types detected over the whole file."""
    import duckdb

    missing = [table for table in REQUIRED_TABLES if not (data / f"{table}.csv").exists()]
    if missing:
        raise SystemExit(
            f"{data}: no {', '.join(t + '.csv' for t in missing)}"
            " (dbt_zendesk builds a missing table as an empty one, silently)"
        )
    counts = {}
    with duckdb.connect(str(database)) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"create schema if not exists {ZENDESK_SCHEMA}")
        for path in sorted(data.glob("*.csv")):
            table = path.stem
            # `default` (brand) is a reserved word: CTAS over read_csv keeps it as a quoted column name.
            con.execute(
                f'create or replace table {ZENDESK_SCHEMA}."{table}" as '
                f"select * from read_csv(?, header = true, sample_size = -1)",
                [str(path)],
            )
            counts[table] = con.execute(f'select count(*) from {ZENDESK_SCHEMA}."{table}"').fetchone()[0]
    return counts


def as_of_of(database: Path) -> str:
    """The data's as-of: the latest `_fivetran_synced` of `ticket` (the generator stamps the as-of there)."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        value = con.execute(f"select max(_fivetran_synced) from {ZENDESK_SCHEMA}.ticket").fetchone()[0]
    return str(value)


def write_project(work: Path, zendesk: Path, fivetran_utils: Path, dbt_utils: Path, spark_utils: Path) -> Path:
    packages = work / "packages"
    _copy_package(dbt_utils, packages / "dbt_utils", [])
    _copy_package(spark_utils, packages / "spark_utils", [])
    _copy_package(fivetran_utils, packages / "fivetran_utils", [packages / "dbt_utils"])
    _copy_package(zendesk, packages / "dbt_zendesk", [packages / "fivetran_utils", packages / "spark_utils"])
    project = work / "project"
    (project / "macros").mkdir(parents=True)
    (project / "macros" / "duckdb_shims.sql").write_text(SHIMS)
    (project / "packages.yml").write_text(f"packages:\n- local: {packages / 'dbt_zendesk'}\n")
    (project / "dbt_project.yml").write_text(
        "name: zendesk_compare\nversion: '1.0'\nconfig-version: 2\nprofile: zendesk_compare\n"
        "macro-paths: [macros]\n"
        "dispatch:\n"
        "  - {macro_namespace: fivetran_utils, search_order: [zendesk_compare, fivetran_utils]}\n"
        "  - {macro_namespace: dbt, search_order: [zendesk_compare, dbt]}\n"
        "vars:\n"
        f"  zendesk_schema: {ZENDESK_SCHEMA}\n"
        "  using_domain_names: false\n  using_user_tags: false\n  using_organization_tags: false\n"
        "  using_ticket_form_history: false\n  using_audit_log: false\n"
    )
    (project / "profiles.yml").write_text(
        "zendesk_compare:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
        f"      path: {work / 'warehouse.duckdb'}\n      threads: 4\n      settings: {{TimeZone: UTC}}\n"
    )
    return project


def _dbt(project: Path, *args: str) -> subprocess.CompletedProcess:
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "DBT_PROFILES_DIR": str(project), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run([str(dbt), *args], cwd=project, env=env, capture_output=True, text=True, check=False)


def _relation(con, name: str) -> str:
    found = con.execute("select table_schema from information_schema.tables where table_name = ?", [name]).fetchall()
    if not found:
        raise SystemExit(f"dbt_zendesk built no {name}")
    return f'"{found[0][0]}"."{name}"'


def check_build(database: Path, loaded: dict[str, int]) -> dict[str, int]:
    """dbt_zendesk's staging row counts equal the loaded tables (else it silently read nothing), and every live ticket
    (status not `deleted`, not `_fivetran_deleted`) is in zendesk__ticket_metrics."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        counts = {}
        errors = []
        for table in REQUIRED_TABLES:
            built = con.execute(f"select count(*) from {_relation(con, 'stg_zendesk__' + table)}").fetchone()[0]
            counts[f"stg_zendesk__{table}"] = built
            if built != loaded.get(table):
                errors.append(
                    f"stg_zendesk__{table} has {built} rows, {loaded.get(table)} were loaded "
                    "(dbt_zendesk builds an empty staging table when it cannot find the source table)"
                )
        metrics = _relation(con, "zendesk__ticket_metrics")
        counts["zendesk__ticket_metrics"] = con.execute(f"select count(*) from {metrics}").fetchone()[0]
        missing = con.execute(
            f"""select cast(t.id as varchar) from {ZENDESK_SCHEMA}.ticket t
                where t.status <> 'deleted' and not coalesce(cast(t._fivetran_deleted as boolean), false)
                  and t.id not in (select ticket_id from {metrics})
                order by t.id"""
        ).fetchall()
        counts["live tickets"] = con.execute(
            f"""select count(*) from {ZENDESK_SCHEMA}.ticket
                where status <> 'deleted' and not coalesce(cast(_fivetran_deleted as boolean), false)"""
        ).fetchone()[0]
        if missing:
            ids = ", ".join(row[0] for row in missing[:EXAMPLES])
            errors.append(
                f"{len(missing)} live tickets are missing from zendesk__ticket_metrics (e.g. {ids}); dbt_zendesk "
                "inner-joins the requester and the submitter to `user`: check every requester/submitter has a user row"
            )
    if errors:
        raise SystemExit("dbt_zendesk build is incomplete:\n- " + "\n- ".join(errors))
    return counts


def extract(database: Path, out: Path) -> list[dict]:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        columns = ", ".join(THEIR_COLUMNS)
        cursor = con.execute(
            f"select cast(ticket_id as varchar) as ticket_id, status, {columns} "
            f"from {_relation(con, 'zendesk__ticket_metrics')} order by ticket_id"
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _peak_rss_mib() -> float:
    # ru_maxrss of the largest waited-for child (dbt), KiB on Linux.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_dbt_zendesk(args: argparse.Namespace) -> list[dict]:
    work = _outside_repo(args.work) if args.work else Path(tempfile.mkdtemp(prefix="dbt_zendesk_compare_"))
    work.mkdir(parents=True, exist_ok=True)
    if args.data:
        data = args.data.resolve()
    else:
        data = work / "data"
        command = [sys.executable, "-m", "support_kpis.cli", "generate", "--source", "zendesk"]
        command += ["--tickets", str(args.tickets), "--out", str(data)]
        command += ["--seed", str(args.seed)] if args.seed is not None else []
        subprocess.run(command, check=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    deps = args.deps.resolve() if args.deps else None
    project = write_project(
        work,
        args.dbt_zendesk.resolve(),
        _find_dependency("fivetran_utils", deps, args.fivetran_utils),
        _find_dependency("dbt_utils", deps, args.dbt_utils),
        _find_dependency("spark_utils", deps, args.spark_utils),
    )
    database = work / "warehouse.duckdb"
    started = time.monotonic()
    loaded = load_csvs(data, database)
    print(f"loaded {sum(loaded.values())} rows of {len(loaded)} tables in {time.monotonic() - started:.1f} s")
    as_of = args.as_of or as_of_of(database)
    variables = (
        f"{{frozen_now: '{as_of}', using_schedules: {str('schedule' in loaded).lower()}, "
        f"using_holidays: {str('schedule_holiday' in loaded).lower()}, "
        f"using_brands: {str('brand' in loaded).lower()}, "
        f"using_organizations: {str('organization' in loaded).lower()}, "
        f"using_ticket_sla_policy: {str('ticket_sla_policy' in loaded).lower()}, "
        f"using_sla_policy_metric_history: {str('sla_policy_metric_history' in loaded).lower()}}}"
    )
    deps_run = _dbt(project, "deps")
    if deps_run.returncode:
        raise SystemExit(f"dbt deps failed:\n{deps_run.stdout}\n{deps_run.stderr}")
    started = time.monotonic()
    build = _dbt(project, args.dbt_command, "--select", "+zendesk__ticket_metrics", "--vars", variables)
    wall = time.monotonic() - started
    (work / "dbt_run.log").write_text(build.stdout + build.stderr)
    if build.returncode:
        failures = [line for line in build.stdout.splitlines() if re.search(r"ERROR|Error|error", line)]
        failures_text = "\n".join(failures[-20:])
        raise SystemExit(f"dbt_zendesk {args.dbt_command} failed (log: {work / 'dbt_run.log'}):\n{failures_text}")
    passed = re.search(r"PASS=(\d+)", build.stdout)
    print(
        f"dbt_zendesk {args.dbt_command} +zendesk__ticket_metrics (as-of {as_of}):"
        f" PASS={passed.group(1) if passed else '?'},"
        f" wall {wall:.1f} s, peak RSS of the largest child process (dbt; the generator too when it ran)"
        f" {_peak_rss_mib():.0f} MiB"
    )
    counts = check_build(database, loaded)
    print("row counts: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    out = args.out or work / "dbt_zendesk_ticket_metrics.csv"
    rows = extract(database, out)
    print(f"wrote {len(rows)} tickets to {out} (scratch project: {work})")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dbt-zendesk", type=Path, help="checkout of fivetran/dbt_zendesk (v1.6.1)")
    parser.add_argument("--deps", type=Path, help="folder holding checkouts of fivetran_utils, dbt_utils, spark_utils")
    for name in DEPENDENCIES:
        parser.add_argument(f"--{name.replace('_', '-')}", type=Path, help=f"checkout of {name} (overrides --deps)")
    parser.add_argument("--data", type=Path, help="folder of Fivetran-shaped Zendesk CSVs (else one is generated)")
    parser.add_argument("--tickets", type=int, default=10_000, help="tickets to generate (without --data)")
    parser.add_argument("--seed", type=int, help="generator seed (default: the generator's)")
    parser.add_argument("--as-of", help="freeze dbt_zendesk's clock here (default: max ticket._fivetran_synced)")
    parser.add_argument("--work", type=Path, help="scratch folder outside the repository (default: a new temp dir)")
    parser.add_argument(
        "--dbt-command",
        choices=("build", "run"),
        default="build",
        help="build: models and their tests (default); run: models only",
    )
    parser.add_argument("--out", type=Path, help="CSV of the extracted per-ticket dbt_zendesk measures")
    parser.add_argument("--their-metrics", type=Path, help="skip stages 1–3: a CSV written by an earlier run")
    parser.add_argument("--our-fct-tickets", type=Path, help="DuckDB file with table fct_tickets, or a CSV of it")
    args = parser.parse_args(argv)
    if args.their_metrics:
        theirs = read_rows(args.their_metrics)
    elif args.dbt_zendesk:
        theirs = run_dbt_zendesk(args)
    else:
        parser.error("pass --dbt-zendesk (to run it) or --their-metrics (an earlier run's CSV)")
    if args.our_fct_tickets:
        results, presence = compare(theirs, read_rows(args.our_fct_tickets))
        print(format_report(results, presence))
    return 0


if __name__ == "__main__":
    sys.exit(main())
