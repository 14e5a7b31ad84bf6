"""A throwaway Postgres server for the test suite and the benchmarks: initdb into a temporary folder, pg_ctl start
on a free port, stopped and deleted at the end, also when the caller fails.

Postgres refuses to run as root, so as root the server runs as the `postgres` user (`runuser -u postgres --`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support_kpis.errors import UserError
from support_kpis.ports import free_port
from support_kpis.targets.postgres import Connection

INSTALL_HINT = (
    "install PostgreSQL 15 server binaries so that `initdb` and `pg_ctl` are on the PATH "
    "(Debian/Ubuntu: apt-get install postgresql-15, then add /usr/lib/postgresql/15/bin to PATH; "
    "macOS: brew install postgresql@15)"
)
DATABASE = "support_kpis"


def missing_binaries() -> list[str]:
    return [name for name in ("initdb", "pg_ctl") if shutil.which(name) is None]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise UserError("running as root: Postgres needs another user, and `runuser` is not on the PATH")
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, cwd="/")
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise UserError(f"{what} failed: {detail[-1] if detail else f'exit code {done.returncode}'}")


@contextmanager
def throwaway_postgres(*, settings: dict[str, str] | None = None, durable: bool = False) -> Iterator[Connection]:
    """A running, empty server with database `support_kpis`; trust authentication on 127.0.0.1 only. Not
    `durable`: no fsync (a test server's data dies with it anyway)."""
    missing = missing_binaries()
    if missing:
        raise UserError(f"{' and '.join(missing)} not found: {INSTALL_HINT}")
    folder = Path(tempfile.mkdtemp(prefix="support-kpis-postgres-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, user="postgres")
    port = free_port()
    started = False
    try:
        _run(["initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], "initdb")
        options = [f"-p {port}", f"-k {folder}", "-c listen_addresses=127.0.0.1"]
        options += [] if durable else ["-c fsync=off"]
        options += [f"-c {key}={value}" for key, value in (settings or {}).items()]
        _run(
            ["pg_ctl", "-D", str(data), "-o", " ".join(options), "-l", str(folder / "server.log"), "-w", "start"],
            "pg_ctl start",
        )
        started = True
        connection = Connection(host="127.0.0.1", port=port, user="postgres", password="", dbname="postgres")
        _create_database(connection)
        yield Connection(host="127.0.0.1", port=port, user="postgres", password="", dbname=DATABASE)
    finally:
        if started:
            subprocess.run(
                _as_server_user(["pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
                cwd="/",
            )
        shutil.rmtree(folder, ignore_errors=True)


def _create_database(connection: Connection) -> None:
    from support_kpis.targets.postgres import connect

    deadline = time.monotonic() + 30
    while True:
        try:
            with connect(connection) as con:
                con.autocommit = True
                with con.cursor() as cur:
                    cur.execute(f"CREATE DATABASE {DATABASE}")
                return
        except UserError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def server_pids(connection: Connection) -> list[int]:
    """The server's processes (postmaster and backends), for measuring its memory."""
    from support_kpis.targets.postgres import connect

    with connect(connection) as con, con.cursor() as cur:
        cur.execute("select setting from pg_settings where name = 'data_directory'")
        row = cur.fetchone()
    pid_file = Path(str(row[0])) / "postmaster.pid" if row else None
    if pid_file is None or not pid_file.exists():
        return []
    postmaster = int(pid_file.read_text().splitlines()[0])
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    return [postmaster, *(int(pid) for pid in children)]
