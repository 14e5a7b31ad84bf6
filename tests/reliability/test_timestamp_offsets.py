"""Offsets beyond ±14:00, or with minutes over 59, are no instant: in files, on the command line, in dbt vars."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from support_kpis.dbt_runner import run_dbt
from support_kpis.errors import UserError
from support_kpis.instants import parse_instant
from support_kpis.loading import load_folder
from tests.reliability.loader_inputs import GOOD_TICKET, folder_with, header, records, rows
from tests.reliability.reliability_cli import error_lines, plain_dbt, run_cli

# text -> the UTC instant (None: not an instant)
OFFSETS: dict[str, datetime | None] = {
    "2026-03-01T12:00:00+14:00": datetime(2026, 2, 28, 22, 0),  # Kiribati, the widest offset in use
    "2026-03-01T12:00:00-12:00": datetime(2026, 3, 2, 0, 0),
    "2026-03-01T12:00:00+05:45": datetime(2026, 3, 1, 6, 15),
    "2026-03-01T12:00:00-0930": datetime(2026, 3, 1, 21, 30),
    "2026-03-01T12:00:00+13": datetime(2026, 2, 28, 23, 0),
    "2026-03-01T12:00:00+25:00": None,
    "2026-03-01T12:00:00+14:01": None,
    "2026-03-01T12:00:00-15:00": None,
    "2026-03-01T12:00:00+05:60": None,
    "2026-03-01T12:00:00+0599": None,
    "2026-03-01T12:00:00+99": None,
}


def test_the_loader_accepts_exactly_the_real_offsets(tmp_path: Path) -> None:
    texts = list(OFFSETS)
    tickets = [{**GOOD_TICKET, "ticket_id": f"T{i}", "created_at": text} for i, text in enumerate(texts)]
    warehouse = tmp_path / "w.duckdb"
    load_folder(
        folder_with(tmp_path / "data", **{"tickets.csv": header("tickets") + records("tickets", tickets)}), warehouse
    )
    loaded = dict(rows(warehouse, "select ticket_id, created_at from raw.tickets"))
    quarantined = dict(rows(warehouse, "select ticket_id, _rules from quarantine.tickets"))
    for i, text in enumerate(texts):
        if OFFSETS[text] is None:
            assert quarantined.get(f"T{i}") == "unparseable_timestamp(created_at)", text
        else:
            assert loaded.get(f"T{i}") == OFFSETS[text], text
    message = rows(warehouse, "select _message from quarantine.tickets where created_at like '%+25:00'")[0][0]
    assert "offsets within ±14:00" in message


@pytest.mark.parametrize("text", list(OFFSETS))
def test_python_reads_instants_as_the_loader_does(text: str) -> None:
    expected = OFFSETS[text]
    if expected is None:
        with pytest.raises(ValueError, match="offsets within ±14:00"):
            parse_instant(text)
    else:
        assert parse_instant(text) == expected


def test_cli_as_of_with_an_impossible_offset_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("validate", "--data", str(tmp_path), "--as-of", "2026-03-01T00:00:00+25:00")
    assert result.returncode == 2
    (line,) = error_lines(result)
    assert "--as-of" in line and "+25:00" in line


def test_the_as_of_var_refuses_an_impossible_offset(tmp_path: Path) -> None:
    """Through the CLI the var is checked before dbt starts; dbt run directly refuses it while compiling."""
    with pytest.raises(UserError, match=r"as_of = \"2026-03-31T22:30:00\+25:00\".*offsets within ±14:00"):
        run_dbt(["compile"], warehouse=tmp_path / "w.duckdb", dbt_vars={"as_of": "2026-03-31T22:30:00+25:00"})

    def compile_with(as_of: str) -> subprocess.CompletedProcess[str]:
        vars_text = json.dumps({"as_of": as_of})
        selection = ("--select", "int_reporting_bounds_computed")
        return plain_dbt(tmp_path / "w.duckdb", tmp_path / "target", "compile", *selection, "--vars", vars_text)

    assert compile_with("2026-03-31T22:30:00+14:00").returncode == 0
    refused = compile_with("2026-03-31T22:30:00+25:00")
    assert refused.returncode != 0 and "Traceback" not in refused.stdout + refused.stderr
    assert "'2026-03-31T22:30:00+25:00' is no instant: an offset is within +-14:00" in refused.stdout
