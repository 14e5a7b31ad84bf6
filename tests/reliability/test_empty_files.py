"""A 0-byte file of an optional table is taken as absent, with a note; of a required table it is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from support_kpis.loading import load_folder
from tests.reliability.loader_inputs import folder_with, rows
from tests.reliability.reliability_cli import error_lines, load


@pytest.mark.parametrize("name", ["agents.csv", "surveys.parquet"])
def test_an_empty_optional_file_is_absent(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    table = name.split(".")[0]
    warehouse = tmp_path / "w.duckdb"
    report = load_folder(folder_with(tmp_path / "data", **{name: b""}), warehouse)
    assert not report.table(table).is_present
    assert rows(warehouse, "select is_present, source_file from raw.table_inventory where table_name = ?", [table]) == [
        (False, None)
    ]
    assert rows(warehouse, "select count(*) from raw.tickets") == [(1,)]
    assert f"note: {name}: the file is empty (0 bytes), treated as absent" in capsys.readouterr().err.splitlines()


def test_cli_an_empty_optional_file_does_not_block_the_load(tmp_path: Path) -> None:
    result = load(folder_with(tmp_path / "data", **{"agents.csv": b""}), tmp_path / "w.duckdb")
    assert result.returncode == 0, result.stderr
    assert error_lines(result) == []
    assert "note: agents.csv: the file is empty (0 bytes), treated as absent" in result.stderr
    agents = next(line for line in result.stdout.splitlines() if line.startswith("agents "))
    assert agents.split()[:3] == ["agents", "(absent)", "0"]


@pytest.mark.parametrize("name", ["tickets.csv", "ticket_events.parquet"])
def test_cli_an_empty_required_file_is_one_error_line(tmp_path: Path, name: str) -> None:
    folder = folder_with(tmp_path / "data")
    if name.endswith(".parquet"):
        (folder / "ticket_events.csv").unlink()
    (folder / name).write_bytes(b"")
    result = load(folder, tmp_path / "w.duckdb")
    assert result.returncode == 2
    (line,) = error_lines(result)
    expected = "the file is empty (0 bytes); a table without rows still needs its header row"
    assert line == f"support-kpis load: error: {name}: {expected}"
    assert not (tmp_path / "w.duckdb").exists()
