"""A real Superset 6.1 for the live and browser tests, started once per test session and always stopped.

It runs from a temp folder (SQLite metadata, generated secret key, a random admin
password) on a free port, against the published results of the session's sample
warehouse opened read-only, and has the bundle generated for that file imported
through the REST API exactly as `support-kpis superset import` does it.

The `superset_server` fixture (tests/conftest.py) starts it; tests annotate it with `RunningSuperset`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from support_kpis.kpi_registry import load_registry
from support_kpis.ports import free_port
from support_kpis.settings import published_path
from support_kpis.superset.bundle import Bundle, DatabaseTarget, generate_bundle
from support_kpis.superset.dialects import DUCKDB
from support_kpis.superset.local_server import LocalSuperset, stop
from support_kpis.superset.manifest import parse_project_manifest, read_marts
from support_kpis.superset.project_bundle import duckdb_uri
from support_kpis.superset.publish import push
from support_kpis.superset.rest_client import SupersetClient
from support_kpis.superset.warehouse_types import duckdb_column_types

ADMIN = "admin"
START_UP_SECONDS = 180


@dataclass(frozen=True)
class RunningSuperset:
    url: str
    username: str
    password: str
    secret_key: str
    bundle: Bundle
    zip_path: Path
    warehouse: Path  # the published file Superset reads
    workspace: Path  # the warehouse dbt builds in
    home: Path

    def client(self) -> SupersetClient:
        client = SupersetClient(self.url)
        client.login(self.username, self.password)
        return client


def sample_bundle(warehouse: Path, session_dir: Path) -> Bundle:
    """The bundle for the sample warehouse (its exact column types), from the manifest of the build that made it."""
    manifest = session_dir / "sample-target" / "manifest.json"
    if not manifest.exists():
        manifest = parse_project_manifest(session_dir / "superset-manifest")
    marts = read_marts(manifest)
    types = duckdb_column_types(warehouse, "main", marts)
    return generate_bundle(marts, load_registry(), DatabaseTarget(duckdb_uri(warehouse), DUCKDB), types)


def start_superset(
    sample_warehouse: Path, session_dir: Path, add_finalizer: Callable[[Callable[[], None]], None]
) -> RunningSuperset:
    """Start Superset on the published file of the sample warehouse and import its bundle; `add_finalizer` is
    handed the stop, so the server goes whatever happens to the tests."""
    published = published_path(sample_warehouse)
    bundle = sample_bundle(published, session_dir)
    zip_path = bundle.zip_bytes_to(session_dir / "superset-bundle.zip")
    password = secrets.token_urlsafe(16)
    server = LocalSuperset(session_dir / "superset-home", free_port())
    # The usual umask, whatever the test run's: a file the set-up created with default modes would then be
    # readable by others, and the home-permission tests would see it.
    previous_umask = os.umask(0o022)
    try:
        server.initialize(ADMIN, password)
        process = server.start(workdir=session_dir)
    finally:
        os.umask(previous_umask)
    add_finalizer(lambda: stop(process))
    server.wait_until_healthy(process, timeout_seconds=START_UP_SECONDS)
    push(server.url, ADMIN, password, zip_path)
    return RunningSuperset(
        url=server.url,
        username=ADMIN,
        password=password,
        secret_key=server.secret_key(),
        bundle=bundle,
        zip_path=zip_path,
        warehouse=published,
        workspace=sample_warehouse,
        home=server.home,
    )
