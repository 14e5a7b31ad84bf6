"""The local Superset's DB_CONNECTION_MUTATOR: every DuckDB connection it opens is read-only and sandboxed.

The bundle already stores the sandbox in the database's settings, but a Superset admin can edit those, and the
local server's admin login is known to everyone on the machine. Applied to every connection by the server's own
config, the sandbox holds whatever a database's stored settings say.
"""

from __future__ import annotations

from typing import Any

from support_kpis.superset.documents import DUCKDB_SANDBOX


def sandbox_duckdb_connections(
    uri: Any, params: dict[str, Any], username: str | None, security_manager: Any, source: Any
) -> tuple[Any, dict[str, Any]]:
    """Superset's mutator signature: (sqlalchemy URL, create_engine kwargs, ...) -> (URL, kwargs)."""
    if str(uri.drivername).split("+", 1)[0] != "duckdb":
        return uri, params
    connect_args = dict(params.get("connect_args") or {})
    config = {**dict(connect_args.get("config") or {}), **DUCKDB_SANDBOX}
    params["connect_args"] = {**connect_args, "read_only": True, "config": config}
    # duckdb-engine applies settings from the URI's query after connect_args: drop them.
    return uri.set(query={}), params
