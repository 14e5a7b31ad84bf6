"""Optional extras: what a command needs beyond the core install, and one clear line when it is missing.

`pip install support-kpis` is the dbt-only core: generate, load, build and publish. `validate` and `demo` (which
validates) need the 'validation' extra, Great Expectations; `superset` needs the 'superset' extra, apache-superset
and the client libraries support_kpis.superset imports. The 'planning' extra (statsforecast, pyworkforce) lets
`dbt build` on DuckDB make the forecast, backtest and staffing tables; without it the CLI turns them off (var
`planning`) and everything else builds. The CLI imports a command's module only when its extra is
installed, so a core install never imports (or trips over) either.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from support_kpis.errors import UserError


@dataclass(frozen=True)
class Extra:
    name: str
    modules: tuple[str, ...]  # top-level modules the extra installs that support-kpis imports or runs

    def install_hint(self) -> str:
        return f"pip install 'support-kpis[{self.name}]'"


VALIDATION = Extra("validation", ("great_expectations", "pandas"))
SUPERSET = Extra("superset", ("superset", "sqlalchemy", "prison", "duckdb_engine"))
POSTGRES = Extra("postgres", ("dbt.adapters.postgres", "psycopg2"))
SPARK = Extra("spark", ("dbt.adapters.spark", "pyspark"))
# The forecast, backtest and staffing models (dbt Python models on DuckDB); pandas is how dbt-duckdb hands them data.
PLANNING = Extra("planning", ("statsforecast", "pyworkforce", "pandas"))


class MissingExtra(UserError):
    """A command needs an optional extra that is not installed: a set-up problem (exit code 2)."""


def is_installed(extra: Extra) -> bool:
    return all(_importable(module) for module in extra.modules)


def require(extra: Extra, needed_by: str = "this command") -> None:
    """Raise MissingExtra, naming what to install, unless `extra` is installed."""
    if not is_installed(extra):
        raise MissingExtra(
            f"{needed_by} needs the optional {extra.name!r} extra, which is not installed: {extra.install_hint()}"
        )


def _importable(module: str) -> bool:
    # Only located, not imported: importing Great Expectations or Superset takes seconds.
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False
