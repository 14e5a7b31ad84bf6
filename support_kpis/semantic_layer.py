"""The dbt semantic layer (MetricFlow semantic models and metrics), generated from the KPI registry.

The registry stays the one declaration of a KPI; this module renders it into models/semantic_layer/_semantic_layer.yml,
which dbt reads like any other properties file, and tests/dbt_project/test_semantic_layer.py fails when that file is
stale (regenerate with `python -m support_kpis.semantic_layer`).

How the registry maps onto MetricFlow:

- one semantic model per observation model (`model` of the KPIs), with a primary entity, the reporting-zone date
  of each KPI attributed there as a time dimension, and the KPIs' dimensions as categorical dimensions;
- one measure per KPI, its `where` folded into the measure's expression (`case when <where> then <value> end`), so
  the rows outside the KPI aggregate to nothing, and its `agg_time_dimension` the KPI's `<x>_date`: then
  `metric_time__month` is kpi_values' month;
- count, count_distinct, sum, mean: a simple metric; median and p90: a simple metric on a continuous percentile
  measure (percentile_cont, as kpi_values); ratio: simple metrics `<id>_numerator` and `<id>_denominator` (kpi_values'
  numerator and denominator), and the KPI a ratio metric, or a derived metric × 100 for `pct`; net: simple metrics
  `<id>_plus` and `<id>_minus` and the KPI a derived metric `plus − minus`;
- custom KPIs have no metric: `custom_because` in the registry says why (docs/kpi-catalog.md lists them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from support_kpis.kpi_registry import Kpi, Registry, load_registry
from support_kpis.settings import PROJECT_ROOT

SEMANTIC_LAYER_DIR = PROJECT_ROOT / "models" / "semantic_layer"
SEMANTIC_LAYER_FILE = SEMANTIC_LAYER_DIR / "_semantic_layer.yml"
TIME_SPINE_MODEL = "metricflow_time_spine"
PERCENTILES: dict[str, float] = {"median": 0.5, "p90": 0.9}
SIMPLE_AGGREGATIONS: dict[str, str] = {
    "count": "count",
    "count_distinct": "count_distinct",
    "sum": "sum",
    "mean": "average",
    "median": "percentile",
    "p90": "percentile",
}

_HEADER = (
    "# Generated from macros/kpis/kpi_registry.sql by `python -m support_kpis.semantic_layer`. Do not edit.\n"
    "# The dbt semantic layer: one metric per KPI that MetricFlow can express (docs/kpi-catalog.md lists the\n"
    "# others, with why). Query it with `mf query --metrics <kpi_id> --group-by metric_time__month`.\n"
)


@dataclass(frozen=True)
class Entity:
    """A semantic model's primary entity: its name, and its key column when the model has a one-column key."""

    name: str
    key: str | None = None


# The primary entity of every observation model a metric reads. A model without a one-column key (one row per
# agent and day, ...) gets an entity without a key: it can be grouped by, not joined to. Dimensions are named
# `<entity>__<dimension>` in queries (`ticket__channel`).
ENTITIES: dict[str, Entity] = {
    "fct_tickets": Entity("ticket", "ticket_id"),
    "fct_reply_cycles": Entity("reply_cycle", "reply_event_id"),
    "fct_next_replies": Entity("next_reply", "cycle_id"),
    "fct_survey_responses": Entity("survey_response", "response_id"),
    "fct_reviews": Entity("review", "review_id"),
    "fct_agent_replies": Entity("agent_reply", "event_id"),
    "fct_agent_days": Entity("agent_day"),
    "fct_engagement_responses": Entity("engagement_response", "response_id"),
    "fct_kb_articles": Entity("kb_article", "article_id"),
    "fct_self_service_sessions": Entity("self_service_session", "session_id"),
    "int_support_contacts_unioned": Entity("support_contact"),
    "fct_customer_months": Entity("customer_month"),
    "dim_customers": Entity("customer", "customer_id"),
}


def entity_of(kpi: Kpi) -> Entity:
    try:
        return ENTITIES[kpi.model]
    except KeyError:
        raise ValueError(
            f"KPI {kpi.id}: model {kpi.model} has no entity in support_kpis/semantic_layer.py ENTITIES; add it"
        ) from None


def group_by_name(kpi: Kpi, dimension: str) -> str:
    """How `mf query --group-by` names one of the KPI's dimensions."""
    return f"{entity_of(kpi).name}__{dimension}"


def date_column(kpi: Kpi) -> str:
    column = kpi.attributed_date_column
    if column is None:
        raise ValueError(f"KPI {kpi.id}: no reporting-zone date column (attributed_at X_at or attributed_date)")
    return column


def part_metrics(kpi: Kpi) -> dict[str, str]:
    """The helper metrics a KPI's metric is built from: role -> metric name (empty for simple metrics)."""
    if kpi.aggregation == "ratio":
        return {"numerator": f"{kpi.id}_numerator", "denominator": f"{kpi.id}_denominator"}
    if kpi.aggregation == "net":
        return {"plus": f"{kpi.id}_plus", "minus": f"{kpi.id}_minus"}
    return {}


def _one_line(sql: str) -> str:
    return " ".join(sql.split())


def _when(kpi: Kpi, expression: str) -> str:
    """The expression on the KPI's observations only; null elsewhere, which every aggregate skips.

    As in kpi_values, an observation is a row with its attribution column set (an article never published has no
    period) that meets `where`; without the first condition a query without metric_time would count such rows.
    """
    attributed = kpi.attributed_date or kpi.attributed_at
    condition = f"{attributed} is not null"
    if kpi.where:
        condition += f" and ({_one_line(kpi.where)})"
    return f"case when {condition} then {_one_line(expression)} end"


def _measure(name: str, description: str, agg: str, expr: str, kpi: Kpi) -> dict[str, Any]:
    measure: dict[str, Any] = {"name": name, "description": description, "agg": agg, "expr": expr}
    if agg == "percentile":
        measure["agg_params"] = {
            "percentile": PERCENTILES[kpi.aggregation],
            "use_discrete_percentile": False,
            "use_approximate_percentile": False,
        }
    measure["agg_time_dimension"] = date_column(kpi)
    return measure


def measures_for(kpi: Kpi) -> list[dict[str, Any]]:
    aggregation = kpi.aggregation
    if aggregation in SIMPLE_AGGREGATIONS:
        if aggregation == "count":
            expr = _when(kpi, "1")
        elif aggregation == "count_distinct":
            expr = _when(kpi, str(kpi.distinct))
        else:
            expr = _when(kpi, str(kpi.value))
        return [_measure(kpi.id, kpi.formula, SIMPLE_AGGREGATIONS[aggregation], expr, kpi)]
    parts = part_metrics(kpi)
    if aggregation == "ratio":
        return [
            _measure(parts["numerator"], f"{kpi.id}: numerator", "sum", _when(kpi, str(kpi.numerator)), kpi),
            _measure(parts["denominator"], f"{kpi.id}: denominator", "sum", _when(kpi, str(kpi.denominator)), kpi),
        ]
    if aggregation == "net":
        # As kpi_values' per-observation value: +1 when plus holds, else -1 when minus holds.
        plus, minus = _one_line(str(kpi.plus)), _one_line(str(kpi.minus))
        return [
            _measure(
                parts["plus"],
                f"{kpi.id}: observations counting +1 ({plus})",
                "count",
                _when(kpi, f"case when {plus} then 1 end"),
                kpi,
            ),
            _measure(
                parts["minus"],
                f"{kpi.id}: observations counting -1 ({minus})",
                "count",
                _when(kpi, f"case when {plus} then null when {minus} then 1 end"),
                kpi,
            ),
        ]
    raise ValueError(f"KPI {kpi.id}: aggregation {aggregation} has no semantic-layer measure")


def _description(kpi: Kpi) -> str:
    return f"{kpi.description} Formula: {kpi.formula}. Lands in the period of: {kpi.attributed_by}."


def _meta(kpi: Kpi, role: str = "kpi") -> dict[str, Any]:
    return {"meta": {"kpi_id": kpi.id, "role": role, "unit": kpi.unit, "direction": kpi.direction}}


def metrics_for(kpi: Kpi) -> list[dict[str, Any]]:
    parts = part_metrics(kpi)
    helpers = [
        {
            "name": name,
            "label": f"{kpi.name}: {role}",
            "description": f"The {role} of {kpi.id} (kpi_values.{role} where it is stored).",
            "type": "simple",
            "type_params": {"measure": name},
            "config": _meta(kpi, role),
        }
        for role, name in parts.items()
    ]
    metric: dict[str, Any] = {"name": kpi.id, "label": kpi.name, "description": _description(kpi)}
    if not parts:
        metric |= {"type": "simple", "type_params": {"measure": kpi.id}}
    elif kpi.aggregation == "ratio" and kpi.unit != "pct":
        metric |= {
            "type": "ratio",
            "type_params": {"numerator": parts["numerator"], "denominator": parts["denominator"]},
        }
    elif kpi.aggregation == "ratio":
        # × 100 after the division, in kpi_values' order of operations.
        metric |= {
            "type": "derived",
            "type_params": {
                "expr": "numerator / nullif(denominator, 0) * 100.0",
                "metrics": [{"name": name, "alias": role} for role, name in parts.items()],
            },
        }
    else:
        metric |= {
            "type": "derived",
            "type_params": {
                "expr": "plus - minus",
                "metrics": [{"name": name, "alias": role} for role, name in parts.items()],
            },
        }
    metric["config"] = _meta(kpi)
    return [*helpers, metric]


def _time_granularity(column: str) -> str:
    # A month column (revenue_month) holds first days of months: MetricFlow must not offer days of it.
    return "month" if column.endswith("_month") else "day"


def semantic_model(model: str, kpis: list[Kpi], registry: Registry) -> dict[str, Any]:
    entity = ENTITIES[model]
    dates = list(dict.fromkeys(date_column(kpi) for kpi in kpis))
    dimension_order = [d for dims in registry.dimension_sets.values() for d in dims]
    used = {d for kpi in kpis for d in kpi.dimensions if d != "all"}
    categorical = sorted(used, key=dimension_order.index)
    document: dict[str, Any] = {
        "name": model,
        "description": f"KPI observations, one row of {model} each; the measures are its KPIs' (see the KPI registry).",
        "model": f"ref('{model}')",
        "defaults": {"agg_time_dimension": dates[0]},
    }
    if entity.key:
        document["entities"] = [{"name": entity.name, "type": "primary", "expr": entity.key}]
    else:
        document["primary_entity"] = entity.name
    document["dimensions"] = [
        *(
            {
                "name": column,
                "description": "The period of the KPIs attributed to it, in the reporting time zone.",
                "type": "time",
                "type_params": {"time_granularity": _time_granularity(column)},
            }
            for column in dates
        ),
        *({"name": dimension, "type": "categorical"} for dimension in categorical),
    ]
    document["measures"] = [measure for kpi in kpis for measure in measures_for(kpi)]
    return document


def time_spine_properties() -> dict[str, Any]:
    return {
        "name": TIME_SPINE_MODEL,
        "description": (
            "MetricFlow's time spine: one row per day (never per ticket and day), from 1970 to 2099. MetricFlow "
            "reads it for cumulative and offset metrics and to fill periods without rows."
        ),
        "time_spine": {"standard_granularity_column": "date_day"},
        "columns": [
            {
                "name": "date_day",
                "description": "The day.",
                "granularity": "day",
                "data_tests": ["unique", "not_null"],
            }
        ],
    }


def document(registry: Registry) -> dict[str, Any]:
    metric_kpis = [kpi for kpi in registry.kpis if kpi.is_semantic_metric]
    by_model: dict[str, list[Kpi]] = {}
    for kpi in metric_kpis:
        entity_of(kpi)
        by_model.setdefault(kpi.model, []).append(kpi)
    return {
        "version": 2,
        "models": [time_spine_properties()],
        "semantic_models": [semantic_model(model, kpis, registry) for model, kpis in by_model.items()],
        "metrics": [metric for kpi in metric_kpis for metric in metrics_for(kpi)],
    }


class _Dumper(yaml.SafeDumper):
    """Block style with list items indented under their key, as the project's hand-written YAML."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Long prose and SQL as folded blocks (`>-`), like the hand-written YAML, rather than quoted lines.
    style = ">" if len(text) > 80 and "\n" not in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def render(registry: Registry) -> str:
    body = yaml.dump(document(registry), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    # A blank line between top-level sections and between their items, for reading.
    lines: list[str] = []
    for line in body.splitlines():
        if lines and (not line.startswith(" ") or line.startswith("  - ")):
            lines.append("")
        lines.append(line)
    return _HEADER + "\n" + "\n".join(lines) + "\n"


def write(path: Path = SEMANTIC_LAYER_FILE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(load_registry()), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write())
