"""The contract's derived columns (derived.py) written for Postgres, computed next to raw.<table> by a GX query asset.

The same columns with the same values as the DuckDB gate's: an event's or survey's ticket exists among the tickets
that stay in raw, how many minutes an event precedes its ticket, a survey's effective scale. Only the dialect
differs (Postgres has no date_diff and no DOUBLE), so the rules that read them stay in the suites unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

from support_kpis.loading.sql import ident, literal, qualified
from support_kpis.settings import RAW_SCHEMA
from support_kpis.validation.derived import _EXPECTED_TYPES, SURVEY_SCALES, Derived
from support_kpis.validation.postgres_findings import same_row

_NULL_BOOLEAN = "CAST(NULL AS boolean)"
_NULL_DOUBLE = "CAST(NULL AS double precision)"


def clean_tickets_sql(target: str, findings: str, has_loaded_at: bool = True) -> list[str]:
    """Statements materialising the tickets that stay in raw (ticket_id, created_at) as `target`, keyed by ticket_id.

    A finding names its row by batch and file row (`has_loaded_at`: raw.tickets keeps the batch). The key lets
    Postgres drop the join from every expectation that reads no derived column.
    """
    return [
        f"""CREATE TABLE {target} AS
        SELECT t.ticket_id, min(t.created_at) AS created_at FROM {qualified(RAW_SCHEMA, "tickets")} AS t
        WHERE t.ticket_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM {findings} AS f WHERE f.table_name = 'tickets' AND {same_row("f", "t", has_loaded_at)}
        )
        GROUP BY t.ticket_id""",
        f"ALTER TABLE {target} ADD PRIMARY KEY (ticket_id)",
    ]


def derived_columns(table: str, columns: dict[str, str], clean_tickets: str | None) -> Derived:
    """`table`'s derived columns; `columns` carries DuckDB type names (frames.RawTable), `clean_tickets` the
    materialised clean tickets (None when raw.tickets cannot be read so: the table-level rules report that)."""
    usable = {name for name, type_ in columns.items() if _EXPECTED_TYPES.get(name, type_) == type_}
    if table == "ticket_events":
        return _ticket_references(usable, clean_tickets, with_timing=True)
    if table in ("surveys", "self_service_sessions"):
        references = _ticket_references(usable, clean_tickets, with_timing=False)
        if table == "surveys":
            return Derived((*references.select, *_survey_scales(usable)), references.join)
        return references
    return Derived()


def _ticket_references(present: set[str], clean_tickets: str | None, *, with_timing: bool) -> Derived:
    usable = clean_tickets is not None and "ticket_id" in present
    timed = usable and "occurred_at" in present
    exists = "CASE WHEN src.ticket_id IS NULL THEN NULL ELSE tk.ticket_id IS NOT NULL END" if usable else _NULL_BOOLEAN
    select = [f"{exists} AS ticket_exists"]
    if with_timing:
        # Microseconds exactly (extract gives numeric), then a double: DuckDB's date_diff('microsecond') / 60e6.
        minutes = (
            "CAST(extract(epoch FROM tk.created_at - src.occurred_at) * 1000000 AS double precision) "
            "/ CAST(60000000 AS double precision)"
        )
        select += [
            f"{'tk.created_at' if timed else 'CAST(NULL AS timestamp)'} AS ticket_created_at",
            f"{minutes if timed else _NULL_DOUBLE} AS minutes_before_ticket_created",
        ]
    join = f"LEFT JOIN {clean_tickets} AS tk ON tk.ticket_id = src.ticket_id" if usable else ""
    return Derived(tuple(select), join)


def _survey_scales(present: set[str]) -> tuple[str, ...]:
    if not {"survey_type", "scale_min", "scale_max"} <= present:
        return (
            f"{_NULL_DOUBLE} AS scale_min_effective",
            f"{_NULL_DOUBLE} AS scale_max_effective",
            "CAST(NULL AS text) AS scale",
        )
    low = "CASE src.survey_type " + " ".join(f"WHEN {literal(k)} THEN {v[0]}" for k, v in SURVEY_SCALES.items())
    high = "CASE src.survey_type " + " ".join(f"WHEN {literal(k)} THEN {v[1]}" for k, v in SURVEY_SCALES.items())
    minimum = f"coalesce(src.scale_min, {low} END)"
    maximum = f"coalesce(src.scale_max, {high} END)"
    return (
        f"CAST({minimum} AS double precision) AS scale_min_effective",
        f"CAST({maximum} AS double precision) AS scale_max_effective",
        f"CAST({minimum} AS text) || '-' || CAST({maximum} AS text) AS scale",
    )


def asset_query(schema: str, table: str, columns: Iterable[str], derived: Derived) -> str:
    """The rows GX validates: raw.<table>'s `columns` with its derived columns, if any."""
    selected = ", ".join([*(f"src.{ident(c)}" for c in columns), *derived.select])
    return f"SELECT {selected} FROM {qualified(schema, table)} AS src {derived.join}".strip()


def missing_table_query() -> str:
    """An empty relation for a table that does not exist: the suite then fails its table-level rules, as on DuckDB."""
    return (
        f"SELECT CAST(NULL AS text) AS {ident('_source_file')}, CAST(NULL AS bigint) AS {ident('_source_row')}, "
        f"CAST(NULL AS timestamp) AS {ident('_loaded_at')} WHERE false"
    )
