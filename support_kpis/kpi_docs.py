"""Render the KPI docs from the KPI registry: the dbt docs blocks of kpi_values and kpi_catalog, and the users'
catalog page docs/kpi-catalog.md.

dbt cannot call macros from a YAML description, so the registry is rendered into
a docs-block Markdown file; tests/docs/test_kpi_docs.py fails when either file is stale
(regenerate with `python -m support_kpis.kpi_docs`).
"""

from __future__ import annotations

from pathlib import Path

from support_kpis.kpi_registry import Registry, load_registry
from support_kpis.semantic_layer import ENTITIES, part_metrics
from support_kpis.settings import PROJECT_ROOT

DOCS_FILE = PROJECT_ROOT / "models" / "marts" / "_marts__docs.md"
CATALOG_FILE = PROJECT_ROOT / "docs" / "kpi-catalog.md"

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
        "formula, `is_available` and, when false, `unavailable_reason`: a table it needs was not supplied, its",
        "switch var is off, or the run's source adapter (dbt var `source`) cannot supply an input it needs.",
        "Generated from the KPI registry (`macros/kpis/kpi_registry.sql`), the single declaration",
        "from which kpi_values' SQL and the Superset metrics also derive.",
        "{% enddocs %}",
        "",
    ]
    return "\n".join(lines)


_SECTIONS = {
    "volume_and_flow": "Volume and flow",
    "speed": "Speed",
    "sla": "SLA",
    "customer_experience": "Customer experience",
    "agents_and_team": "Agents and team",
    "self_service": "Self-service",
    "customers_and_money": "Customers and money",
}

_CATALOG_INTRO = """\
# KPI catalog

Every KPI support-kpis computes, from its single declaration in `macros/kpis/kpi_registry.sql` (the same
declaration drives the SQL of `kpi_values`, the `kpi_catalog` table, the dbt docs and the Superset metrics). Query
a KPI by its id: `select * from kpi_values where kpi_id = '...'`. Opinionated choices behind the definitions are in
[DECISIONS.md](../DECISIONS.md).

## The output tables

**`kpi_values`**: one row per KPI, grain (`day`, `week` (ISO, Monday) or `month`), period, dimension and segment.
Columns: `kpi_id`, `grain`, `period_start` (first day of the period in the reporting time zone), `dimension`
(`all`, or one of the KPI's dimensions below), `dimension_value` (`all` when dimension = `all`), `value`,
`numerator` and `denominator` (the additive parts of a ratio: value = numerator / denominator, × 100 for `pct`;
null for medians and percentiles), `sample_size`. A row exists only where `sample_size > 0`: a count KPI with no
row is zero. Roll ratios up as `sum(numerator) / sum(denominator)`, never by averaging `value`.

**`kpi_catalog`**: one row per KPI with the columns of the tables below, its grains, dimensions, required tables
`is_available` and `unavailable_reason` (a table it needs was not supplied, its switch var is off, or the run's
source adapter cannot supply an input it needs: see "Not available from every source" below).

**`kpi_scorecard`**: the reported period of each grain, each KPI against `kpi_targets` with the previous
period's value, the change, `on_target`, `off_target` or `no_target`, and the `sample_size` the value rests
on. The reported period is the latest complete one; when it holds no KPI value at all (a first export covering
only the running month), it is the latest period that does, and `period_label` says "month to date" (week,
day). Changes of `pct` and `score` KPIs are in points (`change_label` '+11.7 points'); of counts, durations and
currency, relative ('-4.2%', `change_pct`).

Periods are half-open `[start, next start)` in the reporting time zone (var `reporting_timezone`, default UTC);
nothing after the as-of time (var `as_of`, default the latest activity) exists.
"""


def render_catalog(registry: Registry) -> str:
    """docs/kpi-catalog.md: every KPI by section, with what it measures and how."""
    lines = [
        "<!-- Generated from macros/kpis/kpi_registry.sql by `python -m support_kpis.kpi_docs`. Do not edit. -->",
        "",
        _CATALOG_INTRO.rstrip("\n"),
    ]
    for section, title in _SECTIONS.items():
        kpis = [kpi for kpi in registry.kpis if kpi.section == section]
        if not kpis:
            continue
        lines += [
            "",
            f"## {title}",
            "",
            "| kpi_id | name | unit | direction | lands in the period of | definition | formula | needs |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for kpi in kpis:
            needs = ", ".join(f"`{table}`" for table in kpi.required_tables)
            lines.append(
                f"| `{kpi.id}` | {_cell(kpi.name)} | {kpi.unit} | {_DIRECTIONS[kpi.direction]} "
                f"| {_cell(kpi.attributed_by)} | {_cell(kpi.description)} | {_cell(kpi.formula)} | {needs} |"
            )
    lines += ["", "## Dimensions", "", "| KPIs of | can be cut by |", "|---|---|"]
    for name, dimensions in registry.dimension_sets.items():
        lines.append(f"| `{name}` | {', '.join(f'`{d}`' for d in dimensions)} |")
    lines += _source_gaps_section(registry)
    lines += _semantic_layer_section(registry)
    return "\n".join(lines) + "\n"


def _source_gaps_section(registry: Registry) -> list[str]:
    """Which KPIs each source adapter cannot give, and why (kpi_catalog's unavailable_reason)."""
    lines = [
        "",
        "## Not available from every source",
        "",
        "The dbt var `source` picks the adapter that produces the contract's tables (`contract`, the default, supplies",
        "everything; see [sources](sources.md)). Some sources cannot supply an input a KPI needs; over such a source",
        "the KPI has `is_available = false` in `kpi_catalog`, this reason in `unavailable_reason`, and no rows in",
        "`kpi_values` (never a value computed from a guess).",
        "",
        "| source | kpi_id | reason |",
        "|---|---|---|",
    ]
    for source in registry.source_gaps:
        for kpi in registry.kpis:
            reason = registry.unavailable_reason(kpi, source)
            if reason:
                lines.append(f"| `{source}` | `{kpi.id}` | {_cell(reason)} |")
    return lines


_SEMANTIC_LAYER_INTRO = """\
## In the dbt semantic layer

Every KPI is also a dbt metric of the same id, except those listed below. The semantic models and metrics
(`models/semantic_layer/_semantic_layer.yml`) are generated from the same registry; query them with MetricFlow after
a `dbt build` (or `./run build`) of the warehouse:

```bash
.venv/bin/mf query --metrics tickets_created,reopen_rate_pct --group-by metric_time__month,ticket__channel
```

`metric_time` is the date a KPI lands on, in the reporting time zone, so `metric_time__month` gives kpi_values'
months (and `metric_time__week` its ISO weeks). A dimension is named after the entity of the KPI's model:
`<entity>__<dimension>` with the entity in the table below. Ratios also have their parts as metrics
(`<kpi_id>_numerator`, `<kpi_id>_denominator`: kpi_values' numerator and denominator), net counts theirs
(`<kpi_id>_plus`, `<kpi_id>_minus`).

Where kpi_values has no row, MetricFlow may still return one: a period and segment whose model has rows but none of
the KPI's gives a count of 0 or a null (kpi_values keeps only rows with `sample_size > 0`), and observations whose
dimension is null (a survey response without a ticket has no `channel`) form a null group, which kpi_values leaves
out. MetricFlow reads the working warehouse (`warehouse/support_kpis.duckdb`), not the published copy.
"""


def _semantic_layer_section(registry: Registry) -> list[str]:
    metric_kpis = [kpi for kpi in registry.kpis if kpi.is_semantic_metric]
    lines = ["", _SEMANTIC_LAYER_INTRO.rstrip("\n"), "", "| model | entity | KPIs |", "|---|---|---|"]
    for model, entity in ENTITIES.items():
        ids = [kpi.id for kpi in metric_kpis if kpi.model == model]
        if ids:
            lines.append(f"| `{model}` | `{entity.name}` | {', '.join(f'`{kpi_id}`' for kpi_id in ids)} |")
    lines += [
        "",
        "### KPIs the semantic layer does not express",
        "",
        "They are `custom` in the registry: computed by their own model, in kpi_values only.",
        "",
        "| kpi_id | why |",
        "|---|---|",
    ]
    for kpi in registry.kpis:
        if not kpi.is_semantic_metric:
            lines.append(f"| `{kpi.id}` | {_cell(str(kpi.custom_because))} |")
    parts = sum(len(part_metrics(kpi)) for kpi in metric_kpis)
    lines += [
        "",
        f"{len(metric_kpis)} of {len(registry.kpis)} KPIs are metrics ({parts} more metrics are parts of ratios and "
        "net counts).",
    ]
    return lines


def write(path: Path = DOCS_FILE, catalog: Path = CATALOG_FILE) -> tuple[Path, Path]:
    registry = load_registry()
    path.write_text(render(registry), encoding="utf-8")
    catalog.parent.mkdir(parents=True, exist_ok=True)
    catalog.write_text(render_catalog(registry), encoding="utf-8")
    return path, catalog


if __name__ == "__main__":
    print(*write(), sep="\n")
