"""The KPI registry, read from its single declaration in macros/kpis/kpi_registry.sql.

dbt reads the YAML with `fromyaml`; Python reads the very same text here, so the
KPI docs and the Superset metrics derive from the declaration that drives SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from support_kpis.settings import PROJECT_ROOT

REGISTRY_FILE = PROJECT_ROOT / "macros" / "kpis" / "kpi_registry.sql"
_YAML_BLOCK = re.compile(r"{%\s*set kpi_registry_yaml\s*%}(.*?){%\s*endset\s*%}", re.DOTALL)
ALL_GRAINS: tuple[str, ...] = ("day", "week", "month")


@dataclass(frozen=True)
class Kpi:
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
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Registry:
    dimension_sets: dict[str, tuple[str, ...]]
    kpis: tuple[Kpi, ...]

    def kpi(self, kpi_id: str) -> Kpi:
        for kpi in self.kpis:
            if kpi.id == kpi_id:
                return kpi
        raise KeyError(kpi_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self.kpis)


_KNOWN = {f for f in Kpi.__dataclass_fields__ if f not in ("dimensions", "extra")} | {"dimension_set"}


def parse_registry(text: str) -> Registry:
    match = _YAML_BLOCK.search(text)
    if not match:
        raise ValueError("no `{% set kpi_registry_yaml %}` block in the registry macro")
    data = yaml.safe_load(match.group(1))
    dimension_sets = {name: tuple(dims) for name, dims in data["dimension_sets"].items()}
    kpis = []
    for entry in data["kpis"]:
        dims = dimension_sets[entry["dimension_set"]] if entry.get("dimension_set") else ()
        kpis.append(
            Kpi(
                id=entry["id"],
                name=entry["name"],
                section=entry["section"],
                description=" ".join(str(entry["description"]).split()),
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
                value=" ".join(str(entry["value"]).split()) if "value" in entry else None,
                numerator=entry.get("numerator"),
                denominator=entry.get("denominator"),
                attributed_date=entry.get("attributed_date"),
                distinct=entry.get("distinct"),
                sample=entry.get("sample"),
                requires_var=entry.get("requires_var"),
                extra={k: v for k, v in entry.items() if k not in _KNOWN},
            )
        )
    return Registry(dimension_sets, tuple(kpis))


@cache
def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    return parse_registry(path.read_text(encoding="utf-8"))
