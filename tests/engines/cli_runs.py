"""The CLI as a user runs it, in a child process with the target's connection in its environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from support_kpis.targets.postgres import Connection, connect


def postgres_environment(connection: Connection) -> dict[str, str]:
    return {
        "PGHOST": connection.host,
        "PGPORT": str(connection.port),
        "PGUSER": connection.user,
        "PGPASSWORD": connection.password,
        "PGDATABASE": connection.dbname,
    }


def cli_result(arguments: Sequence[str], environment: Mapping[str, str], work_dir: Path) -> subprocess.CompletedProcess:
    """`support-kpis ARGUMENTS` as a user runs it, failing or not."""
    env = {**os.environ, **environment, "SUPPORT_KPIS_DBT_TARGET": str(work_dir / "target")}
    env.setdefault("SUPPORT_KPIS_DUCKDB", str(work_dir / "unused.duckdb"))
    return subprocess.run(
        [sys.executable, "-m", "support_kpis.cli", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=work_dir,
    )


def run_cli(arguments: Sequence[str], environment: Mapping[str, str], work_dir: Path) -> subprocess.CompletedProcess:
    """`support-kpis ARGUMENTS`; fails the test with its output when it fails."""
    done = cli_result(arguments, environment, work_dir)
    assert done.returncode == 0, (
        f"support-kpis {' '.join(arguments)} failed:\n{done.stdout[-6000:]}\n{done.stderr[-4000:]}"
    )
    return done


def new_database(server: Connection, name: str) -> Connection:
    with connect(server) as con:
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f"drop database if exists {name}")
            cur.execute(f"create database {name}")
    return replace(server, dbname=name)
