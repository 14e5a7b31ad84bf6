"""This project's bundle: generated from its dbt models and KPI registry, for a database, written to files."""

from __future__ import annotations

import tempfile
from pathlib import Path

from support_kpis import settings
from support_kpis.errors import UserError
from support_kpis.kpi_registry import load_registry
from support_kpis.progress import say, step
from support_kpis.superset.bundle import Bundle, DatabaseTarget, generate_bundle
from support_kpis.superset.dialects import Dialect, dialect_named
from support_kpis.superset.exposures import EXPOSURES_PATH, write_exposures
from support_kpis.superset.manifest import MartModel, parse_project_manifest, read_marts
from support_kpis.superset.warehouse_types import ColumnTypes, duckdb_column_types
from support_kpis.targets import DUCKDB as DUCKDB_TARGET
from support_kpis.targets import POSTGRES as POSTGRES_TARGET

ASSETS_DIR = settings.PROJECT_ROOT / "superset_assets"
ZIP_PATH = settings.PROJECT_ROOT / "dist" / "support_kpis_superset_bundle.zip"
# The committed bundle's database: the demo's published results, relative to where Superset runs
# (`superset serve` runs it in the project folder), so the committed files are the same on every machine.
PORTABLE_DUCKDB_URI = f"duckdb:///warehouse/support_kpis{settings.PUBLISHED_SUFFIX}"


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


def load_marts(manifest: Path | None, dialect: Dialect | None = None) -> dict[str, MartModel]:
    """The marts from --manifest, else from a fresh `dbt parse` of the project (a few seconds, never stale), for
    the dbt target of the dialect's engine: its schemas are where the marts are."""
    if manifest is not None:
        return read_marts(manifest)
    engine = POSTGRES_TARGET if dialect is not None and dialect.name == "postgres" else DUCKDB_TARGET
    with (
        tempfile.TemporaryDirectory(prefix="support-kpis-manifest-") as scratch,
        step(f"dbt parse for the {engine} target (reading the models)"),
    ):
        return read_marts(parse_project_manifest(Path(scratch), engine))


def local_duckdb_file(uri: str) -> Path | None:
    """The DuckDB file a `duckdb:///path` URI names, when it exists here."""
    if not uri.startswith("duckdb:///"):
        return None
    path = Path(uri.removeprefix("duckdb:///").split("?", 1)[0])
    return path if path.is_file() else None


def make_bundle(target: DatabaseTarget, manifest: Path | None = None, *, read_types: bool = False) -> Bundle:
    """The bundle for `target`; with `read_types`, column types come from the DuckDB file when it is here
    (and a file older than the models is refused: its dashboards would fail)."""
    marts = load_marts(manifest, target.dialect)
    warehouse = local_duckdb_file(target.uri) if read_types else None
    types: ColumnTypes = {}
    if warehouse is not None:
        for schema in sorted({target.schema or mart.schema for mart in marts.values()}):
            types.update(duckdb_column_types(warehouse, schema, marts))
    bundle = generate_bundle(marts, load_registry(), target, types)
    if warehouse is not None:
        missing = sorted(set(bundle.dataset_tables) - set(types))
        if missing:
            raise UserError(
                f"{warehouse} has no {', '.join(missing)}: it is older than the models; rebuild it "
                "(`support-kpis build`, or `./run demo`)"
            )
    return bundle


def describe(bundle: Bundle) -> str:
    kinds = [path.split("/", 1)[0] for path in bundle.documents]
    return f"{kinds.count('datasets')} datasets, {kinds.count('charts')} charts, {kinds.count('dashboards')} dashboards"


def write_bundle(
    bundle: Bundle, assets_dir: Path = ASSETS_DIR, zip_path: Path = ZIP_PATH, exposures_path: Path = EXPOSURES_PATH
) -> None:
    """The YAML tree, the ZIP, and the dbt exposures of its dashboards (the same for every database target)."""
    bundle.write_tree(assets_dir)
    bundle.zip_bytes_to(zip_path)
    write_exposures(bundle, exposures_path)
    say(f"wrote {describe(bundle)} to {assets_dir} and {zip_path}, and their dbt exposures to {exposures_path}")
    for slug, missing in bundle.notes.items():
        if missing:
            say(f"  {slug}: waiting for {', '.join(missing)}")
    if bundle.password_masked:
        say("  the database password is not in the bundle: give it at import time (--database-password)")
