"""dbt's run log in the warehouse (ops.dbt_runs, written by the project's on-run-start/-end hooks), and the one
question publishing asks it: are the models in the warehouse all from finished, successful builds?

A run whose end was never recorded was killed (or is still going); a failed or killed run can leave some models
new and others old, so nothing is published until a complete build has succeeded after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from support_kpis.errors import UserError
from support_kpis.loading.sql import qualified, table_exists
from support_kpis.settings import RUN_LOG_SCHEMA

RUN_LOG_TABLE = "dbt_runs"
# Commands that create or replace relations; `dbt test` only reads them.
CHANGING_COMMANDS = ("build", "run", "seed", "snapshot")
# Commands that rebuild every model when run without a selection.
COMPLETE_COMMANDS = ("build", "run")


class NothingToPublish(UserError):
    """The warehouse holds no complete, successful build to publish (the published results stay as they are)."""


@dataclass(frozen=True)
class Run:
    run_id: str
    command: str
    selection: str | None  # None: the whole project
    vars: str  # JSON of the --vars overrides
    dbt_version: str
    started_at: datetime
    finished_at: datetime | None
    status: str  # running (or killed), success, error
    published_relations: tuple[str, ...]  # schema.name of every reader-facing model

    @property
    def succeeded(self) -> bool:
        return self.status == "success"

    @property
    def is_complete_build(self) -> bool:
        return self.succeeded and self.selection is None and self.command in COMPLETE_COMMANDS

    def describe(self) -> str:
        selection = f" {self.selection}" if self.selection else ""
        return f"dbt {self.command}{selection} started {self.started_at:%Y-%m-%d %H:%M:%S} UTC"


def read_runs(con: duckdb.DuckDBPyConnection, catalog: str) -> list[Run]:
    """The warehouse's runs that changed relations, oldest first (empty when dbt never ran there)."""
    table = qualified(RUN_LOG_SCHEMA, RUN_LOG_TABLE, catalog)
    if not table_exists(con, RUN_LOG_SCHEMA, RUN_LOG_TABLE, catalog):
        return []
    placeholders = ", ".join("?" for _ in CHANGING_COMMANDS)
    rows = con.execute(
        "select run_id, command, selection, vars, dbt_version, started_at, finished_at, status, published_relations "
        f"from {table} where command in ({placeholders}) order by started_at, run_id",
        list(CHANGING_COMMANDS),
    ).fetchall()
    return [
        Run(*row[:8], tuple(json.loads(row[8])) if row[8] else ())  # type: ignore[arg-type]
        for row in rows
    ]


def publishable_run(runs: list[Run], warehouse: str) -> Run:
    """The run whose results may be published: the latest, provided nothing unfinished or failed came after the
    last complete build. Raises NothingToPublish saying why not."""
    if not runs:
        raise NothingToPublish(f"{warehouse} has no finished dbt build yet: run `support-kpis build`")
    latest = runs[-1]
    if not latest.succeeded:
        how = "did not finish (killed, or still running)" if latest.status == "running" else "failed"
        raise NothingToPublish(f"the last run on {warehouse} ({latest.describe()}) {how}: nothing to publish")
    last_bad = max((i for i, run in enumerate(runs) if not run.succeeded), default=-1)
    last_complete = max((i for i, run in enumerate(runs) if run.is_complete_build), default=-1)
    if last_complete < last_bad:
        raise NothingToPublish(
            f"{warehouse} still holds models of a run that did not succeed ({runs[last_bad].describe()}); "
            "run a complete `support-kpis build` (no --select) to publish again"
        )
    if last_complete < 0:
        raise NothingToPublish(f"{warehouse} has had no complete build yet: run `support-kpis build` (no --select)")
    return latest
