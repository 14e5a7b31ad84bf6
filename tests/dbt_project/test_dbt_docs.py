"""Every model and every column the warehouse holds is documented in the dbt YAML, and nothing stale is."""

from __future__ import annotations

import json
from pathlib import Path

from tests.warehouses import query


def test_every_model_and_column_is_documented(sample_warehouse: Path, session_dir: Path) -> None:
    manifest = json.loads((session_dir / "sample-target" / "manifest.json").read_text(encoding="utf-8"))
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert len(models) > 20
    problems: list[str] = []
    for node in models:
        if not node["description"].strip():
            problems.append(f"{node['name']}: no description")
        actual = {
            row[0]
            for row in query(
                sample_warehouse,
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [node["schema"], node["alias"]],
            )
        }
        documented = {name for name, column in node["columns"].items() if column["description"].strip()}
        if not actual:
            problems.append(f"{node['name']}: not in the warehouse")
        if actual - documented:
            problems.append(f"{node['name']}: undocumented columns {sorted(actual - documented)}")
        if set(node["columns"]) - actual:
            stale = sorted(set(node["columns"]) - actual)
            problems.append(f"{node['name']}: documented columns that do not exist {stale}")
    assert not problems, "\n".join(problems)


def test_dbt_docs_generate_works(sample_warehouse: Path, session_dir: Path) -> None:
    from support_kpis.dbt_runner import run_dbt

    target = session_dir / "docs-target"
    run_dbt(["docs", "generate"], warehouse=sample_warehouse, target_dir=target, quiet=True)
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    nodes = {node["metadata"]["name"] for node in catalog["nodes"].values()}
    assert {"kpi_values", "kpi_catalog", "fct_tickets", "kpi_scorecard"} <= nodes
    assert (target / "index.html").exists()
