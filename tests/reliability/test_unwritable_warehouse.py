"""A warehouse the user may not write, or whose folder cannot exist, is one clear line and a non-zero exit.

So is an input file the user may not read.

The CLI runs as an ordinary user would (see loader_cli.as_ordinary_user): permission bits stop it even in CI,
where the tests run as root.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from support_kpis.loading import load_folder
from tests.reliability.loader_inputs import folder_with, snapshot
from tests.reliability.reliability_cli import as_ordinary_user, error_lines, load


@pytest.fixture
def work() -> Iterator[Path]:
    # Not tmp_path: pytest's base folder is private to its owner, which would hide everything from an ordinary user
    # if the tests run as one.
    with tempfile.TemporaryDirectory(prefix="support-kpis-unwritable-") as folder:
        yield Path(folder)
        for path in Path(folder).rglob("*"):  # give write permission back so that the folder can be removed
            path.chmod(0o755 if path.is_dir() else 0o644)


def _data_and_warehouse(work: Path) -> tuple[Path, Path]:
    data = folder_with(work / "data")
    warehouse = work / "wh" / "w.duckdb"
    load_folder(data, warehouse)
    return data, warehouse


def test_a_read_only_warehouse_file(work: Path) -> None:
    data, warehouse = _data_and_warehouse(work)
    before = snapshot(warehouse)
    warehouse.chmod(0o444)
    result = load(data, warehouse, preexec=as_ordinary_user)
    assert result.returncode == 2
    (line,) = error_lines(result)
    assert line == f"support-kpis load: error: cannot write the warehouse {warehouse}: Permission denied"
    assert snapshot(warehouse) == before


def test_a_read_only_warehouse_folder(work: Path) -> None:
    # The file may be written but its folder takes no new file: DuckDB could not create its write-ahead log, and
    # the commit would fail at the very end of the load.
    data, warehouse = _data_and_warehouse(work)
    before = snapshot(warehouse)
    warehouse.parent.chmod(0o555)
    result = load(data, warehouse, preexec=as_ordinary_user)
    assert result.returncode == 2
    (line,) = error_lines(result)
    assert (
        line
        == f"support-kpis load: error: cannot write the warehouse {warehouse}: Permission denied in {warehouse.parent}"
    )
    assert "cannot rollback" not in result.stderr
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["w.duckdb"]
    assert snapshot(warehouse) == before


def test_a_warehouse_under_a_regular_file(work: Path) -> None:
    data = folder_with(work / "data")
    blocker = work / "reports"
    blocker.write_text("a file, not a folder")
    warehouse = blocker / "2026" / "w.duckdb"
    result = load(data, warehouse, preexec=as_ordinary_user)
    assert result.returncode == 2
    (line,) = error_lines(result)
    assert (
        line == f"support-kpis load: error: cannot write the warehouse {warehouse}: {blocker} is a file, not a folder"
    )
    assert blocker.read_text() == "a file, not a folder"


def test_a_warehouse_in_a_folder_that_cannot_be_created(work: Path) -> None:
    data = folder_with(work / "data")
    locked = work / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    warehouse = locked / "new" / "w.duckdb"
    result = load(data, warehouse, preexec=as_ordinary_user)
    assert result.returncode == 2
    (line,) = error_lines(result)
    assert line == (
        f"support-kpis load: error: cannot write the warehouse {warehouse}: cannot create {warehouse.parent}: "
        f"{os.strerror(13)}"
    )
    assert not warehouse.parent.exists()


def test_an_input_file_the_user_may_not_read(work: Path) -> None:
    data = folder_with(work / "data")
    (data / "tickets.csv").chmod(0o000)
    result = load(data, work / "w.duckdb", preexec=as_ordinary_user)
    assert result.returncode == 2
    (line,) = error_lines(result)
    assert line == "support-kpis load: error: tickets.csv: cannot read the file: Permission denied"
    assert not (work / "w.duckdb").exists()
