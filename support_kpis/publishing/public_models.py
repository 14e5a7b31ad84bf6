"""Render docs/public-models.md from the dbt manifest: the public models, their columns and contract types, their
keys, and the versioning rule that governs changes to them.

The manifest is what dbt enforces, so the page cannot promise a column or a type
the build does not check. tests/dbt_project/test_public_models.py fails when the
page is stale (regenerate with `python -m support_kpis.publishing.public_models`).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support_kpis.settings import PROJECT_ROOT
from support_kpis.superset.manifest import is_public_model, parse_project_manifest

DOC_FILE = PROJECT_ROOT / "docs" / "public-models.md"

_INTRO = """\
<!-- Generated from the dbt manifest by `python -m support_kpis.publishing.public_models`. Do not edit. -->

# Public models

The public models are this project's interface. Each has `access: public` and an enforced dbt
model contract: `dbt build` fails when the model's SQL returns a column that is not declared here,
misses one, or returns it with another type, and the key columns are `not null` constraints the
warehouse enforces. Everything that reads the project's results reads only these models:

- the published file (`<warehouse>_published.duckdb`): `support-kpis publish` copies exactly the
  public models (the run log's `published_relations`), plus the build record `kpi_build`;
- the Superset datasets (`superset_assets/`) and, through them, the dbt exposures of the six
  dashboards (`models/exposures/`);
- the demo's headline table (`kpi_values`);
- a dbt project that installs support-kpis as a package: it can `ref('support_kpis', 'kpi_values')`
  and the other public models, and nothing else (`restrict-access: true`).

Staging and intermediate models are `protected`: they may change in any release.

Every model under `models/marts/` is public: each one is a Superset dataset that dashboards are
built on. `kpi_values`, `kpi_catalog`, `kpi_scorecard` and `agent_leaderboard` keep their names
outside the `fct_`/`dim_` convention because they are the binding names of the KPI spec, which
outside test suites and users' queries use.

## Versioning rule

- **Additive changes** keep the model's version and ship in a minor release: a new column, new
  rows (a new KPI, grain or dimension value), a new `not null` on a column that never held nulls,
  a better description. Readers select columns by name, never by position.
- **Breaking changes** make a new model version: removing or renaming a column, changing its type,
  changing the key or the grain, letting a `not null` column hold nulls, or changing what a
  column's values mean. The model gets
  `versions:` in its YAML with the new version (`v: 2`) next to the old one, which keeps being
  built; the old version gets a `deprecation_date` at least one minor release and 90 days away,
  and is removed in the first release after that date.
- **Names readers query stay put.** The latest version is materialized under the model's plain
  name (`config: alias: kpi_values`), older versions as `<model>_v<N>` (dbt's default), so
  `select * from kpi_values` and `ref('kpi_values')` always mean the latest version;
  `ref('kpi_values', v=1)` pins the old one during its deprecation window. `latest_version` moves
  to the new version in the release that announces it.
- **Types** are spelled as DuckDB names them (`varchar`, `double`, `bigint`, `date`, `timestamp`,
  `boolean`). On a second warehouse the same types may need another spelling (Postgres:
  `double precision`; Spark: `string` for `varchar`); respelling a type for an adapter is not a
  breaking change, changing it is.

## Models

| model | folder | key |
|---|---|---|
"""


@dataclass(frozen=True)
class PublicColumn:
    name: str
    data_type: str
    not_null: bool
    description: str


@dataclass(frozen=True)
class PublicModel:
    name: str
    folder: str
    description: str
    key: tuple[str, ...]
    columns: tuple[PublicColumn, ...]
    contract_enforced: bool


def _summary(description: str) -> str:
    """The first paragraph, one line: a docs block's Markdown tables stay in the dbt docs."""
    first = description.strip().split("\n\n", 1)[0]
    return " ".join(first.split())


def _key(model_id: str, columns: dict[str, Any], tests: list[dict[str, Any]]) -> tuple[str, ...]:
    """The columns of the model's uniqueness test (unique, or unique_combination_of_columns)."""
    for test in tests:
        if test.get("attached_node") != model_id:
            continue
        metadata = test.get("test_metadata") or {}
        if metadata.get("name") == "unique_combination_of_columns":
            return tuple(metadata["kwargs"]["combination_of_columns"])
        if metadata.get("name") == "unique" and test.get("column_name") in columns:
            return (str(test["column_name"]),)
    return ()


def read_public_models(manifest_path: Path) -> list[PublicModel]:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes = manifest["nodes"].values()
    tests = [node for node in nodes if node["resource_type"] == "test"]
    models = []
    for node in nodes:
        if not is_public_model(node):
            continue
        columns = tuple(
            PublicColumn(
                name=column["name"],
                data_type=column.get("data_type") or "",
                not_null=any(constraint["type"] == "not_null" for constraint in column.get("constraints", [])),
                description=" ".join((column.get("description") or "").split()),
            )
            for column in node["columns"].values()
        )
        models.append(
            PublicModel(
                name=node["name"],
                folder=node["fqn"][-2],
                description=_summary(node.get("description") or ""),
                key=_key(node["unique_id"], node["columns"], tests),
                columns=columns,
                contract_enforced=bool(node["config"].get("contract", {}).get("enforced")),
            )
        )
    return sorted(models, key=lambda model: (model.folder, model.name))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(models: list[PublicModel]) -> str:
    lines = [_INTRO.rstrip("\n")]
    for model in models:
        lines.append(f"| [`{model.name}`](#{model.name}) | {model.folder} | {', '.join(model.key)} |")
    for model in models:
        lines += [
            "",
            f"### {model.name}",
            "",
            model.description,
            "",
            f"Key: {', '.join(f'`{name}`' for name in model.key)}.",
            "",
            "| column | type | not null | description |",
            "|---|---|---|---|",
        ]
        for column in model.columns:
            not_null = "yes" if column.not_null else ""
            lines.append(f"| `{column.name}` | {column.data_type} | {not_null} | {_cell(column.description)} |")
    return "\n".join(lines) + "\n"


def render_project() -> str:
    with tempfile.TemporaryDirectory(prefix="support-kpis-manifest-") as scratch:
        return render(read_public_models(parse_project_manifest(Path(scratch))))


if __name__ == "__main__":
    DOC_FILE.write_text(render_project(), encoding="utf-8")
    print(f"wrote {DOC_FILE.relative_to(PROJECT_ROOT)}")
