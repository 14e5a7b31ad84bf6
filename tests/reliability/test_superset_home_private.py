"""The local Superset's home (secret key, metadata DB with password hashes, log) is readable by its owner only.

Each test sets the usual umask 0o022 itself: a file created with default modes would
then be world-readable, so these tests see it whatever umask the test run has.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from support_kpis.superset.local_server import CONFIG_FILE, LOG_FILE, METADATA_DB, LocalSuperset, create_private_file
from tests.superset.server import RunningSuperset


@pytest.fixture
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _open_to_others(folder: Path) -> list[str]:
    """Every entry under `folder` (itself included) that group or others may read, write or enter."""
    entries = [folder, *folder.rglob("*")]
    return [
        f"{path.relative_to(folder.parent)} {stat.S_IMODE(path.lstat().st_mode):o}"
        for path in entries
        if not path.is_symlink() and path.lstat().st_mode & 0o077
    ]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("usual_umask")
def test_a_new_home_is_private_from_the_start(tmp_path: Path) -> None:
    server = LocalSuperset(tmp_path / "nested" / ".superset")
    server.prepare_home()
    assert _mode(server.home) == 0o700
    assert {path.name: _mode(path) for path in server.home.iterdir()} == {
        CONFIG_FILE: 0o600,
        METADATA_DB: 0o600,
        LOG_FILE: 0o600,
    }
    # The metadata DB is created empty (SQLite takes that as a new database) so that SQLite never creates it.
    assert server.metadata_path.stat().st_size == 0
    key = server.secret_key()
    server.prepare_home()
    assert server.secret_key() == key, "a second run must keep the secret key"


@pytest.mark.usefixtures("usual_umask")
def test_a_private_file_is_never_created_over_an_existing_one_nor_through_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("someone else's", encoding="utf-8")
    planted = tmp_path / "superset_config.py"
    planted.symlink_to(target)
    assert create_private_file(planted, b"SECRET_KEY = 'x'") is False
    assert target.read_text(encoding="utf-8") == "someone else's"
    fresh = tmp_path / "fresh"
    assert create_private_file(fresh, b"content") is True
    assert _mode(fresh) == 0o600 and fresh.read_bytes() == b"content"


@pytest.mark.usefixtures("usual_umask")
def test_a_home_left_readable_by_an_older_version_is_made_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / ".superset"
    home.mkdir(mode=0o755)
    (home / CONFIG_FILE).write_text("SECRET_KEY = 'kept-from-before'\n", encoding="utf-8")
    (home / METADATA_DB).write_bytes(b"")
    (home / LOG_FILE).write_text("old log\n", encoding="utf-8")
    (home / "__pycache__").mkdir()
    (home / "__pycache__" / "superset_config.cpython-311.pyc").write_bytes(b"kept-from-before")
    assert len(_open_to_others(home)) == 6  # what the old version left: 0755 folders, 0644 files
    server = LocalSuperset(home)
    server.prepare_home()
    assert _open_to_others(home) == []
    assert _mode(home) == 0o700 and _mode(home / CONFIG_FILE) == 0o600
    assert server.secret_key() == "kept-from-before"
    assert (home / LOG_FILE).read_text(encoding="utf-8") == "old log\n"
    note = capsys.readouterr().err
    assert note.strip().startswith("made .superset, .superset/__pycache__, ") and "and 1 more private" in note


def test_the_running_superset_wrote_nothing_others_can_read(superset_server: RunningSuperset) -> None:
    """The session's Superset: set up (db upgrade, create-admin, init) and served from a fresh home under
    umask 0o022 (see tests/superset/server.py), and queried by the other tests by now."""
    home = superset_server.home
    names = {path.name for path in home.iterdir()}
    assert {CONFIG_FILE, METADATA_DB, LOG_FILE} <= names
    assert (home / METADATA_DB).stat().st_size > 0 and (home / LOG_FILE).stat().st_size > 0
    assert _open_to_others(home) == []
