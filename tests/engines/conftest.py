"""The engines' fixtures: a throwaway Postgres 15 per test session (stopped at the end, also on failure)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support_kpis.targets.postgres import Connection
from support_kpis.targets.throwaway_postgres import missing_binaries
from tests.engines.postgres_server import INSTALL_HINT, throwaway_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Connection]:
    missing = missing_binaries()
    if missing:
        # Never a skip: CI must run these on a machine set up as the README says.
        pytest.fail(f"{' and '.join(missing)} not found: {INSTALL_HINT}", pytrace=False)
    with throwaway_postgres() as connection:
        yield connection
