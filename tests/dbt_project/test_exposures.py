"""The dbt exposures of the Superset dashboards: generated with the bundle, each depending on exactly the models its
charts read, so that `dbt ls --select +exposure:...` and the dbt docs lineage end in the dashboards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from support_kpis.kpi_registry import load_registry
from support_kpis.settings import PROJECT_ROOT
from support_kpis.superset.bundle import Bundle, DatabaseTarget, generate_bundle
from support_kpis.superset.dashboard_specs import DASHBOARDS
from support_kpis.superset.dialects import DUCKDB
from support_kpis.superset.exposures import EXPOSURES_PATH, dashboard_url, render_exposures
from support_kpis.superset.manifest import parse_project_manifest, read_marts
from support_kpis.superset.project_bundle import PORTABLE_DUCKDB_URI
from tests.dbt_project.dbt_projects import dbt, generated_sample, output, raw_warehouse


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    marts = read_marts(parse_project_manifest(tmp_path_factory.mktemp("manifest")))
    return generate_bundle(marts, load_registry(), DatabaseTarget(PORTABLE_DUCKDB_URI, DUCKDB))


@pytest.fixture(scope="module")
def committed() -> dict[str, dict[str, Any]]:
    document = yaml.safe_load(EXPOSURES_PATH.read_text(encoding="utf-8"))
    return {exposure["name"]: exposure for exposure in document["exposures"]}


def _refs(exposure: dict[str, Any]) -> set[str]:
    return {ref.removeprefix("ref('").removesuffix("')") for ref in exposure["depends_on"]}


def _tables_read(bundle: Bundle, dashboard_key: str) -> set[str]:
    """From the bundle's own documents: the tables of the datasets the dashboard's charts use."""
    tables = {doc["uuid"]: doc["table_name"] for path, doc in bundle.documents.items() if path.startswith("datasets/")}
    charts = [doc for path, doc in bundle.documents.items() if path.startswith(f"charts/{dashboard_key}/")]
    return {tables[chart["dataset_uuid"]] for chart in charts}


def test_committed_exposures_are_what_the_bundle_generator_writes(bundle: Bundle) -> None:
    assert EXPOSURES_PATH.read_text(encoding="utf-8") == render_exposures(bundle), (
        f"{EXPOSURES_PATH.relative_to(PROJECT_ROOT)} is out of date: run `support-kpis superset bundle` and commit it"
    )


def test_each_dashboard_is_an_exposure_depending_on_exactly_the_tables_its_charts_read(
    bundle: Bundle, committed: dict[str, dict[str, Any]]
) -> None:
    assert list(committed) == [spec.key for spec in DASHBOARDS]
    for spec in DASHBOARDS:
        exposure = committed[spec.key]
        dashboard = bundle.documents[f"dashboards/{spec.key}.yaml"]
        assert exposure["type"] == "dashboard" and exposure["maturity"] in ("low", "medium", "high")
        assert exposure["label"] == dashboard["dashboard_title"]
        assert (
            exposure["url"]
            == dashboard_url(dashboard["slug"])
            == f"http://localhost:8088/superset/dashboard/{spec.slug}/"
        )
        assert exposure["owner"]["name"]
        assert _refs(exposure) == _tables_read(bundle, spec.key), spec.key


@pytest.fixture(scope="module")
def docs_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt docs generate` on a warehouse holding only raw data (the hooks need it; the catalog stays empty)."""
    folder = tmp_path_factory.mktemp("docs")
    warehouse = raw_warehouse(generated_sample(folder / "data", tickets=40, seed=5), folder / "warehouse.duckdb")
    target = folder / "target"
    result = dbt(PROJECT_ROOT, "docs", "generate", "--empty-catalog", warehouse=warehouse, target_dir=target)
    assert result.returncode == 0, output(result)[-3000:]
    return target


@pytest.mark.slow
def test_dbt_docs_lineage_ends_in_the_dashboards(docs_target: Path, committed: dict[str, dict[str, Any]]) -> None:
    manifest = json.loads((docs_target / "manifest.json").read_text(encoding="utf-8"))
    assert (docs_target / "index.html").exists()
    for name, exposure in committed.items():
        unique_id = f"exposure.support_kpis.{name}"
        parents = manifest["parent_map"][unique_id]
        assert parents == sorted(f"model.support_kpis.{model}" for model in _refs(exposure))
        assert manifest["child_map"][unique_id] == []  # the end of the lineage
        for parent in parents:
            assert unique_id in manifest["child_map"][parent]


@pytest.mark.slow
def test_dbt_ls_lists_everything_a_dashboard_rests_on(docs_target: Path, committed: dict[str, dict[str, Any]]) -> None:
    name = "agents_and_team"
    arguments = ("ls", "--select", f"+exposure:{name}", "--resource-type", "model", "--output", "name", "--quiet")
    result = dbt(PROJECT_ROOT, *arguments, target_dir=docs_target)
    assert result.returncode == 0, output(result)[-3000:]
    listed = set(result.stdout.split())
    assert _refs(committed[name]) <= listed  # the models its charts read ...
    assert {"stg_agent_activity", "int_ticket_events_sequenced", "fct_survey_responses"} <= listed  # ... and theirs
    assert not listed & {"kpi_values", "fct_customer_months"}  # and nothing it does not rest on
