"""A write the operating system refuses (disk full, file size limit) is one line; the warehouse stays as it was.

Both failures are real and need no privileges: the write-ahead log is a symlink to /dev/full, on which every write
fails with ENOSPC; or the CLI runs under RLIMIT_FSIZE, past which every write fails with EFBIG.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest

from support_kpis.cli import main
from tests.reliability.loader_inputs import folder_with, snapshot
from tests.reliability.reliability_cli import error_lines, load, with_file_size_limit


@pytest.fixture(scope="module")
def bigger_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("disk-full") / "data"
    assert main(["generate", "--tickets", "300", "--seed", "3", "--out", str(folder)]) == 0
    return folder


def _loaded_warehouse(tmp_path: Path) -> Path:
    warehouse = tmp_path / "w.duckdb"
    first = load(folder_with(tmp_path / "first"), warehouse)
    assert first.returncode == 0, first.stderr
    return warehouse


def _settled_snapshot(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    # A read-write open replays whatever the write-ahead log holds: what a later session would see.
    duckdb.connect(str(warehouse)).close()
    return snapshot(warehouse)


def _assert_one_line(result: subprocess.CompletedProcess[str], warehouse: Path, reason: str) -> None:
    assert result.returncode == 2
    (line,) = error_lines(result)
    assert line.startswith(f"support-kpis load: error: cannot write the warehouse {warehouse}: {reason}")
    assert line.endswith("it is left as it was")
    assert "cannot rollback" not in result.stderr


def test_disk_full_at_commit_is_one_line_and_keeps_the_warehouse(tmp_path: Path, bigger_data: Path) -> None:
    warehouse = _loaded_warehouse(tmp_path)
    before = snapshot(warehouse)
    wal = Path(f"{warehouse}.wal")
    wal.symlink_to("/dev/full")
    result = load(bigger_data, warehouse)
    _assert_one_line(result, warehouse, "No space left on device")
    wal.unlink()  # space is freed
    assert _settled_snapshot(warehouse) == before
    # And the warehouse takes the next load.
    assert load(bigger_data, warehouse).returncode == 0
    assert snapshot(warehouse)["raw.tickets"] != before["raw.tickets"]


def test_a_file_size_limit_is_one_line_and_keeps_the_warehouse(tmp_path: Path, bigger_data: Path) -> None:
    warehouse = _loaded_warehouse(tmp_path)
    before = snapshot(warehouse)
    # Below the file's current size: the first block written to the end of the warehouse fails.
    limit = warehouse.stat().st_size // 2
    result = load(bigger_data, warehouse, preexec=with_file_size_limit(limit))
    _assert_one_line(result, warehouse, "File too large")
    assert _settled_snapshot(warehouse) == before
