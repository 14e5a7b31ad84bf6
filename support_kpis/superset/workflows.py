"""The three things `support-kpis superset` does: write the bundle, serve it locally, push it to a Superset."""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support_kpis import settings
from support_kpis.errors import UserError
from support_kpis.kpi_registry import load_registry
from support_kpis.progress import say, step
from support_kpis.superset.bundle import ZIP_ROOT, Bundle, DatabaseTarget, generate_bundle, mask_password
from support_kpis.superset.dashboard_specs import DASHBOARDS
from support_kpis.superset.dialects import Dialect, dialect_named
from support_kpis.superset.local_server import LOCAL_ADMIN, LocalSuperset, stop
from support_kpis.superset.manifest import MartModel, parse_project_manifest, read_marts
from support_kpis.superset.rest_client import SupersetClient

ASSETS_DIR = settings.PROJECT_ROOT / "superset_assets"
ZIP_PATH = settings.PROJECT_ROOT / "dist" / "support_kpis_superset_bundle.zip"
LOCAL_HOME = settings.PROJECT_ROOT / ".superset"
# The committed bundle's database: the demo warehouse, relative to where Superset runs
# (`superset serve` runs it in the project folder), so the committed files are the same on every machine.
PORTABLE_DUCKDB_URI = "duckdb:///warehouse/support_kpis.duckdb"


def duckdb_uri(warehouse: Path) -> str:
    return f"duckdb:///{warehouse.resolve()}"


def dialect_for(uri: str, requested: str | None) -> Dialect:
    if requested:
        return dialect_named(requested)
    scheme = uri.split(":", 1)[0].split("+", 1)[0]
    if scheme == "duckdb":
        return dialect_named("duckdb")
    if scheme in ("postgresql", "postgres"):
        return dialect_named("postgres")
    raise UserError(f"cannot tell the SQL dialect of {scheme}:// URIs; pass --dialect duckdb|postgres")


def load_marts(manifest: Path | None, *, prefer_built: bool) -> dict[str, MartModel]:
    """The marts from --manifest, else from the last `dbt build` (it matches the warehouse), else `dbt parse`."""
    if manifest is not None:
        return read_marts(manifest)
    built = settings.dbt_target_dir() / "manifest.json"
    if prefer_built and built.exists():
        return read_marts(built)
    with (
        tempfile.TemporaryDirectory(prefix="support-kpis-manifest-") as scratch,
        step("dbt parse (reading the models)"),
    ):
        return read_marts(parse_project_manifest(Path(scratch)))


def make_bundle(target: DatabaseTarget, manifest: Path | None = None, *, prefer_built: bool = False) -> Bundle:
    return generate_bundle(load_marts(manifest, prefer_built=prefer_built), load_registry(), target)


def describe(bundle: Bundle) -> str:
    kinds = [path.split("/", 1)[0] for path in bundle.documents]
    return (
        f"{kinds.count('datasets')} datasets, {kinds.count('charts')} charts, "
        f"{kinds.count('dashboards')} dashboards"
    )


def write_bundle(bundle: Bundle, assets_dir: Path = ASSETS_DIR, zip_path: Path = ZIP_PATH) -> None:
    bundle.write_tree(assets_dir)
    bundle.zip_bytes_to(zip_path)
    say(f"wrote {describe(bundle)} to {assets_dir} and {zip_path}")
    for slug, missing in bundle.notes.items():
        if missing:
            say(f"  {slug}: waiting for {', '.join(missing)}")
    if bundle.password_masked:
        say("  the database password is not in the bundle: give it at import time (--database-password)")


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
) -> None:
    _, uri_password = mask_password(target.uri)
    with tempfile.TemporaryDirectory(prefix="support-kpis-bundle-") as scratch:
        if bundle_zip is None:
            bundle_zip = make_bundle(target, manifest, prefer_built=True).zip_bytes_to(Path(scratch) / "bundle.zip")
        elif not bundle_zip.exists():
            raise UserError(f"{bundle_zip}: no such bundle (make one with `support-kpis superset bundle`)")
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


@contextmanager
def running(server: LocalSuperset, workdir: Path) -> Iterator[subprocess.Popen[bytes]]:
    process = server.start(workdir)
    try:
        server.wait_until_healthy(process)
        yield process
    finally:
        stop(process)


def serve(port: int, warehouse: Path, *, keep_serving: bool = True, home: Path = LOCAL_HOME) -> None:
    """Set up the local Superset, import the bundle for `warehouse`, and serve until Ctrl-C."""
    if not warehouse.exists():
        raise UserError(f"{warehouse}: no warehouse yet; run `./run demo` (or `support-kpis build`) first")
    server = LocalSuperset(home, port)
    with step(f"setting up Superset in {home} (the first time takes about a minute)"):
        server.initialize(*LOCAL_ADMIN)
    bundle = make_bundle(DatabaseTarget(duckdb_uri(warehouse), dialect_named("duckdb")), prefer_built=True)
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
        try:
            process.wait()
        except KeyboardInterrupt:
            say("stopping Superset")
            return
        raise UserError(f"Superset stopped unexpectedly (exit {process.returncode}); see {server.log_path}")
