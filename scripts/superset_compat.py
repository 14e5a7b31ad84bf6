"""The Superset compatibility matrix, run rather than read: the bundle imported into Superset 4.1 and 5.0.

The test suite proves the bundle on the Superset 6.1 installed in the project's
virtualenv; the README also promises 4.1 and 5.0. For each release this script
makes a throwaway virtualenv, installs that release with the pins it needs (PINS
below, mirrored in the README), starts it on a free port in a temp home (SQLite
metadata, random admin password) from the project root, imports
dist/support_kpis_superset_bundle.zip through the REST API as `support-kpis
superset import` does, then posts every chart's saved query context to
/api/v1/chart/data and requires HTTP 200 and no error. Charts that answer
without rows are listed (empty, not failed). The server is always stopped and
the virtualenv deleted (unless --keep).

Run it from the project's virtualenv, after `./run demo` (it needs the bundle
and the published warehouse it points at); installs take minutes per release:

    .venv/bin/python scripts/superset_compat.py                     # 4.1.4 and 5.0.0
    .venv/bin/python scripts/superset_compat.py --versions 5.0.0 --keep

Exit status 0 when every chart of every release answered, 1 otherwise, 2 when
the bundle or the warehouse is missing.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import yaml

from support_kpis.errors import UserError
from support_kpis.ports import free_port
from support_kpis.progress import say
from support_kpis.settings import PROJECT_ROOT
from support_kpis.superset.local_server import LocalSuperset
from support_kpis.superset.project_bundle import ZIP_PATH
from support_kpis.superset.publish import push, running
from support_kpis.superset.rest_client import SupersetClient

# The project's own DuckDB and driver (the releases install no DuckDB driver at all; the project's DuckDB wrote
# the warehouse file). Nothing else is needed, as measured by running this script: rich comes with Flask-Limiter,
# 4.1 and 5.0 never import cachetools and start with flask-caching 2.4.1 (those three pins are 6.1's needs).
_WAREHOUSE_DRIVER = (f"duckdb=={version('duckdb')}", f"duckdb-engine=={version('duckdb-engine')}")
# What `pip install` gets per release; the README's "Dashboards (Superset)" section lists the same.
PINS: dict[str, tuple[str, ...]] = {
    "4.1.4": ("apache-superset==4.1.4", *_WAREHOUSE_DRIVER),  # it declares marshmallow<4 itself
    # 5.0.0 declares marshmallow without an upper bound and fails at start-up with marshmallow 4 (a Field gets
    # minLength). marshmallow<4 also keeps marshmallow-sqlalchemy below 1.6, which requires marshmallow 4.
    "5.0.0": ("apache-superset==5.0.0", "marshmallow<4", *_WAREHOUSE_DRIVER),
}
ADMIN = "admin"
START_UP_SECONDS = 300
LOG_TAIL_LINES = 25
_INSTALLED_MARKER = ".compat-pins"


@dataclass
class VersionResult:
    release: str
    seconds: float = 0.0
    checked: int = 0
    ok: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None  # the release did not get as far as checking charts

    @property
    def passed(self) -> bool:
        return self.error is None and not self.failed


def bundle_warehouse(zip_path: Path) -> list[Path]:
    """The DuckDB files the bundle's databases point at (relative ones resolve from the project root)."""
    files = []
    with zipfile.ZipFile(zip_path) as archive:
        for name in archive.namelist():
            if "/databases/" in name and name.endswith((".yaml", ".yml")):
                uri = str(yaml.safe_load(archive.read(name)).get("sqlalchemy_uri", ""))
                if uri.startswith("duckdb:///"):
                    files.append(PROJECT_ROOT / uri.removeprefix("duckdb:///").split("?", 1)[0])
    return files


def bundle_chart_count(zip_path: Path) -> int:
    with zipfile.ZipFile(zip_path) as archive:
        return sum(1 for name in archive.namelist() if "/charts/" in name and name.endswith((".yaml", ".yml")))


def _run_logged(command: list[str], log_path: Path) -> None:
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"\n$ {' '.join(command)}\n")
        log.flush()
        completed = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False)
    if completed.returncode != 0:
        raise UserError(f"`{' '.join(command[:3])} ...` failed (exit {completed.returncode}); see {log_path}")


def _tail(path: Path) -> str:
    if not path.exists():
        return ""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[-LOG_TAIL_LINES:]
    return "\n".join(f"      | {line}" for line in lines)


def make_venv(venv: Path, pins: tuple[str, ...], log_path: Path) -> None:
    """A virtualenv with `pins` installed; one made earlier with the same pins (the --venv-root case) is reused."""
    marker = venv / _INSTALLED_MARKER
    wanted = "\n".join(pins)
    if marker.exists() and marker.read_text(encoding="utf-8") == wanted:
        say(f"    reusing {venv} (same pins)")
        return
    started = time.perf_counter()
    say(f"    creating {venv}")
    _run_logged([sys.executable, "-m", "venv", "--clear", str(venv)], log_path)
    say(f"    pip install {' '.join(pins)} (takes minutes; log: {log_path})")
    _run_logged([str(venv / "bin" / "python"), "-m", "pip", "install", "--progress-bar", "off", *pins], log_path)
    marker.write_text(wanted, encoding="utf-8")
    say(f"    installed in {time.perf_counter() - started:.0f}s")


def snapshot(zip_path: Path, root: Path) -> tuple[Path, Path]:
    """A copy of the bundle, taken once (a rebuild during the run does not change what is checked), and a folder
    for the other virtualenv's PYTHONPATH holding only support_kpis: the project root itself would also put its
    tests/ package there. A link, not a copy: support_kpis finds dbt_project.yml from its resolved location."""
    zip_copy = root / zip_path.name
    shutil.copyfile(zip_path, zip_copy)
    if not zipfile.is_zipfile(zip_copy):
        raise UserError(f"{zip_path} is not a ZIP (being rewritten? run again, or `./run superset bundle`)")
    folder = root / "pythonpath"
    folder.mkdir(exist_ok=True)
    link = folder / "support_kpis"
    if not link.is_symlink():
        link.symlink_to(PROJECT_ROOT / "support_kpis", target_is_directory=True)
    return zip_copy, folder


def check_sandbox_import(server: LocalSuperset) -> None:
    """The generated superset_config.py imports the connection sandbox from support_kpis: it must import there."""
    assert server.bin_dir is not None
    completed = subprocess.run(
        [str(server.bin_dir / "python"), "-c", "import support_kpis.superset.connection_sandbox"],
        env=server.environment(),
        cwd=server.home.parent,  # not the project root, from where `python -c` would import it whatever the path
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        last = completed.stderr.strip().splitlines()[-1:] or ["(no message)"]
        raise UserError(f"support_kpis.superset.connection_sandbox does not import in {server.bin_dir}: {last[0]}")


def check_charts(client: SupersetClient, result: VersionResult) -> None:
    """Every chart's saved query context, posted to /api/v1/chart/data: HTTP 200, no error; rows counted."""
    charts = sorted(client.list_all("chart", ["id", "slice_name"]), key=lambda chart: str(chart["slice_name"]))
    for chart in charts:
        name = f"{chart['slice_name']} (id {chart['id']})"
        result.checked += 1
        try:
            saved = client.get_json(f"/api/v1/chart/{chart['id']}")["result"].get("query_context")
            if not saved:
                result.failed.append((name, "no saved query_context"))
                continue
            answers = client.post_json("/api/v1/chart/data", json.loads(saved))["result"]
        except UserError as exc:
            result.failed.append((name, str(exc)))
            continue
        errors = [str(answer.get("error")) for answer in answers if answer.get("error")]
        errors += [f"status {answer['status']}" for answer in answers if answer.get("status") == "failed"]
        if errors:
            result.failed.append((name, "; ".join(errors)[:500]))
        elif sum(int(answer.get("rowcount") or 0) for answer in answers) == 0:
            result.empty.append(name)
        else:
            result.ok.append(name)


def run_release(release: str, root: Path, zip_path: Path, python_path: Path) -> VersionResult:
    result = VersionResult(release)
    started = time.perf_counter()
    say(f"==> Superset {release}")
    venv = root / f"venv-{release}"
    log_path = root / f"pip-{release}.log"
    server = LocalSuperset(
        home=root / f"home-{release}-{secrets.token_hex(4)}",
        port=free_port(),
        bin_dir=venv / "bin",
        import_path=(python_path,),
    )
    try:
        make_venv(venv, PINS[release], log_path)
        check_sandbox_import(server)
        password = secrets.token_urlsafe(16)
        say("    superset db upgrade, fab create-admin, init")
        server.initialize(ADMIN, password)
        served = server.superset_version()
        if served != release:
            raise UserError(f"the virtualenv has apache-superset {served}, not {release}")
        say(f"    starting on {server.url} (log: {server.log_path})")
        with running(server, PROJECT_ROOT, start_up_seconds=START_UP_SECONDS):
            say(f"    importing {zip_path.name}")
            push(server.url, ADMIN, password, zip_path)
            client = SupersetClient(server.url)
            client.login(ADMIN, password)
            say("    checking every chart")
            check_charts(client, result)
        expected = bundle_chart_count(zip_path)
        if result.checked != expected:
            result.failed.append(("(bundle)", f"{result.checked} charts in Superset, {expected} in the bundle"))
    except Exception as exc:  # one release's failure, whatever it is, must not keep the next from being checked
        result.error = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
        tail = _tail(server.log_path)
        if tail:
            say(f"    last lines of {server.log_path}:\n{tail}")
    finally:
        result.seconds = time.perf_counter() - started
    return result


def report(result: VersionResult) -> str:
    lines = [
        f"Superset {result.release}: {'PASS' if result.passed else 'FAIL'} in {result.seconds:.0f}s — "
        f"{result.checked} charts checked, {len(result.ok)} OK with rows, {len(result.empty)} empty, "
        f"{len(result.failed)} failed"
    ]
    if result.error:
        lines.append(f"  error: {result.error}")
    lines += [f"  empty: {name}" for name in result.empty]
    lines += [f"  FAILED: {name}: {message}" for name, message in result.failed]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument(
        "--versions", nargs="+", default=list(PINS), choices=list(PINS), metavar="VERSION", help=f"of {list(PINS)}"
    )
    parser.add_argument("--bundle", type=Path, default=ZIP_PATH, help="the bundle ZIP (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the virtualenvs, homes and logs")
    parser.add_argument(
        "--venv-root", type=Path, help="make (or reuse, when the pins match) the virtualenvs here; implies --keep"
    )
    args = parser.parse_args(argv)

    zip_path: Path = args.bundle.resolve()
    missing = [path for path in [zip_path] if not zipfile.is_zipfile(path)]  # False for a missing file too
    if not missing:
        missing = [path for path in bundle_warehouse(zip_path) if not path.exists()]
    if missing:
        say(f"{', '.join(map(str, missing))} missing: run `./run demo` first (it builds the warehouse and bundle)")
        return 2

    keep = args.keep or args.venv_root is not None
    if args.venv_root is not None:
        args.venv_root.mkdir(parents=True, exist_ok=True)
    root = args.venv_root.resolve() if args.venv_root else Path(tempfile.mkdtemp(prefix="superset-compat-"))
    results: list[VersionResult] = []
    try:
        try:
            zip_copy, python_path = snapshot(zip_path, root)
        except UserError as exc:
            say(str(exc))
            return 2
        for release in args.versions:
            results.append(run_release(release, root, zip_copy, python_path))
            say(report(results[-1]))
    finally:
        if keep:
            say(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    print("\n".join(report(result) for result in results))
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
