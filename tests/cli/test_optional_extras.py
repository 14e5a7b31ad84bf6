"""Without its optional extras the CLI still runs the dbt-only commands, and the others say in one line what to install.

Each run is the real CLI in a child process in which the extras' packages cannot be imported, as in an install without
them: a sitecustomize on its PYTHONPATH puts a finder first on sys.meta_path that answers "No module named ..." for
them (finding and importing alike), and every process the CLI starts (dbt) inherits it. Stub packages that raise on
import would not do: the CLI only locates an extra's packages (importing them takes seconds), and a stub is found.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from support_kpis.settings import published_path
from tests.reliability.reliability_cli import PYTHON, cli_env, error_line, run_cli

# What an install without the extras lacks that support-kpis could import (checked against a core-only venv);
# marshmallow, altair and scipy come with both extras or with Great Expectations alone.
VALIDATION_PACKAGES = ("great_expectations", "pandas", "scipy", "altair", "marshmallow")
SUPERSET_PACKAGES = (
    "superset", "superset_core", "flask", "flask_caching", "flask_appbuilder", "sqlalchemy", "prison", "duckdb_engine",
    "rich", "cachetools", "sqlglot", "selenium",
)  # fmt: skip

SITECUSTOMIZE = '''
import sys


class _NotInstalled:
    """Answers for the optional extras' packages as for packages that are not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {absent!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
'''


def without(tmp_path: Path, *packages: str) -> dict[str, str]:
    """The CLI's environment, with `packages` not importable in it or in any process it starts."""
    folder = tmp_path / "not-installed"
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE.format(absent=frozenset(packages)), encoding="utf-8")
    env = cli_env()
    env["PYTHONPATH"] = os.pathsep.join([str(folder), env["PYTHONPATH"]])
    return env


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env, timeout=300)


def test_the_environment_really_lacks_the_extras(tmp_path: Path) -> None:
    env = without(tmp_path, *VALIDATION_PACKAGES, *SUPERSET_PACKAGES)
    probe = "import great_expectations"
    result = subprocess.run([PYTHON, "-c", probe], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "ModuleNotFoundError: No module named 'great_expectations'" in result.stderr


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (("superset", "bundle"), "superset"),
        (("superset", "import", "--url", "https://superset.example.com", "--username", "admin"), "superset"),
        (("superset", "--help"), "superset"),
        (("validate", "--data", "nowhere"), "validation"),
        (("demo", "--data", "nowhere", "--warehouse", "nowhere.duckdb"), "validation"),
    ],
    ids=["superset-bundle", "superset-import", "superset-help", "validate", "demo"],
)
def test_a_command_needing_a_missing_extra_says_what_to_install(
    tmp_path: Path, args: tuple[str, ...], extra: str
) -> None:
    result = cli(without(tmp_path, *VALIDATION_PACKAGES, *SUPERSET_PACKAGES), *args)
    assert result.returncode == 2
    assert error_line(result) == (
        f"support-kpis {args[0]}: error: this command needs the optional {extra!r} extra, which is not installed: "
        f"pip install 'support-kpis[{extra}]'"
    )
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_help_lists_every_command_and_the_extras_they_need(tmp_path: Path) -> None:
    env = without(tmp_path, *VALIDATION_PACKAGES, *SUPERSET_PACKAGES)
    env["COLUMNS"] = "200"  # argparse wraps help at the terminal's width
    result = cli(env, "--help")
    assert result.returncode == 0, result.stderr
    assert "(needs the optional 'superset' extra: pip install 'support-kpis[superset]')" in result.stdout
    assert "(needs the optional 'validation' extra: pip install 'support-kpis[validation]')" in result.stdout
    for command in ("generate", "load", "build", "publish", "bench"):
        assert f"    {command} " in result.stdout


@pytest.mark.slow
def test_generate_load_build_and_publish_need_no_extra(tmp_path: Path) -> None:
    env = without(tmp_path, *VALIDATION_PACKAGES, *SUPERSET_PACKAGES)
    data, warehouse = tmp_path / "data", tmp_path / "w.duckdb"
    steps = [
        ("generate", "--tickets", "50", "--out", str(data)),
        ("load", str(data), "--warehouse", str(warehouse)),
        ("build", "--warehouse", str(warehouse)),
        ("publish", "--warehouse", str(warehouse)),
    ]
    for args in steps:
        result = cli(env, *args)
        assert result.returncode == 0, f"{args[0]}: {result.stderr[-3000:]}"
        assert "Traceback" not in result.stderr
    assert (data / "tickets.csv").exists()
    assert published_path(warehouse).exists()


def test_validation_needs_no_superset(tmp_path: Path) -> None:
    env = without(tmp_path, *SUPERSET_PACKAGES)
    data = tmp_path / "data"
    assert cli(env, "generate", "--tickets", "50", "--out", str(data)).returncode == 0
    result = cli(
        env, "validate", "--data", str(data), "--report-dir", str(tmp_path / "report"), "--as-of", "2026-11-01"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # The demo validates, so it runs too, but cannot serve the dashboards: said before any work is done.
    serve = cli(env, "demo", "--data", str(data), "--warehouse", str(tmp_path / "w.duckdb"), "--serve")
    assert serve.returncode == 2
    assert error_line(serve) == (
        "support-kpis demo: error: --serve needs the optional 'superset' extra, which is not installed: "
        "pip install 'support-kpis[superset]'"
    )
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize(
    ("args", "hidden", "extra"),
    [
        (("load", "nowhere", "--target", "postgres"), "psycopg2", "postgres"),
        (("build", "--target", "postgres"), "psycopg2", "postgres"),
        (("load", "nowhere", "--target", "spark"), "pyspark", "spark"),
        (("build", "--target", "spark"), "pyspark", "spark"),
    ],
    ids=["load-postgres", "build-postgres", "load-spark", "build-spark"],
)
def test_an_engine_without_its_extra_says_what_to_install(
    tmp_path: Path, args: tuple[str, ...], hidden: str, extra: str
) -> None:
    result = cli(without(tmp_path, hidden), *args)
    assert result.returncode == 2
    assert error_line(result) == (
        f"support-kpis {args[0]}: error: --target {extra} needs the optional {extra!r} extra, which is not "
        f"installed: pip install 'support-kpis[{extra}]'"
    )


def test_spark_without_java_says_what_to_install(tmp_path: Path) -> None:
    env = cli_env()
    env.pop("JAVA_HOME", None)
    # Only the Python that runs the CLI on the PATH: no `java`.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(PYTHON)
    env["PATH"] = str(bin_dir)
    result = cli(env, "build", "--target", "spark")
    assert result.returncode == 2
    assert "`java` is not on the PATH: install a Java 17 runtime" in error_line(result)


def test_validate_on_spark_says_where_its_gate_runs(tmp_path: Path) -> None:
    result = cli(cli_env(), "validate", "--target", "spark")
    assert result.returncode == 2
    assert "the gate runs inside `support-kpis load DIR --target spark`" in error_line(result)
