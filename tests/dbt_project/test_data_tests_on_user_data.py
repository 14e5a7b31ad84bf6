"""dbt's tests where data enters dbt, on user data: messy but legal input passes them, and a broken key fails the
build clearly.

The loader removes duplicate keys and the validation gate sets orphan events aside, so on raw data that went
through them every primary-key test passes; a duplicate key in staging can only be a bug, and it stops the build.
References warn: they may legally point outside the export, and an orphan event (the gate skipped) is left out by
the models.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from support_kpis.dbt_runner import run_dbt
from support_kpis.errors import UserError
from support_kpis.loading import load_folder

pytestmark = pytest.mark.slow


def _append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.DictWriter(handle, fieldnames=header).writerows(rows)


def _first_row(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.DictReader(handle))


def _statuses(target: Path) -> dict[str, str]:
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {result["unique_id"].split(".")[2]: result["status"] for result in results}


def test_messy_but_legal_input_passes_every_key_test_and_warns_on_references(sample_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(sample_data, data)
    ticket = _first_row(data / "tickets.csv")
    # An incremental export: an older version of a ticket, and an exact copy of it.
    _append_rows(data / "tickets.csv", [{**ticket, "updated_at": ticket["created_at"], "status": "open"}, ticket])
    event = _first_row(data / "ticket_events.csv")
    _append_rows(data / "ticket_events.csv", [{**event, "event_id": "E-ORPHAN", "ticket_id": "T-NOT-EXPORTED"}])
    survey = _first_row(data / "surveys.csv")
    _append_rows(data / "surveys.csv", [{**survey, "response_id": "S-OLD", "ticket_id": "T-NOT-EXPORTED"}])
    warehouse = tmp_path / "warehouse.duckdb"
    load_folder(data, warehouse)
    target = tmp_path / "target"

    run_dbt(["build", "--select", "path:models/staging"], warehouse=warehouse, target_dir=target, quiet=True)

    statuses = _statuses(target)
    key_tests = {name: s for name, s in statuses.items() if name.startswith(("unique", "not_null"))}
    assert len(key_tests) > 20 and set(key_tests.values()) == {"pass"}, key_tests
    warned = sorted(name for name, status in statuses.items() if status == "warn")
    assert len(warned) == 2, warned
    assert warned[0].startswith("relationships_stg_surveys_ticket_id")
    assert warned[1].startswith("relationships_stg_ticket_events_ticket_id")


def test_a_duplicate_key_that_reaches_dbt_fails_the_build_and_skips_what_reads_it(
    sample_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy2(sample_warehouse, warehouse)
    # Written past the loader, as a loader bug would.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into raw.tickets select * from raw.tickets order by ticket_id limit 1")
    target = tmp_path / "target"

    with pytest.raises(UserError, match="its output above names the model or test"):
        run_dbt(
            ["build", "--select", "stg_tickets int_ticket_events_sequenced"],
            warehouse=warehouse,
            target_dir=target,
            quiet=True,
        )

    assert "Failure in test unique_stg_tickets_ticket_id" in capsys.readouterr().err
    statuses = _statuses(target)
    assert statuses["unique_stg_tickets_ticket_id"] == "fail"
    assert statuses["int_ticket_events_sequenced"] == "skipped"
