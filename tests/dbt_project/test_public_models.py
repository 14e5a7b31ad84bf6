"""The public models: what is public, that their contracts are complete and enforced by `dbt build`, that readers
(Superset, publishing) read only them, and that docs/public-models.md says what the manifest says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support_kpis.kpi_registry import load_registry
from support_kpis.publishing.public_models import DOC_FILE, read_public_models, render
from support_kpis.superset.bundle import DatabaseTarget, generate_bundle
from support_kpis.superset.dialects import DUCKDB
from support_kpis.superset.manifest import parse_project_manifest, read_marts
from support_kpis.superset.project_bundle import PORTABLE_DUCKDB_URI
from tests.dbt_project.dbt_projects import dbt, generated_sample, output, raw_warehouse, scratch_copy

# Binding names of the KPI spec, outside the fct_/dim_ convention on purpose (docs/public-models.md).
SPEC_NAMES = {"kpi_values", "kpi_catalog", "kpi_scorecard", "agent_leaderboard"}


@pytest.fixture(scope="module")
def manifest_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return parse_project_manifest(tmp_path_factory.mktemp("manifest"))


@pytest.fixture(scope="module")
def manifest(manifest_path: Path) -> dict[str, Any]:
    return json.loads(manifest_path.read_text(encoding="utf-8"))


def _models(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    return [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]


def test_the_public_models_are_the_marts_and_nothing_else(manifest: dict[str, Any]) -> None:
    public = {node["name"] for node in _models(manifest) if node["access"] == "public"}
    marts = {node["name"] for node in _models(manifest) if node["fqn"][1] == "marts"}
    assert public == marts
    assert {"kpi_values", "kpi_catalog", "kpi_scorecard", "agent_leaderboard", "fct_tickets"} <= public
    assert all(node["access"] == "protected" for node in _models(manifest) if node["name"] not in public)
    assert {name for name in public if not name.startswith(("fct_", "dim_"))} == SPEC_NAMES


def test_every_public_model_has_a_complete_enforced_contract_and_a_tested_key(manifest_path: Path) -> None:
    problems: list[str] = []
    for model in read_public_models(manifest_path):
        if not model.contract_enforced:
            problems.append(f"{model.name}: contract not enforced")
        untyped = [column.name for column in model.columns if not column.data_type]
        if untyped:
            problems.append(f"{model.name}: no data_type for {untyped}")
        if not model.key:
            problems.append(f"{model.name}: no unique or unique_combination_of_columns test")
        nullable_key = [column.name for column in model.columns if column.name in model.key and not column.not_null]
        if nullable_key:
            problems.append(f"{model.name}: key columns without a not_null constraint {nullable_key}")
    assert not problems, "\n".join(problems)


def test_superset_reads_only_public_models(manifest_path: Path) -> None:
    public = {model.name for model in read_public_models(manifest_path)}
    bundle = generate_bundle(read_marts(manifest_path), load_registry(), DatabaseTarget(PORTABLE_DUCKDB_URI, DUCKDB))
    assert set(bundle.dataset_tables) <= public


def test_the_public_models_page_is_fresh(manifest_path: Path) -> None:
    assert DOC_FILE.read_text(encoding="utf-8") == render(read_public_models(manifest_path)), (
        "docs/public-models.md is stale: run `python -m support_kpis.publishing.public_models`"
    )


# ---------------------------------------------------------------- the contract is enforced by dbt build

# Each rewrites the last line of kpi_catalog.sql (`select * from final`, the project's style) into a model that
# breaks its contract in one way. kpi_catalog is the public model with the fewest parents: quick to build alone.
BREAKING_CHANGES = {
    "a column of another type": (
        "select * replace (cast(catalog_order as varchar) as catalog_order) from final",
        "catalog_order",
    ),
    "a column removed": ("select * exclude (formula) from final", "formula"),
    "a column added": ("select *, 1 as catalog_rank from final", "catalog_rank"),
}


@pytest.fixture(scope="module")
def tiny_raw_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("contract")
    return raw_warehouse(generated_sample(folder / "data", tickets=40, seed=5), folder / "warehouse.duckdb")


@pytest.mark.slow
def test_the_unchanged_model_builds(tiny_raw_warehouse: Path, tmp_path: Path) -> None:
    project = scratch_copy(tmp_path / "project")
    result = dbt(project, "run", "--select", "+kpi_catalog", warehouse=tiny_raw_warehouse)
    assert result.returncode == 0, output(result)[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("change", sorted(BREAKING_CHANGES))
def test_a_change_that_breaks_the_contract_fails_the_build(
    change: str, tiny_raw_warehouse: Path, tmp_path: Path
) -> None:
    project = scratch_copy(tmp_path / "project")
    model = project / "models" / "marts" / "kpis" / "kpi_catalog.sql"
    sql = model.read_text(encoding="utf-8")
    assert sql.rstrip().endswith("select * from final"), "kpi_catalog.sql no longer ends with its final CTE"
    replacement, column = BREAKING_CHANGES[change]
    model.write_text(sql.rstrip().removesuffix("select * from final") + replacement + "\n", encoding="utf-8")

    result = dbt(project, "run", "--select", "+kpi_catalog", warehouse=tiny_raw_warehouse)
    text = output(result)
    assert result.returncode != 0, text[-3000:]
    assert "enforced contract" in text and column in text, text[-3000:]
