"""Superset dashboards: write the asset bundle, serve it locally, or import it into a running Superset.

  support-kpis superset bundle   writes superset_assets/ (committed) and dist/support_kpis_superset_bundle.zip
  support-kpis superset serve    local Superset on localhost with the dashboards (admin/admin, local use only)
  support-kpis superset import   pushes the bundle to a Superset over its REST API (4.1, 5.0 and 6.1)

The bundle is generated from the dbt manifest and the KPI registry; uuids are
deterministic, so importing again updates the dashboards instead of copying them.
No password is ever written into it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from support_kpis import settings
from support_kpis.errors import UserError
from support_kpis.superset.bundle import DEFAULT_DATABASE_NAME, DatabaseTarget
from support_kpis.superset.dialects import DIALECTS
from support_kpis.superset.local_server import DEFAULT_PORT
from support_kpis.superset.project_bundle import (
    ASSETS_DIR,
    PORTABLE_DUCKDB_URI,
    ZIP_PATH,
    dialect_for,
    duckdb_uri,
    make_bundle,
    write_bundle,
)
from support_kpis.superset.publish import import_into, serve
from support_kpis.superset.rest_client import SUPPORTED_VERSIONS, checked_url

PASSWORD_ENV = "SUPERSET_PASSWORD"
DATABASE_PASSWORD_ENV = "SUPPORT_KPIS_DATABASE_PASSWORD"


def _database_options(parser: argparse.ArgumentParser, default_uri_help: str) -> None:
    parser.add_argument("--database-uri", default=None, help=f"SQLAlchemy URI of the warehouse ({default_uri_help})")
    parser.add_argument(
        "--database-name", default=DEFAULT_DATABASE_NAME, help="the database's name in Superset (default %(default)r)"
    )
    parser.add_argument(
        "--dialect", choices=sorted(DIALECTS), default=None, help="SQL dialect of the metrics (default: from the URI)"
    )
    parser.add_argument("--schema", default=None, help="schema of the marts (default: the dbt target's schema)")
    parser.add_argument("--manifest", type=Path, default=None, help="dbt manifest.json to read (default: dbt parse)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="superset_command", required=True, metavar="ACTION")

    bundle = sub.add_parser("bundle", help="write superset_assets/ and the ZIP under dist/")
    _database_options(bundle, f"default {PORTABLE_DUCKDB_URI}, read-only, relative to where Superset runs")
    bundle.add_argument("--out", type=Path, default=ASSETS_DIR, help="YAML tree folder (default superset_assets/)")
    bundle.add_argument("--zip", type=Path, default=ZIP_PATH, help=f"ZIP path (default dist/{ZIP_PATH.name})")

    serve_parser = sub.add_parser("serve", help="run a local Superset with the dashboards on localhost")
    serve_parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default %(default)s)")
    serve_parser.add_argument("--warehouse", type=Path, default=None, help="DuckDB file (default: the demo's)")
    serve_parser.add_argument("--no-start", action="store_true", help="set up and import, then stop instead of serving")

    push = sub.add_parser("import", help=f"import the dashboards into a running Superset ({SUPPORTED_VERSIONS})")
    push.add_argument(
        "--url",
        required=True,
        help="Superset's base URL, e.g. https://superset.example.com (http:// to localhost only, or --allow-insecure)",
    )
    push.add_argument("--username", required=True)
    push.add_argument("--password", default=None, help=f"the user's password (default: ${PASSWORD_ENV})")
    push.add_argument(
        "--database-password",
        default=None,
        help=f"the warehouse password, sent at import and never written (default: ${DATABASE_PASSWORD_ENV})",
    )
    push.add_argument("--bundle", type=Path, default=None, help="import this ZIP as it is instead of generating one")
    push.add_argument("--skip-version-check", action="store_true", help="import even into an untested version")
    push.add_argument(
        "--allow-insecure",
        action="store_true",
        help="allow a plain http:// URL to another machine (the passwords then cross the network unencrypted)",
    )
    _database_options(push, "default: the demo's published DuckDB file, read-only")


def _target(args: argparse.Namespace, default_uri: str) -> DatabaseTarget:
    uri = args.database_uri or default_uri
    return DatabaseTarget(uri=uri, dialect=dialect_for(uri, args.dialect), name=args.database_name, schema=args.schema)


def run(args: argparse.Namespace) -> int:
    if args.superset_command == "bundle":
        write_bundle(make_bundle(_target(args, PORTABLE_DUCKDB_URI), args.manifest), args.out, args.zip)
        return 0
    if args.superset_command == "serve":
        serve(args.port, args.warehouse or settings.warehouse_path(), keep_serving=not args.no_start)
        return 0
    # Before anything slow or secret: an unusable or unencrypted URL is the first thing to report.
    url = checked_url(args.url, allow_insecure=args.allow_insecure)
    if args.bundle is not None:
        generating = [args.database_uri, args.dialect, args.schema, args.manifest]
        if any(generating) or args.database_name != DEFAULT_DATABASE_NAME:
            raise UserError(
                "--bundle imports the ZIP as it is: leave out --database-uri, --database-name, --dialect, --schema "
                "and --manifest (or leave out --bundle to generate one)"
            )
    password = args.password or os.environ.get(PASSWORD_ENV)
    if not password:
        raise UserError(f"give the Superset user's password with --password or ${PASSWORD_ENV}")
    import_into(
        url,
        args.username,
        password,
        bundle_zip=args.bundle,
        target=_target(args, duckdb_uri(settings.published_path(settings.warehouse_path()))),
        database_password=args.database_password or os.environ.get(DATABASE_PASSWORD_ENV),
        manifest=args.manifest,
        check_version=not args.skip_version_check,
        allow_insecure=args.allow_insecure,
    )
    return 0
