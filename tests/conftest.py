"""Fixtures shared across the test folders: the session's sample data, its built warehouse, a running Superset.

Plain helpers (building and querying warehouses) are in tests/warehouses.py; test modules import them from there.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.warehouses import build_warehouse

# A pytest-xdist worker is an execnet process whose __main__ has neither __spec__ nor __file__. pyspark, which Great
# Expectations imports, takes that for its own doctest run and exits the worker (pyspark.sql.connect.utils).
_main = sys.modules["__main__"]
if os.environ.get("PYTEST_XDIST_WORKER") and _main.__spec__ is None and not hasattr(_main, "__file__"):
    _main.__file__ = "pytest-xdist-worker"

if TYPE_CHECKING:
    from tests.superset.server import RunningSuperset


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("support-kpis")


def pytest_configure(config: pytest.Config) -> None:
    # scripts/test.sh runs the suite in several pytest-xdist workers at once. A dbt run that falls back on the default
    # target folder (dbt_project's target/) would write its manifest and partial-parse file beside another worker's.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and "SUPPORT_KPIS_DBT_TARGET" not in os.environ:
        os.environ["SUPPORT_KPIS_DBT_TARGET"] = tempfile.mkdtemp(prefix=f"support-kpis-target-{worker}-")


# The longest test files (minutes each), started first: pytest-xdist hands files out in collection order, and one of
# these collected last would leave the other workers idle while it runs alone at the end.
LONGEST_FIRST = (
    "tests/engines/test_spark_matches_duckdb.py",
    "tests/incremental/test_incremental_equals_full.py",
    "tests/reliability/test_atomic_builds.py",
    "tests/engines/test_sources_on_engines.py",
    "tests/engines/test_incremental_on_postgres.py",
    "tests/engines/test_postgres_matches_duckdb.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = Path(str(item.path)).relative_to(config.rootpath).as_posix()
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the other files, and the tests inside each file, keep their order


SAMPLE_TICKETS = 2_500
SAMPLE_SEED = 11


@pytest.fixture(scope="session")
def sample_data(session_dir: Path) -> Path:
    """A generated sample (every contract table), small enough for the reference to check in seconds."""
    from support_kpis.cli import main

    folder = session_dir / "sample-data"
    exit_code = main(["generate", "--tickets", str(SAMPLE_TICKETS), "--seed", str(SAMPLE_SEED), "--out", str(folder)])
    assert exit_code == 0
    return folder


@pytest.fixture(scope="session")
def sample_warehouse(sample_data: Path, session_dir: Path) -> Path:
    """The sample, loaded and built with the default vars: the demo warehouse of the test session."""
    return build_warehouse(sample_data, session_dir, name="sample")


@pytest.fixture(scope="session")
def superset_server(sample_warehouse: Path, session_dir: Path, request: pytest.FixtureRequest) -> RunningSuperset:
    """A real Superset serving the sample's dashboards, for the Superset and reliability tests; always stopped."""
    # Imported here, not above: collecting the tests that need no Superset loads none of its client libraries.
    from tests.superset.server import start_superset

    return start_superset(sample_warehouse, session_dir, request.addfinalizer)
