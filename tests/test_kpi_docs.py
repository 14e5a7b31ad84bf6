"""The KPI docs block is generated from the registry and must not drift from it."""

from __future__ import annotations

from support_kpis.kpi_docs import DOCS_FILE, render
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
