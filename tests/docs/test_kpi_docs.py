"""The KPI docs block is generated from the registry and must not drift from it."""

from __future__ import annotations

from support_kpis.kpi_docs import CATALOG_FILE, DOCS_FILE, render, render_catalog
from support_kpis.kpi_registry import load_registry


def test_docs_block_is_current() -> None:
    assert DOCS_FILE.read_text(encoding="utf-8") == render(load_registry()), (
        "models/marts/_marts__docs.md is stale: run `python -m support_kpis.kpi_docs`"
    )


def test_every_kpi_is_documented_with_unit_and_direction() -> None:
    registry = load_registry()
    text = DOCS_FILE.read_text(encoding="utf-8")
    assert len(set(registry.ids)) == len(registry.ids), "duplicate KPI ids in the registry"
    for kpi in registry.kpis:
        assert f"| `{kpi.id}` | {kpi.unit} |" in text
        assert kpi.description and kpi.formula and kpi.attributed_by


def test_the_users_kpi_catalog_is_current() -> None:
    assert CATALOG_FILE.read_text(encoding="utf-8") == render_catalog(load_registry()), (
        "docs/kpi-catalog.md is stale: run `python -m support_kpis.kpi_docs`"
    )
    text = CATALOG_FILE.read_text(encoding="utf-8")
    assert all(f"| `{kpi.id}` |" in text for kpi in load_registry().kpis)
