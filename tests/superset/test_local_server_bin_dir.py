"""A LocalSuperset run from another virtualenv (scripts/superset_compat.py): its executables, its PYTHONPATH and
the initialization stamp of the release that really serves. No Superset starts here."""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from support_kpis.errors import UserError
from support_kpis.superset.local_server import LocalSuperset, _executable


def _fake_venv_bin(folder: Path, superset_version: str) -> Path:
    """A bin folder whose `python` answers the version query the way that virtualenv's interpreter would."""
    folder.mkdir()
    python = folder / "python"
    python.write_text(f"#!/bin/sh\necho {superset_version}\n", encoding="utf-8")
    python.chmod(0o755)
    return folder


def test_executables_come_from_bin_dir_when_given(tmp_path: Path) -> None:
    assert _executable("gunicorn", tmp_path) == str(tmp_path / "gunicorn")
    beside_this_python = Path(sys.executable).with_name("superset")
    assert _executable("superset") == (str(beside_this_python) if beside_this_python.exists() else "superset")


def test_import_path_goes_first_on_pythonpath(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", "/already/there")
    server = LocalSuperset(tmp_path / "home", import_path=(tmp_path / "a", tmp_path / "b"))
    assert server.environment()["PYTHONPATH"] == f"{tmp_path / 'a'}:{tmp_path / 'b'}:/already/there"
    monkeypatch.delenv("PYTHONPATH")
    assert server.environment()["PYTHONPATH"] == f"{tmp_path / 'a'}:{tmp_path / 'b'}"
    assert "PYTHONPATH" not in LocalSuperset(tmp_path / "home").environment()


def test_the_release_is_asked_of_the_bin_dirs_python(tmp_path: Path) -> None:
    # initialize() names its stamp with this release, so a home set up by 4.1 is set up again for 5.0.
    server = LocalSuperset(tmp_path / "home", bin_dir=_fake_venv_bin(tmp_path / "bin", "4.1.4"))
    assert server.superset_version() == "4.1.4"
    assert LocalSuperset(tmp_path / "other").superset_version() == version("apache-superset")


def test_a_bin_dir_without_superset_is_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UserError, match="no Python in"):
        LocalSuperset(tmp_path / "home", bin_dir=empty).superset_version()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text("#!/bin/sh\necho 'PackageNotFoundError: apache-superset' >&2\nexit 1\n", encoding="utf-8")
    python.chmod(0o755)
    with pytest.raises(UserError, match=r"no apache-superset beside .*PackageNotFoundError"):
        LocalSuperset(tmp_path / "home", bin_dir=bin_dir).superset_version()
