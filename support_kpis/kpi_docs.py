"""Render the dbt docs blocks of kpi_values and kpi_catalog from the KPI registry.

dbt cannot call macros from a YAML description, so the registry is rendered into
a docs-block Markdown file; tests/test_kpi_docs.py fails when it is stale
(regenerate with `python -m support_kpis.kpi_docs`).
"""

from __future__ import annotations

from pathlib import Path

from support_kpis.kpi_registry import Registry, load_registry
from support_kpis.settings import PROJECT_ROOT

DOCS_FILE = PROJECT_ROOT / "models" / "marts" / "_marts__docs.md"

_DIRECTIONS = {"higher_is_better": "higher is better", "lower_is_better": "lower is better", "neutral": "neutral"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(registry: Registry) -> str:
    lines = [
        "{# Generated from macros/kpis/kpi_registry.sql by `python -m support_kpis.kpi_docs`. Do not edit. #}",
        "",
        "{% docs kpi_values %}",
        "One row per KPI, grain, period and segment. A row exists only where `sample_size > 0`;",
        "a count KPI with no row is zero. Ratios keep their additive parts: roll them up as",
        "`sum(numerator) / sum(denominator)` (× 100 for `pct`), never by averaging `value`.",
        "Periods are half-open `[start, next start)` in the reporting time zone (var `reporting_timezone`);",
        "nothing after the as-of time (var `as_of`, default the latest activity) exists.",
        "",
        "| kpi_id | unit | direction | lands in the period of | definition | formula |",
        "|---|---|---|---|---|---|",
    ]
    for kpi in registry.kpis:
        lines.append(
            f"| `{kpi.id}` | {kpi.unit} | {_DIRECTIONS[kpi.direction]} | {_cell(kpi.attributed_by)} "
            f"| {_cell(kpi.description)} | {_cell(kpi.formula)} |"
        )
    lines += [
        "{% enddocs %}",
        "",
        "{% docs kpi_catalog %}",
        "One row per KPI: what it measures, its unit, direction, attribution, grains, dimensions and",
        "formula, and `is_available` (false when a table it needs was not supplied).",
        "Generated from the KPI registry (`macros/kpis/kpi_registry.sql`), the single declaration",
        "from which kpi_values' SQL and the Superset metrics also derive.",
        "{% enddocs %}",
        "",
    ]
    return "\n".join(lines)


def write(path: Path = DOCS_FILE) -> Path:
    path.write_text(render(load_registry()), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write())
