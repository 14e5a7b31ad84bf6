"""Putting the dashboards in front of people: import into a running Superset, or serve a local one."""

from __future__ import annotations

import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from support_kpis import settings
from support_kpis.errors import UserError
from support_kpis.progress import say, step
from support_kpis.superset.bundle import PASSWORD_MASK, ZIP_ROOT, DatabaseTarget, mask_password
from support_kpis.superset.dashboard_specs import DASHBOARDS
from support_kpis.superset.dialects import dialect_named
from support_kpis.superset.local_server import LOCAL_ADMIN, LocalSuperset, create_private_file, stop
from support_kpis.superset.project_bundle import describe, duckdb_uri, make_bundle
from support_kpis.superset.rest_client import SupersetClient, checked_url

LOCAL_HOME = settings.PROJECT_ROOT / ".superset"


def masked_databases(zip_path: Path) -> list[dict[str, Any]]:
    """The bundle's databases whose URI has the password mask (the password must come at import)."""
    found = []
    with zipfile.ZipFile(zip_path) as archive:
        for name in archive.namelist():
            if "/databases/" in name and name.endswith((".yaml", ".yml")):
                document = yaml.safe_load(archive.read(name))
                if f":{PASSWORD_MASK}@" in str(document.get("sqlalchemy_uri", "")):
                    found.append(document)
    return found


def database_files(zip_path: Path) -> list[str]:
    """The databases/*.yaml entries of a bundle, as Superset's import keys them (without the root folder)."""
    with zipfile.ZipFile(zip_path) as archive:
        names = [name.split("/", 1)[1] for name in archive.namelist() if "/" in name]
    return [name for name in names if name.startswith("databases/")]


def push(
    url: str,
    username: str,
    password: str,
    zip_path: Path,
    *,
    database_password: str | None = None,
    check_version: bool = True,
) -> tuple[int, int] | None:
    """Import the ZIP into the Superset at `url` (creates, or overwrites by uuid). Returns its version."""
    client = SupersetClient(url)
    version = client.check_version() if check_version else None
    client.login(username, password)
    if not database_password:
        for database in masked_databases(zip_path):
            # Superset keeps the password of a database it already has; a new one cannot do without.
            if not client.has_database(database["uuid"]):
                raise UserError(
                    f"the database {database['database_name']!r} is new on {url} and its URI needs a password: "
                    "pass --database-password (it is sent at import and never written into the bundle)"
                )
    passwords = {name: database_password for name in database_files(zip_path)} if database_password else None
    client.import_bundle(zip_path, passwords)
    return version


def import_into(
    url: str,
    username: str,
    password: str,
    *,
    bundle_zip: Path | None,
    target: DatabaseTarget,
    database_password: str | None,
    manifest: Path | None,
    check_version: bool,
    allow_insecure: bool = False,
) -> None:
    url = checked_url(url, allow_insecure=allow_insecure)
    _, uri_password = mask_password(target.uri)
    with tempfile.TemporaryDirectory(prefix="support-kpis-bundle-") as scratch:
        if bundle_zip is None:
            bundle = make_bundle(target, manifest, read_types=True)
            bundle_zip = bundle.zip_bytes_to(Path(scratch) / "bundle.zip")
        elif not bundle_zip.exists():
            raise UserError(f"{bundle_zip}: no such bundle (make one with `support-kpis superset bundle`)")
        elif not zipfile.is_zipfile(bundle_zip):
            raise UserError(f"{bundle_zip}: not a ZIP bundle (make one with `support-kpis superset bundle`)")
        with step(f"importing {bundle_zip.name} into {url}"):
            version = push(
                url,
                username,
                password,
                bundle_zip,
                database_password=database_password or uri_password,
                check_version=check_version,
            )
    shown = f"Superset {version[0]}.{version[1]}" if version else "Superset"
    print(f"Imported into {shown} at {url}:")
    for spec in DASHBOARDS:
        print(f"  {spec.title}: {url.rstrip('/')}/superset/dashboard/{spec.slug}/")


def dashboard_urls(url: str) -> list[str]:
    return [f"{url}/superset/dashboard/{spec.slug}/" for spec in DASHBOARDS]


def serve_instructions(port: int | None = None) -> str:
    """What to run to open the dashboards (the demo prints this when it does not start Superset)."""
    port_option = f" --port {port}" if port else ""
    return (
        f"Dashboards:    ./run superset serve{port_option}  (local Superset on http://localhost:{port or 8088}, "
        f"user {LOCAL_ADMIN[0]} / password {LOCAL_ADMIN[1]}, local use only)"
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def running(server: LocalSuperset, workdir: Path, start_up_seconds: float = 180.0) -> Iterator[subprocess.Popen[bytes]]:
    """The server, started and healthy; stopped when the block ends, however it ends."""
    process = server.start(workdir)
    try:
        server.wait_until_healthy(process, timeout_seconds=start_up_seconds)
        yield process
    finally:
        stop(process)


def serve(port: int, warehouse: Path, *, keep_serving: bool = True, home: Path = LOCAL_HOME) -> None:
    """Set up the local Superset, import the bundle for the published results of `warehouse`, serve until Ctrl-C.

    Superset reads the published file, never the warehouse dbt writes: dashboards keep answering during builds.
    """
    published = settings.published_path(warehouse)
    if not published.exists():
        raise UserError(f"{published}: no published results yet; run `./run demo` (or `support-kpis build`) first")
    server = LocalSuperset(home, port)
    with step(f"setting up Superset in {home} (the first time takes about a minute)"):
        server.initialize(*LOCAL_ADMIN)
    target = DatabaseTarget(duckdb_uri(published), dialect_named("duckdb"))
    bundle = make_bundle(target, read_types=True)
    create_private_file(home / f"{ZIP_ROOT}.zip")  # private like the whole home; rewriting it keeps the mode
    zip_path = bundle.zip_bytes_to(home / f"{ZIP_ROOT}.zip")
    say(f"==> starting Superset on {server.url}")
    with running(server, settings.PROJECT_ROOT) as process:
        with step(f"importing {describe(bundle)}"):
            push(server.url, *LOCAL_ADMIN, zip_path)
        if not keep_serving:
            print(f"Superset is set up in {home}; start it with: support-kpis superset serve --port {port}")
            return
        print(f"Superset is serving the dashboards on {server.url}")
        print(f"  log in as {LOCAL_ADMIN[0]} / {LOCAL_ADMIN[1]} (local use only)")
        for url in dashboard_urls(server.url):
            print(f"  {url}")
        print("Press Ctrl-C to stop it.", flush=True)
        for stop_signal in (signal.SIGINT, signal.SIGTERM):  # `kill` stops it as cleanly as Ctrl-C
            signal.signal(stop_signal, _interrupt)
        try:
            process.wait()
        except KeyboardInterrupt:
            say("stopping Superset")
            return
        raise UserError(f"Superset stopped unexpectedly (exit {process.returncode}); see {server.log_path}")
