"""Run dbt the way a user does (a child process in a project folder), on this project, a scratch copy of it, or a
project that installs it as a package; and make small raw warehouses for it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from support_kpis.cli import main as cli
from support_kpis.dbt_runner import dbt_executable
from support_kpis.loading import load_folder
from support_kpis.settings import PROJECT_ROOT

# What dbt reads of the project: everything else (Python, tests, assets) stays behind in a scratch copy.
DBT_PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
DBT_PROJECT_FOLDERS = ("models", "macros", "seeds", "tests/dbt", "analyses")


def dbt(
    project_dir: Path, *arguments: str, warehouse: Path | None = None, target_dir: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`dbt <arguments>` in `project_dir` with its own profiles.yml, never the caller's SUPPORT_KPIS_/DBT_ settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SUPPORT_KPIS_", "DBT_"))}
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    if warehouse is not None:
        env["SUPPORT_KPIS_DUCKDB"] = str(warehouse)
    if target_dir is not None:
        env["DBT_TARGET_PATH"] = str(target_dir)
        env["DBT_LOG_PATH"] = str(target_dir / "logs")
    command = [dbt_executable(), *arguments, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    return subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True, timeout=900)


def output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def scratch_copy(destination: Path) -> Path:
    """A copy of the dbt project alone, to change without touching the repository."""
    destination.mkdir(parents=True)
    for name in DBT_PROJECT_FILES:
        shutil.copy2(PROJECT_ROOT / name, destination / name)
    for name in DBT_PROJECT_FOLDERS:
        if (PROJECT_ROOT / name).is_dir():
            shutil.copytree(PROJECT_ROOT / name, destination / name)
    return destination


def generated_sample(folder: Path, tickets: int, seed: int) -> Path:
    assert cli(["generate", "--tickets", str(tickets), "--seed", str(seed), "--out", str(folder)]) == 0
    return folder


def raw_warehouse(data_dir: Path, warehouse: Path) -> Path:
    """The loader's raw schema only (nothing built): enough for dbt's hooks and the models selected."""
    load_folder(data_dir, warehouse)
    return warehouse
