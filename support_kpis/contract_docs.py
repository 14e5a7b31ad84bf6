"""Render docs/data-contract.md: the raw tables users feed in, from the contract in code and the source docs.

Everything comes from support_kpis/contract.py (types, requiredness, keys, references, freshness, enumerations),
and each column's meaning is rendered as support_kpis/contract_dbt.py renders it for the dbt sources (what dbt
docs show), so the user's page, the dbt docs and the code cannot disagree. tests/docs/test_user_docs.py fails when the
page is stale (regenerate with `python -m support_kpis.contract_docs`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support_kpis.contract import TABLES, Table
from support_kpis.contract_dbt import FRESHNESS_DAYS, sources_document
from support_kpis.settings import PROJECT_ROOT

CONTRACT_DOC = PROJECT_ROOT / "docs" / "data-contract.md"

_INTRO = """\
# The data contract: raw tables, version 2

Version 2 adds, all optional (version 1 data stays valid as it is): per-ticket SLA targets (`ticket_sla_targets`),
the next-reply target `sla_policies.next_response_minutes`, and the binary CSAT scale (`scale_min = 0`,
`scale_max = 1`: good = 1, bad = 0).

support-kpis computes its KPIs from the **raw tables** below: exports of a helpdesk (Zendesk, Freshdesk, Intercom,
Jira Service Management, a homegrown tool) or tables already in a warehouse. Names and meanings here are what the
loader (`support-kpis load`), the quality gate (`expectations/`), the generator and the dbt sources follow.

## Where raw data comes from

- **Files**: a folder with one file per table, named after the table (`tickets.csv`, `tickets.parquet`,
  `ticket_events.csv`, ...). CSV is UTF-8 (a byte-order mark is tolerated), with a header row and RFC 4180 quoting
  (fields may hold commas, quotes and newlines). Commas separate fields; a semicolon-, tab- or pipe-separated file
  is recognised from its header and read with a note. Parquet uses the types below.
- **A warehouse schema**: the same table names in a schema set with the dbt var `raw_schema`.
- `tickets` and `ticket_events` are required; every other table is optional. A KPI whose tables are absent is not
  computed, and `kpi_catalog.is_available` says so. A missing (or 0-byte) optional file is never an error.

## Types and conventions

- `timestamp`: ISO 8601. With an offset (`2026-03-01T09:15:00+01:00`, `...Z`; offsets within ±14:00) it is
  converted to UTC; without one it is read in `--source-timezone` (default UTC). Stored timestamps are UTC.
- `date`: `YYYY-MM-DD`. `month`: a date, the first day of the month.
- `boolean`: `true/false`, `1/0`, `yes/no`, case-insensitive.
- `enum`: matched case-insensitively with surrounding spaces trimmed; stored in lower case.
- Ids are strings (numeric ids are read as strings), with surrounding whitespace trimmed; other text is kept
  verbatim.
- Duplicate rows with the same primary key are normal in incremental exports: the row with the latest
  `updated_at` (or, without one, the last row read) wins. Exact duplicates are dropped.
- References (`customer_id` → `customers.customer_id`): a value the referenced table lacks is kept, and the row
  still counts (dbt warns), except where a table says it is set aside.
- Plausible ranges: numbers and dates outside the ranges in `expectations/<table>.json` are set aside by the
  quality gate (see DECISIONS.md, "Input quality gate").

## What bad input gets

Bad input never crashes the pipeline and is never silently dropped. A row that breaks a rule (unknown enum,
unparseable timestamp, empty key, a value out of its range, an event before its ticket, a score outside its scale,
an orphan event, a value over 2 MB or holding a NUL character) is **kept** in `quarantine.<table>` with its
original text, its file and row, and the rule it broke, and the load and validation reports count it. A file that
cannot be read at all (missing required column, not CSV) stops the load with one line naming the file and row, and
nothing downstream is half-built.

## Tables
"""

_CONFIGURATION_INTRO = """\

## Configuration tables

Shipped as dbt seeds (`seeds/`) with defaults; a file of the same name in the data folder replaces the seed. A bad
configuration row stops the run rather than being set aside: dropping a schedule or an SLA row would silently
change every SLA.
"""


def _source_docs() -> dict[str, dict[str, Any]]:
    """The dbt source's table and column docs, as contract_dbt writes them into models/staging/__sources.yml."""
    (source,) = sources_document()["sources"]
    return {table["name"]: table for table in source["tables"]}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _type(table: Table, name: str) -> str:
    column = table.column(name)
    if column.enum:
        return "enum: " + ", ".join(f"`{value}`" for value in column.enum)
    return column.type


def _references(table: Table) -> str:
    parts = []
    for key in table.foreign_keys:
        text = f"`{key.column}` → `{key.table}.{key.references}`"
        notes = [f"where {key.where}"] if key.where else []
        if key.orphans == "quarantined":
            notes.append("rows referencing a missing one are set aside")
        parts.append(f"{text} ({'; '.join(notes)})" if notes else text)
    return f"References: {', '.join(parts)}." if parts else ""


def _freshness(table: Table) -> str:
    delivery = "snapshot" if table.is_configuration else table.delivery
    warn, error = FRESHNESS_DAYS[delivery]
    if delivery == "snapshot":
        measure = "when it was last loaded"
    else:
        measure = "the newest " + " (else ".join(f"`{c}`" for c in table.recency_columns)
        measure += ")" * (len(table.recency_columns) - 1)
    return f"Freshness (`dbt source freshness`): {measure}; a warning after {warn} days, an error after {error}."


def _table_section(table: Table, docs: dict[str, Any]) -> list[str]:
    meanings = {column["name"]: column.get("description", "") for column in docs.get("columns", [])}
    key = ", ".join(f"`{name}`" for name in table.primary_key)
    lines = [
        "",
        f"### {table.name}",
        "",
        f"{_cell(docs.get('description', table.description))} Primary key: {key}.",
        *([_references(table)] if table.foreign_keys else []),
        _freshness(table),
        "",
        "| column | type | required | meaning |",
        "|---|---|---|---|",
    ]
    for column in table.columns:
        required = "yes" if column.required else "no"
        lines.append(
            f"| `{column.name}` | {_type(table, column.name)} | {required} | {_cell(meanings.get(column.name, ''))} |"
        )
    return lines


def render() -> str:
    docs = _source_docs()
    lines = [
        "<!-- Generated from support_kpis/contract.py and models/staging/__sources.yml by",
        "     `python -m support_kpis.contract_docs`. Do not edit. -->",
        "",
        _INTRO.rstrip("\n"),
    ]
    data_tables = [t for t in TABLES.values() if not t.is_configuration]
    for table in data_tables:
        lines += _table_section(table, docs[table.name])
    lines.append(_CONFIGURATION_INTRO.rstrip("\n"))
    for table in TABLES.values():
        if table.is_configuration:
            lines += _table_section(table, docs[table.name])
    return "\n".join(lines) + "\n"


def write(path: Path = CONTRACT_DOC) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write())
