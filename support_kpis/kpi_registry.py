"""The KPI registry, read from its single declaration in macros/kpis/kpi_registry.sql.

dbt reads the YAML with `fromyaml` (and the macro `checked_kpi_registry`); Python reads the very same text here, so
the KPI docs, the dbt semantic layer and the Superset metrics derive from the declaration that drives SQL. Both
readers reject a key the registry's `fields` do not list, so a typo fails loudly instead of being ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from support_kpis.settings import PROJECT_ROOT

REGISTRY_FILE = PROJECT_ROOT / "macros" / "kpis" / "kpi_registry.sql"
_YAML_BLOCK = re.compile(r"{%\s*set kpi_registry_yaml\s*%}(.*?){%\s*endset\s*%}", re.DOTALL)
ALL_GRAINS: tuple[str, ...] = ("day", "week", "month")
SECTIONS: tuple[str, ...] = ("fields", "inputs", "source_gaps", "dimension_sets", "measures", "kpis")
AGGREGATIONS: tuple[str, ...] = ("count", "count_distinct", "sum", "net", "ratio", "mean", "median", "p90", "custom")

# What an aggregation needs besides the common fields, and what it may add. A field an aggregation does not use is
# rejected too: a `value` on a ratio would be as silently ignored as a typo.
_REQUIRED: dict[str, frozenset[str]] = {
    "count": frozenset(),
    "count_distinct": frozenset({"distinct"}),
    "sum": frozenset({"value"}),
    "net": frozenset({"plus", "minus"}),
    "ratio": frozenset({"numerator", "denominator"}),
    "mean": frozenset({"value"}),
    "median": frozenset({"value"}),
    "p90": frozenset({"value"}),
    "custom": frozenset({"value", "sample", "custom_because"}),
}
_OPTIONAL: dict[str, frozenset[str]] = {
    "custom": frozenset({"numerator", "denominator", "where"}),
}
_OBSERVATION_OPTIONAL = frozenset({"where", "sample"})
_COMMON = frozenset(
    {
        "id",
        "name",
        "section",
        "description",
        "formula",
        "unit",
        "direction",
        "attributed_by",
        "required_tables",
        "requires_var",
        "grains",
        "dimension_set",
        "aggregation",
        "model",
        "attributed_at",
        "attributed_date",
        "measure",
        "needs",
    }
)


class RegistryError(ValueError):
    """The registry declares something its readers would misread (an unknown key, a missing field, ...)."""


@dataclass(frozen=True)
class Kpi:
    """One KPI, fully spelled out: a KPI naming a shared measure carries that measure's fields."""

    id: str
    name: str
    section: str
    description: str
    formula: str
    unit: str
    direction: str
    attributed_by: str
    required_tables: tuple[str, ...]
    grains: tuple[str, ...]
    dimensions: tuple[str, ...]
    aggregation: str
    model: str
    attributed_at: str | None = None
    where: str | None = None
    value: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    attributed_date: str | None = None
    distinct: str | None = None
    sample: str | None = None
    requires_var: str | None = None
    measure: str | None = None
    plus: str | None = None
    minus: str | None = None
    custom_because: str | None = None
    needs: tuple[str, ...] = ()

    @property
    def is_semantic_metric(self) -> bool:
        """Whether the dbt semantic layer (MetricFlow) expresses the KPI: every aggregation but `custom`."""
        return self.aggregation != "custom"

    @property
    def attributed_date_column(self) -> str | None:
        """`attributed_date`, or the reporting-zone date of `attributed_at` (`X_at` -> `X_date`)."""
        if self.attributed_date:
            return self.attributed_date
        if not self.attributed_at or not self.attributed_at.endswith("_at"):
            return None
        return self.attributed_at[: -len("_at")] + "_date"


@dataclass(frozen=True)
class Registry:
    dimension_sets: dict[str, tuple[str, ...]]
    kpis: tuple[Kpi, ...]
    # input -> what it is; source -> input -> why that source cannot supply it.
    inputs: dict[str, str] = field(default_factory=dict)
    source_gaps: dict[str, dict[str, str]] = field(default_factory=dict)

    def unavailable_reason(self, kpi: Kpi, source: str) -> str | None:
        """Why `source` cannot give this KPI (the first gap among its needs), or None."""
        gaps = self.source_gaps.get(source, {})
        return next((gaps[need] for need in kpi.needs if need in gaps), None)

    def kpi(self, kpi_id: str) -> Kpi:
        for kpi in self.kpis:
            if kpi.id == kpi_id:
                return kpi
        raise KeyError(kpi_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self.kpis)


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def _check_keys(what: str, entry: Mapping[str, Any], allowed: list[str]) -> None:
    unknown = [key for key in entry if key not in allowed]
    if unknown:
        raise RegistryError(
            f"KPI registry ({REGISTRY_FILE.name}): {what} has unknown key(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(allowed)}"
        )


def _with_measure(entry: dict[str, Any], measures: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The KPI with its shared measure's fields (as the macro gives them)."""
    kpi_id = entry.get("id", "?")
    resolved = dict(entry)
    if "measure" in entry:
        if entry["measure"] not in measures:
            raise RegistryError(f"KPI {kpi_id} names an unknown measure {entry['measure']}")
        shared = measures[entry["measure"]]
        repeated = [key for key in entry if key in shared]
        if repeated:
            raise RegistryError(
                f"KPI {kpi_id} sets {', '.join(repeated)}, which its measure {entry['measure']} already declares"
            )
        resolved.update(shared)
    return resolved


def _check_kpi(entry: Mapping[str, Any], dimension_sets: Mapping[str, Any]) -> None:
    kpi_id = entry.get("id", "?")
    aggregation = entry.get("aggregation")
    if aggregation not in AGGREGATIONS:
        raise RegistryError(f"KPI {kpi_id}: aggregation {aggregation!r} is not one of {', '.join(AGGREGATIONS)}")
    missing = sorted(_REQUIRED[aggregation] - set(entry))
    if "model" not in entry:
        missing.append("model")
    if aggregation != "custom" and ("attributed_at" in entry) == ("attributed_date" in entry):
        missing.append("attributed_at or attributed_date (exactly one)")
    if missing:
        raise RegistryError(f"KPI {kpi_id} ({aggregation}) needs {', '.join(missing)}")
    optional = _OPTIONAL.get(aggregation, _OBSERVATION_OPTIONAL)
    unused = sorted(set(entry) - _COMMON - _REQUIRED[aggregation] - optional)
    if aggregation == "custom":
        unused += sorted({"attributed_at", "attributed_date", "measure"} & set(entry))
    if unused:
        raise RegistryError(f"KPI {kpi_id}: {', '.join(unused)} do(es) not apply to aggregation {aggregation}")
    if entry.get("dimension_set") and entry["dimension_set"] not in dimension_sets:
        raise RegistryError(f"KPI {kpi_id} names an unknown dimension_set {entry['dimension_set']}")


def parse_registry(text: str) -> Registry:
    match = _YAML_BLOCK.search(text)
    if not match:
        raise RegistryError("no `{% set kpi_registry_yaml %}` block in the registry macro")
    data = yaml.safe_load(match.group(1))
    _check_keys("the registry", data, list(SECTIONS))
    allowed_kpi, allowed_measure = list(data["fields"]["kpi"]), list(data["fields"]["measure"])
    # The YAML's `fields` and this reader must agree, or a listed key would be accepted and then dropped.
    readable = {f.name for f in fields(Kpi)} - {"dimensions"} | {"dimension_set"}
    if set(allowed_kpi) != readable:
        raise RegistryError(
            f"fields.kpi and kpi_registry.Kpi disagree: {sorted(set(allowed_kpi) ^ readable)} (update both)"
        )
    measures: dict[str, dict[str, Any]] = data.get("measures") or {}
    for name, measure in measures.items():
        _check_keys(f"measure {name}", measure, allowed_measure)
    inputs: dict[str, str] = {name: _one_line(text) for name, text in (data.get("inputs") or {}).items()}
    source_gaps: dict[str, dict[str, str]] = {}
    for source, gaps in (data.get("source_gaps") or {}).items():
        unknown = sorted(set(gaps) - set(inputs))
        if unknown:
            raise RegistryError(f"source_gaps.{source} names unknown input(s) {', '.join(unknown)}")
        source_gaps[source] = {name: _one_line(reason) for name, reason in gaps.items()}
    dimension_sets = {name: tuple(dims) for name, dims in data["dimension_sets"].items()}
    kpis = []
    for raw in data["kpis"]:
        _check_keys(f"KPI {raw.get('id', '?')}", raw, allowed_kpi)
        entry = _with_measure(raw, measures)
        _check_kpi(entry, dimension_sets)
        unknown_needs = sorted(set(entry.get("needs", ())) - set(inputs))
        if unknown_needs:
            raise RegistryError(f"KPI {entry['id']} needs unknown input(s) {', '.join(unknown_needs)}")
        if entry["aggregation"] == "net":
            # What kpi_values sums per observation (the macro derives the same expression).
            entry["value"] = f"case when {entry['plus']} then 1 when {entry['minus']} then -1 else 0 end"
        dims = dimension_sets[entry["dimension_set"]] if entry.get("dimension_set") else ()
        kpis.append(
            Kpi(
                id=entry["id"],
                name=entry["name"],
                section=entry["section"],
                description=_one_line(entry["description"]),
                formula=entry["formula"],
                unit=entry["unit"],
                direction=entry["direction"],
                attributed_by=entry["attributed_by"],
                required_tables=tuple(entry["required_tables"]),
                grains=tuple(entry.get("grains", ALL_GRAINS)),
                dimensions=("all", *dims),
                aggregation=entry["aggregation"],
                model=entry["model"],
                attributed_at=entry.get("attributed_at"),
                where=entry.get("where"),
                value=_one_line(entry["value"]) if "value" in entry else None,
                numerator=entry.get("numerator"),
                denominator=entry.get("denominator"),
                attributed_date=entry.get("attributed_date"),
                distinct=entry.get("distinct"),
                sample=entry.get("sample"),
                requires_var=entry.get("requires_var"),
                measure=entry.get("measure"),
                plus=entry.get("plus"),
                minus=entry.get("minus"),
                custom_because=_one_line(entry["custom_because"]) if "custom_because" in entry else None,
                needs=tuple(entry.get("needs", ())),
            )
        )
    ids = [kpi.id for kpi in kpis]
    duplicates = sorted({kpi_id for kpi_id in ids if ids.count(kpi_id) > 1})
    if duplicates:
        raise RegistryError(f"duplicate KPI id(s): {', '.join(duplicates)}")
    return Registry(dimension_sets, tuple(kpis), inputs, source_gaps)


@cache
def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    return parse_registry(path.read_text(encoding="utf-8"))
