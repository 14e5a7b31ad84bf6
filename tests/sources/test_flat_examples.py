"""The shipped examples (docs/flat-exports.md): Freshdesk's ticket export and Jira Service Management's issue
export load with their mapping through the CLI (`load --source flat DIR`) and build with `source: flat`. Counts are
checked against the export files read independently here with Python's csv and datetime modules."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from support_kpis.cli import main as cli
from support_kpis.dbt_runner import run_dbt
from support_kpis.settings import PROJECT_ROOT, published_path
from tests.warehouses import query

pytestmark = pytest.mark.slow

EXAMPLES = PROJECT_ROOT / "examples" / "flat"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _build(example: str, work: Path) -> Path:
    warehouse = work / f"{example}.duckdb"
    assert cli(["load", "--source", "flat", str(EXAMPLES / example), "--warehouse", str(warehouse)]) == 0
    run_dbt(["build"], warehouse=warehouse, dbt_vars={"source": "flat"}, target_dir=work / "target", quiet=True)
    return warehouse


def test_the_build_command_builds_the_last_load_with_source_flat(tmp_path: Path) -> None:
    warehouse = tmp_path / "freshdesk.duckdb"
    mapping = EXAMPLES / "freshdesk" / "mapping.yml"
    export = EXAMPLES / "freshdesk" / "tickets.csv"
    assert cli(["load", "--mapping", str(mapping), str(export), "--warehouse", str(warehouse)]) == 0
    # Its loader checked every row: validate has nothing more to check (raw.* are empty by design) and passes.
    assert cli(["validate", "--warehouse", str(warehouse), "--report-dir", str(tmp_path / "validation")]) == 0
    # No --vars: build takes the source from the last load.
    assert cli(["build", "--warehouse", str(warehouse)]) == 0
    # The published file (what Superset reads) holds the flat export's tickets.
    published = published_path(warehouse)
    assert query(published, "select count(*) from fct_tickets") == query(
        warehouse, "select count(*) from flat.tickets_export"
    )


def _total(warehouse: Path, kpi_id: str) -> tuple[float, int]:
    (row,) = query(
        warehouse,
        "select sum(numerator), sum(sample_size) from kpi_values where kpi_id = ? and grain = 'month' "
        "and dimension = 'all'",
        [kpi_id],
    )
    return row


def test_freshdesk_example(tmp_path: Path) -> None:
    rows = _rows(EXAMPLES / "freshdesk" / "tickets.csv")
    fmt = "%Y-%m-%d %H:%M:%S"

    def contradicts(row: dict[str, str]) -> bool:
        created = datetime.strptime(row["Created time"], fmt)
        later = [row[c] for c in ("Initial response time", "Resolved time", "Closed time") if row[c]]
        return any(datetime.strptime(t, fmt) < created for t in later)

    kept = [r for r in rows if not contradicts(r)]
    assert len(rows) - len(kept) == 1  # the example shows one quarantined row
    warehouse = _build("freshdesk", tmp_path)
    assert query(warehouse, "select count(*) from quarantine.tickets_export") == [(1,)]
    assert _total(warehouse, "tickets_created")[1] == len(kept)
    solved = [r for r in kept if r["Resolved time"] or r["Closed time"]]
    assert _total(warehouse, "tickets_solved")[1] == len(solved)
    rated = [r for r in kept if r["Survey results"]]
    # Satisfied: a normalized score >= 0.75 on 1..5, i.e. 4 or 5: "Extremely happy", "Very happy".
    satisfied = [r for r in rated if r["Survey results"] in ("Extremely happy", "Very happy")]
    assert _total(warehouse, "csat_pct") == (len(satisfied), len(rated))


def test_jira_service_management_example(tmp_path: Path) -> None:
    rows = _rows(EXAMPLES / "jira_service_management" / "issues.csv")
    warehouse = _build("jira_service_management", tmp_path)
    assert _total(warehouse, "tickets_created")[1] == len(rows)
    answered = [r for r in rows if r["Custom field ([CHART] Date of First Response)"]]
    assert _total(warehouse, "first_response_time_median_minutes")[1] == len(answered)

    # Nothing after the as-of time exists: the latest creation, first response or solve (all BST, one offset).
    def instant(text: str) -> datetime:
        return datetime.strptime(text, "%d/%b/%y %I:%M %p")

    stamps = ("Created", "Custom field ([CHART] Date of First Response)", "Resolved")
    as_of = max(instant(r[c]) for r in rows for c in stamps if r[c])
    rated = [r for r in rows if r["Satisfaction rating"] and instant(r["Custom field (Satisfaction date)"]) <= as_of]
    satisfied = [r for r in rated if int(r["Satisfaction rating"]) >= 4]
    assert _total(warehouse, "csat_pct") == (len(satisfied), len(rated))
    # Every request came through the portal (constants.channel: web).
    assert query(warehouse, "select distinct channel from staging.stg_tickets") == [("web",)]
