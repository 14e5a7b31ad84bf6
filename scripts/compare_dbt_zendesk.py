"""Run Fivetran's dbt_zendesk on a Zendesk-shaped folder and compare it ticket by ticket with our `fct_tickets`.

Not part of CI (CI has no dbt_zendesk). Stages:

1. data: take a folder of Fivetran-shaped Zendesk tables (`--data DIR`) or generate one
   (`support-kpis generate --source zendesk --tickets N --out DIR`);
2. dbt_zendesk: a scratch dbt project OUTSIDE this repository (a fresh temporary folder unless `--work DIR`) gets
   copies of the dbt_zendesk checkout and its dependency checkouts (fivetran_utils, dbt_utils, spark_utils) as
   `local:` packages, two shim macros, and a DuckDB file whose schema `zendesk` holds the CSVs; then
   `dbt build --select +zendesk__ticket_metrics` (models and their tests) is timed and its staging and output row
   counts are checked (dbt_zendesk builds EMPTY staging tables, with only a warning, when a source table is missing);
3. extract: one row per ticket from `zendesk__ticket_metrics` (first reply calendar/business minutes, final
   resolution minutes, reopens, public agent comments, one-touch flag) plus facts from the raw tables that scope and
   classify (deleted flags, whose the first public comment is, DST week, schedule-spine start) →
   `dbt_zendesk_ticket_metrics.csv`;
4. ours: unless `--our-fct-tickets PATH` (a DuckDB file with table `fct_tickets` or a CSV of it) or `--skip-ours`,
   the same tables go to a fresh warehouse (support_kpis/loading/zendesk_tables.py) and the full `dbt build` runs
   with `{source: zendesk, as_of: <dbt_zendesk's frozen clock>}`, timed (wall, peak RSS, load average);
5. compare: per measure, tickets compared, agreeing, differing, each kind of difference with its cause and up to 5
   example ticket ids, the tickets on one side only with the reason; `--output FILE` writes it as Markdown.

Tolerances: counts and flags must be equal. First reply minutes: dbt_zendesk rounds to 4 decimals
(zendesk__ticket_metrics.sql l.53, l.155), ours is rounded the same way and must then be within 1e-6. Final
resolution: dbt_zendesk's `datediff('minute', created_at, last_solved_at)` counts minute boundaries crossed
(10:00:59 → 10:01:00 is 1), so ours is counted the same way from `fct_tickets.created_at`/`last_resolved_at` and
must be equal (our exact `full_resolution_hours × 60` differs from it by less than a minute).

First reply times are compared on customer-initiated tickets only (the first public comment is the requester's):
dbt_zendesk measures an agent-created ticket from creation to its first agent comment; we leave such tickets out
of every response-time KPI.

Versions that ran (see BENCHMARKS.md): dbt_zendesk v1.6.1, fivetran_utils v0.4.10, dbt_utils 1.3.0, spark_utils 0.3.3.

    python scripts/compare_dbt_zendesk.py --dbt-zendesk /scratch/pkgs/dbt_zendesk --deps /scratch/pkgs \
        --tickets 10000 --seed 11 --work /scratch/zcmp10k --output /scratch/zcmp10k/comparison.md
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
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
TOLERANCE = 1e-6
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
    kind: str  # "minutes": their 4-decimal rounding; "minute boundaries": dbt datediff('minute'); "exact"
    scope: Callable[[Mapping, Mapping], bool] = lambda theirs, ours: True  # which tickets take part
    cause: Callable[[Mapping, Mapping], str | None] = lambda theirs, ours: None  # why a ticket differs


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


def _instant(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _is_agent_initiated(ours: Mapping) -> bool:
    return bool(_flag(ours.get("is_agent_initiated")))


def _customer_initiated(theirs: Mapping, ours: Mapping) -> bool:
    """The ticket's first public comment is the requester's: from the raw tables when the extraction gave it (column
    `is_requester_first_public`), else from our `is_agent_initiated`."""
    raw = _flag(theirs.get("is_requester_first_public"))
    return raw if raw is not None else not _is_agent_initiated(ours)


def _resolved_now(ours: Mapping) -> bool:
    return str(ours.get("status_at_as_of") or ours.get("status") or "").lower() in ("solved", "closed")


def _our_one_touch(ours: Mapping) -> bool:
    return _resolved_now(ours) and _number(ours.get("public_agent_reply_count")) == 1


def _our_full_resolution_minutes(ours: Mapping) -> float | None:
    hours = _number(ours.get("full_resolution_hours"))
    return None if hours is None else hours * 60


def _our_resolution_minute_boundaries(ours: Mapping) -> float | None:
    """Our created → last resolved interval counted as dbt's `datediff('minute', …)` counts it on DuckDB and Postgres:
    minute boundaries crossed (10:00:59 → 10:01:00 is 1). Falls back to exact minutes without the two instants."""
    created, resolved = _instant(ours.get("created_at")), _instant(ours.get("last_resolved_at"))
    if _our_full_resolution_minutes(ours) is None:
        return None
    if created is None or resolved is None:
        return _our_full_resolution_minutes(ours)
    return float(
        (resolved.replace(second=0, microsecond=0) - created.replace(second=0, microsecond=0)).total_seconds() // 60
    )


def _reopened_not_resolved(theirs: Mapping, ours: Mapping) -> str | None:
    if not _resolved_now(ours) and (_number(ours.get("solve_count")) or 0) > 0:
        return "reopened and not re-solved at the as-of"
    return None


def _never_solved(theirs: Mapping, ours: Mapping) -> str | None:
    if _number(theirs.get("count_resolutions")) is None and not _number(ours.get("solve_count")):
        return "never solved"
    return _reopened_not_resolved(theirs, ours)


def _business_cause(theirs: Mapping, ours: Mapping) -> str | None:
    causes = []
    if _flag(theirs.get("frt_in_dst_week")):
        causes.append("interval in the week (Sunday 00:00 UTC) before a DST change of the schedule's zone")
    if _flag(theirs.get("frt_reply_on_spine_start")):
        causes.append("first reply on the Sunday (UTC) a dbt_zendesk schedule-spine version starts")
    return " + ".join(causes) or None


MEASURES = (
    Measure(
        "first reply time, calendar minutes (customer-initiated)",
        lambda t: _number(t.get("first_reply_time_calendar_minutes")),
        lambda o: _number(o.get("first_response_minutes")),
        kind="minutes",
        scope=_customer_initiated,
    ),
    Measure(
        "first reply time, business minutes (customer-initiated)",
        lambda t: _number(t.get("first_reply_time_business_minutes")),
        lambda o: _number(o.get("business_first_response_minutes")),
        kind="minutes",
        scope=_customer_initiated,
        cause=_business_cause,
    ),
    Measure(
        "final resolution, calendar minutes",
        lambda t: _number(t.get("final_resolution_calendar_minutes")),
        _our_resolution_minute_boundaries,
        kind="exact",
        cause=_reopened_not_resolved,
    ),
    Measure(
        "reopens",
        lambda t: _number(t.get("count_reopens")),
        lambda o: _number(o.get("reopen_count")),
        kind="exact",
        cause=_never_solved,
    ),
    Measure(
        "public agent replies",
        lambda t: _number(t.get("count_public_agent_comments")),
        lambda o: _number(o.get("public_agent_reply_count")),
        kind="exact",
    ),
    Measure(
        "one-touch resolution",
        lambda t: _flag(t.get("is_one_touch_resolution")),
        _our_one_touch,
        kind="exact",
    ),
)


def _kind(theirs: object, ours: object, kind: str) -> str | None:
    """None when the two agree, else the direction of the difference.

    "minutes": dbt_zendesk rounds to 4 decimals (zendesk__ticket_metrics.sql l.53, l.155), so ours is rounded the
    same way and then must be within 1e-6. Counts, flags and minute-boundary counts must be equal."""
    if theirs is None and ours is None:
        return None
    if theirs is None:
        return "null in dbt_zendesk only"
    if ours is None:
        return "null in support-kpis only"
    if isinstance(theirs, bool) or isinstance(ours, bool):
        return None if bool(theirs) == bool(ours) else f"dbt_zendesk {bool(theirs)}, support-kpis {bool(ours)}"
    mine, their = float(ours), float(theirs)  # type: ignore[arg-type]
    if kind == "minutes":
        mine = round(mine, 4)
    if abs(mine - their) <= TOLERANCE:
        return None
    return "support-kpis higher" if mine > their else "support-kpis lower"


def _sort_key(ticket_id: str) -> tuple[int, object]:
    return (0, int(ticket_id)) if ticket_id.isdigit() else (1, ticket_id)


def _presence_reason(row: Mapping, side: str) -> str:
    if side == "only in dbt_zendesk":
        if str(row.get("status") or "").lower() == "deleted":
            return "status deleted"
        if _flag(row.get("_fivetran_deleted")):
            return "_fivetran_deleted"
        return "not in fct_tickets"
    return "not in zendesk__ticket_metrics"


def compare(
    theirs: Iterable[Mapping], ours: Iterable[Mapping], measures: Iterable[Measure] = MEASURES
) -> tuple[list[MeasureResult], dict[str, dict[str, list[str]]]]:
    """Compare per ticket. Rows are mappings with a `ticket_id` (compared as text: Zendesk ids are integers, ours text).

    Returns one result per measure over the tickets in both tables (and in the measure's scope), each difference
    keyed "<direction>" or "<direction> — <cause>", and the ticket ids present on one side only, by reason ("only in
    dbt_zendesk": deleted tickets, which we leave out; "only in support-kpis": tickets dbt_zendesk drops, e.g. when
    their requester or submitter has no user row)."""
    missing: dict[str, str] = {}  # tickets the extraction found missing from zendesk__ticket_metrics, with the reason
    their_rows = {}
    for row in theirs:
        if row.get("missing_reason"):
            missing[str(row["ticket_id"])] = str(row["missing_reason"])
        else:
            their_rows[str(row["ticket_id"])] = row
    our_rows = {str(row["ticket_id"]): row for row in ours}
    common = sorted(their_rows.keys() & our_rows.keys(), key=_sort_key)
    presence: dict[str, dict[str, list[str]]] = {"only in dbt_zendesk": {}, "only in support-kpis": {}}
    for side, rows, ids in (
        ("only in dbt_zendesk", their_rows, their_rows.keys() - our_rows.keys()),
        ("only in support-kpis", our_rows, our_rows.keys() - their_rows.keys()),
    ):
        for ticket_id in sorted(ids, key=_sort_key):
            reason = missing.get(ticket_id) or _presence_reason(rows[ticket_id], side)
            presence[side].setdefault(reason, []).append(ticket_id)
    results = []
    for measure in measures:
        result = MeasureResult(measure.name)
        for ticket_id in common:
            their, mine = their_rows[ticket_id], our_rows[ticket_id]
            if not measure.scope(their, mine):
                continue
            result.compared += 1
            kind = _kind(measure.theirs(their), measure.ours(mine), measure.kind)
            if kind is None:
                result.agreeing += 1
                continue
            cause = measure.cause(their, mine)
            result.differences.setdefault(f"{kind} — {cause}" if cause else kind, []).append(ticket_id)
        results.append(result)
    return results, presence


def exact_resolution_gap(theirs: Iterable[Mapping], ours: Iterable[Mapping]) -> tuple[int, float]:
    """Tickets with a final resolution on both sides, and the largest |our exact minutes − theirs|: what comparing
    at dbt's minute-boundary count hides (always under one minute when the two agree on the instants)."""
    their_rows = {str(row["ticket_id"]): row for row in theirs}
    gaps = []
    for row in ours:
        their = their_rows.get(str(row["ticket_id"]))
        mine = _our_full_resolution_minutes(row)
        value = _number(their.get("final_resolution_calendar_minutes")) if their else None
        if mine is not None and value is not None:
            gaps.append(abs(mine - value))
    return len(gaps), max(gaps, default=0.0)


def _examples(ids: list[str]) -> str:
    return f" (e.g. {', '.join(ids[:EXAMPLES])})" if ids else ""


def format_report(results: list[MeasureResult], presence: dict[str, dict[str, list[str]]]) -> str:
    lines = []
    for side, reasons in presence.items():
        lines.append(f"{side}: {sum(len(ids) for ids in reasons.values())}")
        for reason, ids in reasons.items():
            lines.append(f"  {reason}: {len(ids)}{_examples(ids)}")
    lines.append("")
    width = max(len(r.name) for r in results)
    lines.append(f"{'measure':<{width}}  {'compared':>8}  {'agreeing':>8}  {'differing':>9}")
    for r in results:
        lines.append(f"{r.name:<{width}}  {r.compared:>8}  {r.agreeing:>8}  {r.differing:>9}")
    for r in results:
        for kind, ids in sorted(r.differences.items()):
            lines.append(f"  {r.name} — {kind}: {len(ids)}{_examples(ids)}")
    return "\n".join(lines)


def format_markdown(results: list[MeasureResult], presence: dict[str, dict[str, list[str]]]) -> str:
    lines = ["| measure | tickets compared | agreeing | differing |", "|---|---:|---:|---:|"]
    lines += [f"| {r.name} | {r.compared} | {r.agreeing} | {r.differing} |" for r in results]
    for side, reasons in presence.items():
        total = sum(len(ids) for ids in reasons.values())
        detail = "; ".join(f"{reason}: {len(ids)}{_examples(ids)}" for reason, ids in reasons.items())
        lines.append(f"| {side}{' (' + detail + ')' if detail else ''} | {total} | | |")
    lines += ["", "| measure | kind of difference | tickets | examples |", "|---|---|---:|---|"]
    for r in results:
        for kind, ids in sorted(r.differences.items()):
            lines.append(f"| {r.name} | {kind} | {len(ids)} | {', '.join(ids[:EXAMPLES])} |")
    return "\n".join(lines) + "\n"


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


@dataclass(frozen=True)
class Timed:
    returncode: int
    output: str
    wall_seconds: float
    peak_rss_mib: float  # of this process and its waited-for children (dbt runs its threads in one process)
    load_average: str  # `uptime`'s three numbers when it started: the machine may be shared


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run_timed(command: list[str], cwd: Path, env: Mapping[str, str]) -> Timed:
    """Run a command to its end; wall time and peak RSS of that one child (os.wait4), not of earlier children."""
    load = _load_average()
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
    if process.stdout:
        process.stdout.close()
    return Timed(process.returncode, output, wall, usage.ru_maxrss / 1024, load)


def _dbt(project: Path, *args: str) -> Timed:
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "DBT_PROFILES_DIR": str(project), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return run_timed([str(dbt), *args], project, env)


def _relation(con, name: str) -> str:
    found = con.execute("select table_schema from information_schema.tables where table_name = ?", [name]).fetchall()
    if not found:
        raise SystemExit(f"dbt_zendesk built no {name}")
    return f'"{found[0][0]}"."{name}"'


def check_build(database: Path, loaded: dict[str, int]) -> dict[str, int]:
    """dbt_zendesk's staging row counts equal the loaded tables (else it silently read nothing); live tickets (status
    not `deleted`, not `_fivetran_deleted`) missing from zendesk__ticket_metrics are counted and warned about."""
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
        counts["live tickets"] = con.execute(
            f"""select count(*) from {ZENDESK_SCHEMA}.ticket
                where status <> 'deleted' and not coalesce(cast(_fivetran_deleted as boolean), false)"""
        ).fetchone()[0]
        missing = missing_tickets(con, metrics)
        if missing:
            # Not an error: the comparison lists them as "only in support-kpis" with the reason.
            print(
                f"warning: {len(missing)} live tickets are not in zendesk__ticket_metrics"
                f" (e.g. {', '.join(list(missing)[:EXAMPLES])}): {'; '.join(sorted(set(missing.values())))}"
            )
    if errors:
        raise SystemExit("dbt_zendesk build is incomplete:\n- " + "\n- ".join(errors))
    return counts


def missing_tickets(con, metrics: str) -> dict[str, str]:
    """Live tickets (status not `deleted`, not `_fivetran_deleted`) that zendesk__ticket_metrics lacks, with the
    reason: zendesk__ticket_enriched.sql (v1.6.1) inner-joins the requester (l.153) and the submitter (l.169) to
    `user`."""
    rows = con.execute(
        f"""select cast(t.id as varchar),
                case when t.requester_id not in (select id from {ZENDESK_SCHEMA}."user")
                        then 'requester has no user row (zendesk__ticket_enriched.sql l.153 inner join)'
                     when t.submitter_id is null or t.submitter_id not in (select id from {ZENDESK_SCHEMA}."user")
                        then 'submitter has no user row (zendesk__ticket_enriched.sql l.169 inner join)'
                     else 'not in zendesk__ticket_metrics' end
            from {ZENDESK_SCHEMA}.ticket t
            where t.status <> 'deleted' and not coalesce(cast(t._fivetran_deleted as boolean), false)
              and t.id not in (select ticket_id from {metrics})
            order by t.id"""
    ).fetchall()
    return dict(rows)


def extract(database: Path, out: Path) -> list[dict]:
    """One row per ticket of zendesk__ticket_metrics (and one with only `missing_reason` per live ticket it lacks),
    plus facts from the raw tables and their intermediate models that classify differences: `_fivetran_deleted`;
    `is_requester_first_public` (the first public comment, by `created` then `id`, is the requester's: the scope of
    first reply times); `frt_in_dst_week` (created → first reply overlaps the days from the Sunday 00:00 UTC of a DST
    change's week to the change, in the zone of the ticket's first schedule); `frt_reply_on_spine_start` (the first
    reply falls on the UTC date a version of that schedule's `int_zendesk__schedule_spine` starts)."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        columns = ", ".join(f"m.{column}" for column in THEIR_COLUMNS)
        metrics = _relation(con, "zendesk__ticket_metrics")
        ticket_schedules = _relation(con, "int_zendesk__ticket_schedules")
        spine = _relation(con, "int_zendesk__schedule_spine")
        cursor = con.execute(
            f"""
            with first_public as (
                select ticket_id, user_id,
                    row_number() over (partition by ticket_id order by created, id) as position
                from {ZENDESK_SCHEMA}.ticket_comment
                where cast(public as boolean)
            ),
            first_reply as (  -- int_zendesk__ticket_reply_times is ephemeral: back from the calendar minutes
                select ticket_id,
                    created_at + to_seconds(cast(round(first_reply_time_calendar_minutes * 60) as bigint)) as replied_at
                from {metrics}
            ),
            first_schedule as (
                select ticket_id, arg_min(schedule_id, schedule_created_at) as schedule_id
                from {ticket_schedules} group by ticket_id
            ),
            zone as (
                select distinct cast(id as varchar) as schedule_id, lower(time_zone) as time_zone
                from {ZENDESK_SCHEMA}.schedule
            ),
            transitions as (
                select lower(time_zone) as time_zone, daylight_start_utc as changed_at
                from {ZENDESK_SCHEMA}.daylight_time
                union all
                select lower(time_zone), daylight_end_utc from {ZENDESK_SCHEMA}.daylight_time
            ),
            facts as (
                select
                    t.id as ticket_id,
                    coalesce(cast(t._fivetran_deleted as boolean), false) as _fivetran_deleted,
                    coalesce(fp.user_id = t.requester_id, false) as is_requester_first_public,
                    exists (
                        select 1 from transitions d
                        where d.time_zone = z.time_zone
                          and t.created_at < d.changed_at
                          and r.replied_at >= cast(d.changed_at as date) - cast(dayofweek(d.changed_at) as integer)
                    ) as frt_in_dst_week,
                    exists (
                        select 1 from {spine} s
                        where cast(s.schedule_id as varchar) = cast(fs.schedule_id as varchar)
                          and cast(s.valid_from as date) = cast(r.replied_at as date)
                          and s.valid_from > timestamp '1970-01-01'
                    ) as frt_reply_on_spine_start
                from {ZENDESK_SCHEMA}.ticket t
                left join first_public fp on fp.ticket_id = t.id and fp.position = 1
                left join first_reply r on r.ticket_id = t.id
                left join first_schedule fs on fs.ticket_id = t.id
                left join zone z on z.schedule_id = cast(fs.schedule_id as varchar)
            )
            select cast(m.ticket_id as varchar) as ticket_id, m.status, {columns},
                f._fivetran_deleted, f.is_requester_first_public, f.frt_in_dst_week, f.frt_reply_on_spine_start
            from {metrics} m left join facts f on f.ticket_id = m.ticket_id
            order by m.ticket_id
            """
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        names.append("missing_reason")
        rows += [
            {"ticket_id": ticket_id, "missing_reason": why} for ticket_id, why in missing_tickets(con, metrics).items()
        ]
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _timing_line(what: str, run: Timed) -> str:
    passed = re.search(r"PASS=(\d+)", run.output)
    return (
        f"{what}: PASS={passed.group(1) if passed else '?'}, wall {run.wall_seconds:.1f} s,"
        f" peak RSS {run.peak_rss_mib:.0f} MiB, load average at start {run.load_average}"
    )


def prepare_data(args: argparse.Namespace, work: Path) -> Path:
    if args.data:
        return args.data.resolve()
    data = work / "data"
    if not (data / "ticket.csv").exists():
        command = [sys.executable, "-m", "support_kpis.cli", "generate", "--source", "zendesk"]
        command += ["--tickets", str(args.tickets), "--out", str(data)]
        command += ["--seed", str(args.seed)] if args.seed is not None else []
        subprocess.run(command, check=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    return data


def run_dbt_zendesk(args: argparse.Namespace, work: Path, data: Path) -> tuple[list[dict], str, Timed]:
    """Stages 2–3; returns the extracted rows, the frozen as-of and the timed build."""
    deps = args.deps.resolve() if args.deps else None
    theirs_dir = work / "dbt_zendesk"
    if theirs_dir.exists():
        shutil.rmtree(theirs_dir)
    project = write_project(
        theirs_dir,
        args.dbt_zendesk.resolve(),
        _find_dependency("fivetran_utils", deps, args.fivetran_utils),
        _find_dependency("dbt_utils", deps, args.dbt_utils),
        _find_dependency("spark_utils", deps, args.spark_utils),
    )
    database = theirs_dir / "warehouse.duckdb"
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
        raise SystemExit(f"dbt deps failed:\n{deps_run.output}")
    build = _dbt(project, args.dbt_command, "--select", "+zendesk__ticket_metrics", "--vars", variables)
    (theirs_dir / "dbt_run.log").write_text(build.output)
    if build.returncode:
        failures = [line for line in build.output.splitlines() if re.search(r"ERROR|Error|error", line)]
        failures_text = "\n".join(failures[-20:])
        raise SystemExit(f"dbt_zendesk {args.dbt_command} failed (log: {theirs_dir / 'dbt_run.log'}):\n{failures_text}")
    print(_timing_line(f"dbt_zendesk {args.dbt_command} +zendesk__ticket_metrics (as-of {as_of})", build))
    counts = check_build(database, loaded)
    print("row counts: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    out = args.out or work / "dbt_zendesk_ticket_metrics.csv"
    rows = extract(database, out)
    print(f"wrote {len(rows)} tickets to {out} (scratch project: {theirs_dir})")
    return rows, as_of, build


def build_ours(args: argparse.Namespace, work: Path, data: Path, as_of: str) -> tuple[Path, Timed]:
    """Ours on the same tables: the test loader writes them to schema `zendesk` of a fresh warehouse, then the full
    `dbt build` (every model and test of the project) with `source: zendesk` and the same as-of as dbt_zendesk's
    frozen clock."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from support_kpis.dbt_runner import dbt_command, dbt_environment
    from support_kpis.loading.zendesk_tables import load_zendesk_tables

    ours_dir = work / "support_kpis"
    if ours_dir.exists():
        shutil.rmtree(ours_dir)
    ours_dir.mkdir(parents=True)
    warehouse = ours_dir / "warehouse.duckdb"
    load_zendesk_tables(data, warehouse)
    dbt_vars = {"source": "zendesk", "as_of": as_of.replace(" ", "T")}
    env = {**dbt_environment(warehouse, ours_dir / "target"), "PYTHONPATH": str(REPO)}
    build = run_timed(dbt_command(["build"], dbt_vars=dbt_vars), REPO, env)
    (ours_dir / "dbt_build.log").write_text(build.output)
    if build.returncode:
        raise SystemExit(f"our dbt build failed (log: {ours_dir / 'dbt_build.log'})")
    print(_timing_line(f"support-kpis dbt build (source zendesk, as-of {as_of})", build))
    return warehouse, build


def timing_markdown(tickets: str, theirs: Timed | None, ours: Timed | None) -> str:
    lines = []
    for name, run in (("dbt_zendesk v1.6.1 (+zendesk__ticket_metrics)", theirs), ("support-kpis (dbt build)", ours)):
        if run:
            lines.append(
                f"| {name} | {tickets} | {run.wall_seconds:.1f} | {run.peak_rss_mib:.0f} | {run.load_average} |"
            )
    if not lines:
        return ""
    return "\n".join(
        [
            "| project | tickets | build wall (s) | peak RSS (MiB) | load average at start |",
            "|---|---:|---:|---:|---|",
            *lines,
        ]
    )


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
    parser.add_argument(
        "--our-fct-tickets",
        type=Path,
        help="DuckDB file with table fct_tickets, or a CSV of it (default with --dbt-zendesk: build ours on its data)",
    )
    parser.add_argument("--skip-ours", action="store_true", help="with --dbt-zendesk: do not build ours")
    parser.add_argument("--output", type=Path, help="write the comparison (and the timings) as Markdown here")
    args = parser.parse_args(argv)
    work = None
    theirs_run = ours_run = None
    if args.their_metrics:
        theirs = read_rows(args.their_metrics)
        as_of = args.as_of
    elif args.dbt_zendesk:
        work = _outside_repo(args.work) if args.work else Path(tempfile.mkdtemp(prefix="dbt_zendesk_compare_"))
        work.mkdir(parents=True, exist_ok=True)
        data = prepare_data(args, work)
        theirs, as_of, theirs_run = run_dbt_zendesk(args, work, data)
    else:
        parser.error("pass --dbt-zendesk (to run it) or --their-metrics (an earlier run's CSV)")
    ours_path = args.our_fct_tickets
    if ours_path is None and work is not None and not args.skip_ours:
        ours_path, ours_run = build_ours(args, work, data, as_of)
    if ours_path is None:
        return 0
    our_rows = read_rows(ours_path)
    results, presence = compare(theirs, our_rows)
    resolved, gap = exact_resolution_gap(theirs, our_rows)
    note = (
        f"final resolution, exact minutes (full_resolution_hours × 60) against dbt_zendesk's minute-boundary count:"
        f" {resolved} tickets, largest |difference| {gap:.4f} min"
    )
    print(format_report(results, presence))
    print(note)
    if args.output:
        tickets = str(len(theirs))
        text = f"# dbt_zendesk v1.6.1 vs support-kpis fct_tickets, {tickets} tickets, as-of {as_of}\n\n"
        text += format_markdown(results, presence) + f"\n{note}.\n"
        timing = timing_markdown(tickets, theirs_run, ours_run)
        text += f"\n{timing}\n" if timing else ""
        args.output.write_text(text)
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
