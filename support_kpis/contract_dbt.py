"""Write the dbt YAML of the raw data contract: the sources and the staging models, with their tests.

models/staging/__sources.yml (the raw tables, their columns and source freshness) and
models/staging/_staging__models.yml (stg_<table>: docs, primary-key and foreign-key tests) restate
support_kpis/contract.py, so they are generated from it: edit the contract (or the staging facts below) and run
`python -m support_kpis.contract_dbt`. tests/dbt_project/test_contract_dbt.py fails when a file is stale. The
staging SQL stays hand-written; tests/test_dbt_docs.py checks that its columns are the ones documented here.

Severities: the loader (which always runs) de-duplicates every table on its primary key and sets aside rows with
an empty required column, so a duplicate or null key in staging is a bug: error. References warn. Most may
legally point outside the export (a survey about an older ticket, an agent missing from agents.csv); an event of
an absent ticket is set aside by the validation gate (orphan_event), a separate step, and the models leave such
events out, so when the gate was skipped the warning makes it visible without stopping the KPIs. A reference
into an optional table that was not supplied is not checked at all (relationships_when_present).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN, TABLES, Column, Delivery, Table
from support_kpis.loading.layout import INVENTORY_COLUMNS
from support_kpis.settings import PROJECT_ROOT

STAGING_DIR = PROJECT_ROOT / "models" / "staging"
SOURCES_FILE = STAGING_DIR / "__sources.yml"
STAGING_MODELS_FILE = STAGING_DIR / "_staging__models.yml"
COMMAND = "python -m support_kpis.contract_dbt"
SOURCE_NAME = "raw"
INVENTORY_TABLE = "table_inventory"

_HEADER = f"# Generated from support_kpis/contract.py by `{COMMAND}`. Do not edit.\n"

SOURCE_DESCRIPTION = (
    "Raw tables of the data contract (docs/data-contract.md), written by `support-kpis load` with types applied: "
    "timestamps in UTC, enums lower-cased, duplicates resolved."
)
INVENTORY_DESCRIPTION = "Written by the loader: which contract tables were present and how many rows each had."
INVENTORY_DOCS = {
    "table_name": "Contract table name.",
    "is_present": "True when the user supplied the table.",
    "source_file": "File it was loaded from.",
    "rows_read": "Rows in the file.",
    "rows_loaded": "Rows that reached the raw table.",
    "rows_quarantined": "Rows moved to the quarantine schema.",
    "rows_duplicate_exact": "Exact duplicate rows dropped.",
    "rows_superseded": "Older versions of a primary key, replaced by a newer row.",
    "loaded_at": "When the load ran (UTC).",
}
LINEAGE_DOCS = {
    SOURCE_FILE_COLUMN: "File the row was loaded from (added by the loader).",
    SOURCE_ROW_COLUMN: "Row of the source file, header = row 1 (added by the loader).",
}
STAGING_LINEAGE = {
    SOURCE_FILE_COLUMN: ("source_file_name", "File the row was loaded from."),
    SOURCE_ROW_COLUMN: (
        "source_row_number",
        "Row of the source file (header = row 1); breaks ties between events at the same instant.",
    ),
}

# Freshness thresholds (days: warn, error) by the table's delivery. Daily feeds warn after one missed daily load
# and fail after a week (the input gate's default --freshness-days); occasional events (reviews, engagement
# pulses) may be quiet for a month; a monthly table's newest month is the first day of the current or the last
# closed month, so up to two months old; snapshots and configuration are judged by when the loader wrote them.
FRESHNESS_DAYS: dict[Delivery, tuple[int, int]] = {
    "daily": (2, 7),
    "occasional": (31, 92),
    "monthly": (62, 92),
    "snapshot": (2, 7),
}


@dataclass(frozen=True)
class Staging:
    """What stg_<table> does to the raw columns beyond casting: renames and notes on changed values."""

    renames: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


STAGING: dict[str, Staging] = {
    "tickets": Staging(
        notes={
            "priority": "Null in the raw data becomes normal.",
            "category": "Null in the raw data becomes uncategorized.",
        }
    ),
    "agents": Staging(renames={"hired_at": "hired_date", "terminated_at": "terminated_date", "name": "agent_name"}),
    "customers": Staging(renames={"created_at": "became_customer_at"}),
    "customer_revenue": Staging(renames={"month": "revenue_month"}),
    "reviews": Staging(renames={"source": "review_source"}),
    "kb_articles": Staging(renames={"title": "article_title", "category": "article_category"}),
    "self_service_sessions": Staging(renames={"resolved": "is_resolved", "helpful": "is_helpful"}),
    "support_costs": Staging(renames={"month": "cost_month", "category": "cost_category"}),
    "marketing_spend": Staging(renames={"month": "spend_month"}),
    "holidays": Staging(renames={"name": "holiday_name"}),
    "sla_policies": Staging(renames={"business_hours": "is_business_hours"}),
    "ticket_sla_targets": Staging(renames={"business_hours": "is_business_hours"}),
}

# The staging SQL lists columns in these groups, and so does its YAML.
_GROUPS = ("ids", "dates", "timestamps", "booleans", "numerics", "attributes")


def model_name(table: str) -> str:
    return f"stg_{table}"


def staging_column(table: str, column: str) -> str:
    return STAGING.get(table, Staging()).renames.get(column, column)


def _group(column: Column) -> str:
    if column.type == "string" and column.name.endswith("_id"):
        return "ids"
    return {
        "date": "dates",
        "month": "dates",
        "timestamp": "timestamps",
        "boolean": "booleans",
        "integer": "numerics",
        "number": "numerics",
    }.get(column.type, "attributes")


def _meaning(column: Column) -> str:
    return column.description or column.name.replace("_", " ").capitalize() + "."


def _enum_values(column: Column) -> str:
    return "One of: " + ", ".join(column.enum)


def source_column_description(column: Column) -> str:
    text = _meaning(column)
    return f"{text} {_enum_values(column)}." if column.enum else text


def _staging_column_description(table: Table, column: Column) -> str:
    staging = STAGING.get(table.name, Staging())
    parts = [_meaning(column)]
    if column.enum:
        parts.append(f"{_enum_values(column)} (lower case).")
    if column.name in staging.notes:
        parts.append(staging.notes[column.name])
    if column.name in staging.renames:
        parts.append(f"Raw column `{column.name}`.")
    if column.type == "timestamp" and "UTC" not in parts[0]:
        parts.append("UTC.")
    return " ".join(parts)


def _table_kind(table: Table) -> str:
    if table.is_configuration:
        return "Configuration; optional, the seed of the same name is the default."
    return "Required." if table.required else "Optional."


def _freshness(days: tuple[int, int]) -> dict[str, Any]:
    warn, error = days
    return {"warn_after": {"count": warn, "period": "day"}, "error_after": {"count": error, "period": "day"}}


def _source_table(table: Table) -> dict[str, Any]:
    delivery: Delivery = "snapshot" if table.is_configuration else table.delivery
    recency = list(table.recency_columns) if delivery != "snapshot" else []
    # The macro reads the newest recency value, or when the loader wrote the table (see its comment).
    query = f"{{{{ raw_table_loaded_at({json.dumps(recency)}) }}}}"
    columns = [{"name": c.name, "description": source_column_description(c)} for c in table.columns]
    columns += [{"name": name, "description": text} for name, text in LINEAGE_DOCS.items()]
    return {
        "name": table.name,
        "description": f"{_table_kind(table)} {table.description}",
        "config": {"loaded_at_query": query, "freshness": _freshness(FRESHNESS_DAYS[delivery])},
        "columns": columns,
    }


def _inventory_table() -> dict[str, Any]:
    names = [name for name, _ in INVENTORY_COLUMNS]
    if set(names) != set(INVENTORY_DOCS):
        raise ValueError(f"describe every table_inventory column: {sorted(set(names) ^ set(INVENTORY_DOCS))}")
    return {
        "name": INVENTORY_TABLE,
        "description": INVENTORY_DESCRIPTION,
        # The loader's heartbeat: it writes one row per contract table at every load.
        "config": {"loaded_at_field": "loaded_at", "freshness": _freshness(FRESHNESS_DAYS["snapshot"])},
        "columns": [{"name": name, "description": INVENTORY_DOCS[name]} for name in names],
    }


def sources_document() -> dict[str, Any]:
    return {
        "version": 2,
        "sources": [
            {
                "name": SOURCE_NAME,
                "description": SOURCE_DESCRIPTION,
                "schema": "{{ var('raw_schema') }}",
                "tables": [*(_source_table(t) for t in TABLES.values()), _inventory_table()],
            }
        ],
    }


def _relationship_test(table: Table, key_column: str) -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = []
    for key in table.foreign_keys:
        if key.column != key_column:
            continue
        target = TABLES[key.table]
        # An optional table may be absent: then there is nothing to check against.
        name = "relationships" if target.required else "relationships_when_present"
        config: dict[str, Any] = {"severity": "warn"}
        if key.where:
            config["where"] = _staging_sql(table, key.where)
        arguments = {
            "to": f"ref('{model_name(key.table)}')",
            "field": staging_column(key.table, key.references),
        }
        tests.append({name: {"arguments": arguments, "config": config}})
    return tests


def _staging_sql(table: Table, condition: str) -> str:
    for raw, renamed in STAGING.get(table.name, Staging()).renames.items():
        if raw in condition:
            raise ValueError(f"{table.name}: rewrite the condition {condition!r} for the renamed column {renamed}")
    return condition


def _staging_model(table: Table) -> dict[str, Any]:
    key = [staging_column(table.name, name) for name in table.primary_key]
    ordered = sorted(table.columns, key=lambda c: _GROUPS.index(_group(c)))
    columns: list[dict[str, Any]] = []
    for column in ordered:
        entry: dict[str, Any] = {
            "name": staging_column(table.name, column.name),
            "description": _staging_column_description(table, column),
        }
        tests: list[Any] = []
        if column.name in table.primary_key:
            # The loader removes duplicate keys and rows with an empty key: either here is a bug.
            tests.append("not_null")
            if len(table.primary_key) == 1:
                tests.append("unique")
        tests += _relationship_test(table, column.name)
        if tests:
            entry["data_tests"] = tests
        columns.append(entry)
    columns += [{"name": name, "description": text} for name, text in STAGING_LINEAGE.values()]
    model: dict[str, Any] = {
        "name": model_name(table.name),
        "description": (
            f"{table.description} Renamed and cast from the raw `{table.name}` table; one row per {'/'.join(key)}."
        ),
    }
    if len(key) > 1:
        model["data_tests"] = [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": key}}}]
    model["columns"] = columns
    return model


def _inventory_model() -> dict[str, Any]:
    """stg_table_inventory: what marts read of the load (which tables the user supplied), not the raw source."""
    renames = {"source_file": "source_file_name"}
    columns: list[dict[str, Any]] = []
    for name, _ in INVENTORY_COLUMNS:
        entry: dict[str, Any] = {"name": renames.get(name, name), "description": INVENTORY_DOCS[name]}
        if name == "table_name":
            # The loader writes one row per contract table, every load.
            contract_tables = {"arguments": {"values": list(TABLES)}}
            entry["data_tests"] = ["not_null", "unique", {"accepted_values": contract_tables}]
        columns.append(entry)
    return {
        "name": model_name(INVENTORY_TABLE),
        "description": f"{INVENTORY_DESCRIPTION} Renamed and cast from the raw `{INVENTORY_TABLE}` table.",
        "columns": columns,
    }


def staging_document() -> dict[str, Any]:
    for table_name, staging in STAGING.items():
        unknown = (set(staging.renames) | set(staging.notes)) - set(TABLES[table_name].column_names)
        if unknown:
            raise ValueError(f"STAGING[{table_name!r}] names columns the contract lacks: {sorted(unknown)}")
    return {"version": 2, "models": [*(_staging_model(t) for t in TABLES.values()), _inventory_model()]}


def render(document: dict[str, Any]) -> str:
    return _HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)


def rendered_files() -> dict[Path, str]:
    return {SOURCES_FILE: render(sources_document()), STAGING_MODELS_FILE: render(staging_document())}


def write() -> list[Path]:
    written = []
    for path, text in rendered_files().items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write():
        print(written_path)
