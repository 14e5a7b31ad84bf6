"""The public models and their documented columns, as dbt's manifest describes them.

The bundle's datasets are generated from here, so a column's description in
Superset is its description in the dbt docs, and Superset reads only models
whose columns and types an enforced contract keeps (every mart is public).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support_kpis.dbt_runner import run_dbt
from support_kpis.errors import UserError
from support_kpis.targets import DUCKDB

PROJECT_NAME = "support_kpis"
PUBLIC = "public"


@dataclass(frozen=True)
class DocumentedColumn:
    name: str
    description: str
    data_type: str | None


@dataclass(frozen=True)
class MartModel:
    name: str
    schema: str
    description: str
    columns: tuple[DocumentedColumn, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def has_column(self, name: str) -> bool:
        return name in self.column_names


def _clean(text: str | None) -> str:
    """One line, unless the text holds a Markdown table (the kpi_values docs do)."""
    stripped = (text or "").strip()
    return stripped if "\n|" in stripped else " ".join(stripped.split())


def _mart(node: dict[str, Any]) -> MartModel:
    columns = tuple(
        DocumentedColumn(
            name=column["name"],
            description=_clean(column.get("description")),
            data_type=(column.get("data_type") or None),
        )
        for column in node.get("columns", {}).values()
    )
    return MartModel(
        name=node.get("alias") or node["name"],
        schema=node["schema"],
        description=_clean(node.get("description")),
        columns=columns,
    )


def is_public_model(node: dict[str, Any]) -> bool:
    """A model of this project with `access: public` (the models under models/marts/)."""
    return (
        node.get("resource_type") == "model"
        and node.get("package_name") == PROJECT_NAME
        and node.get("access") == PUBLIC
    )


def read_marts(manifest_path: Path) -> dict[str, MartModel]:
    """The project's public models, by name."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{manifest_path}: no dbt manifest (run `dbt parse` or `support-kpis build` first)") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{manifest_path}: not a dbt manifest ({exc.msg})") from None
    marts: dict[str, MartModel] = {}
    for node in manifest.get("nodes", {}).values():
        if not is_public_model(node):
            continue
        mart = _mart(node)
        marts[mart.name] = mart
    if not marts:
        raise UserError(f"{manifest_path}: the manifest has no public models of {PROJECT_NAME}")
    return dict(sorted(marts.items()))


def parse_project_manifest(work_dir: Path | None = None, engine: str = DUCKDB) -> Path:
    """Run `dbt parse` (no warehouse needed) for a dbt target into a scratch folder and return its manifest."""
    target = Path(work_dir or tempfile.mkdtemp(prefix="support-kpis-manifest-"))
    # dbt's DuckDB profile names a file; parsing never opens it (nor connects to Postgres).
    run_dbt(["parse"], warehouse=target / "unused.duckdb", target_dir=target, quiet=True, engine=engine)
    return target / "manifest.json"
