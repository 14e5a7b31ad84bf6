"""A mapping that cannot work is one clear line (mapping file, key, what is wrong, what is allowed), exit code 2,
and nothing is loaded: the warehouse is not even created."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support_kpis.settings import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "flat" / "freshdesk"


def _load(tmp_path: Path, mapping_text: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    mapping = tmp_path / "mapping.yml"
    mapping.write_text(mapping_text, encoding="utf-8")
    warehouse = tmp_path / "warehouse.duckdb"
    export = str(EXAMPLE / "tickets.csv")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "support_kpis.cli",
            "load",
            "--mapping",
            str(mapping),
            export,
            "--warehouse",
            str(warehouse),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return result, warehouse


def _example_with(old: str, new: str) -> str:
    text = (EXAMPLE / "mapping.yml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (
            "channel: Source\n",
            "channel: Source channel\n",
            "mapping.yml: columns.channel: column 'Source channel' is not in tickets.csv; "
            "its columns are 'Ticket ID', ",
        ),
        (
            "Urgent: urgent",
            "Urgent: critical",
            "mapping.yml: values.priority.Urgent: 'critical' is not a contract priority; "
            "allowed: low, normal, high, urgent",
        ),
        (
            "  status: Status\n",
            "  status: Status\n  sla: Due by Time\n",
            "mapping.yml: columns.sla: unknown field; allowed: ticket_id, created_at, first_response_at, ",
        ),
        (
            "  first_response_at: Initial response time\n",
            "",
            "mapping.yml: columns.first_response_at: missing; map it to the export column holding the first public "
            "agent reply",
        ),
        (
            "Happy: 3",
            "Happy: 7",
            "mapping.yml: survey.values.Happy: 7 is outside the survey scale; allowed: 1 to 5",
        ),
    ],
)
def test_a_bad_mapping_is_one_line_and_loads_nothing(tmp_path: Path, old: str, new: str, line: str) -> None:
    result, warehouse = _load(tmp_path, _example_with(old, new))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("support-kpis load: error: " + line), lines[0]
    assert "Traceback" not in result.stderr
    assert not warehouse.exists()
