"""Loading a flat export (one row per ticket) into `flat.tickets_export`, as its mapping file says.

Each export column the mapping names is renamed to its field, typed (timestamps read in the mapping's time zone and
stored as UTC, enum values through the value maps) and written with `_source_file`/`_source_row`. A row that breaks
a rule goes to `quarantine.tickets_export` with the rules it broke (`_rules`) and why (`_message`), as the contract
loader does: a missing id or creation time, a timestamp no format reads, an enum value no map names, a solve or
first response before creation, a survey score off its scale. A ticket id repeated keeps its latest row (by
updated_at, then the row read last), as the contract loader does. A suspicious row (first response after the solve)
is kept, and reported as a warning in the load's summary and in `flat.export_warnings`.

The contract's raw tables are (re)created empty, and `raw.table_inventory` records the export as the source of the
tickets (and of the surveys when the mapping names a score column): the dbt models in models/staging/flat produce
the contract's tickets, ticket events and surveys from `flat.tickets_export` in a `source: flat` run.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from support_kpis.contract import TABLES
from support_kpis.errors import UserError
from support_kpis.flat_exports.mapping import FIELDS, OTHERWISE, Mapping
from support_kpis.instants import TIMESTAMP_FORMAT, TIMESTAMP_PATTERN
from support_kpis.loading.layout import INVENTORY_COLUMNS, create_table_sql, quarantine_columns, raw_columns
from support_kpis.loading.sql import ident, literal, qualified
from support_kpis.loading.transaction import transaction
from support_kpis.loading.warehouse import attached_warehouse, check_warehouse_writable, write_failure
from support_kpis.settings import QUARANTINE_SCHEMA, RAW_SCHEMA, TABLE_INVENTORY

FLAT_SCHEMA = "flat"
EXPORT_TABLE = "tickets_export"
WARNINGS_TABLE = "export_warnings"
# One row: when the export was loaded (raw.table_inventory's loaded_at), from which file, with which mapping. It
# tells `support-kpis build` and `validate` that the warehouse's last load was a flat one (loading/load_source.py).
LOAD_TABLE = "export_load"
SURVEY_FIELDS = ("survey_score", "survey_responded_at", "survey_comment")
# The columns of flat.tickets_export besides the mapped fields (constant per load, from the mapping).
SURVEY_CONSTANTS = ("survey_type", "survey_scale_min", "survey_scale_max")
# How many ticket ids a warning line names.
SHOWN_IDS = 5
_WHITESPACE = "chr(32) || chr(9) || chr(10) || chr(13)"
_SQL_TYPES = {"id": "VARCHAR", "text": "VARCHAR", "enum": "VARCHAR", "timestamp": "TIMESTAMP"}


@dataclass(frozen=True)
class Warning:
    rule: str
    count: int
    ticket_ids: tuple[str, ...]  # the first SHOWN_IDS, by row

    def line(self) -> str:
        shown = ", ".join(self.ticket_ids) + (", ..." if self.count > len(self.ticket_ids) else "")
        what = {
            "first_response_after_resolution": "first response after the solve, kept as exported",
        }[self.rule]
        return f"warning: {self.count:,} tickets with {what} ({self.rule}): {shown}"


@dataclass(frozen=True)
class FlatLoadReport:
    export: Path
    mapping: Path
    warehouse: Path
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_duplicate_exact: int
    rows_superseded: int
    surveys: int
    warnings: tuple[Warning, ...]
    quarantined_by_rule: dict[str, int]

    @property
    def reconciles(self) -> bool:
        accounted = self.rows_loaded + self.rows_quarantined + self.rows_duplicate_exact + self.rows_superseded
        return accounted == self.rows_read

    def summary(self) -> str:
        lines = [
            f"{self.export.name} (mapping {self.mapping.name}): {self.rows_read:,} rows read, "
            f"{self.rows_loaded:,} tickets loaded, {self.rows_quarantined:,} quarantined, "
            f"{self.rows_duplicate_exact:,} duplicates, {self.rows_superseded:,} superseded; "
            f"{self.surveys:,} survey responses.",
        ]
        if self.rows_quarantined:
            rules = ", ".join(f"{rule} {n:,}" for rule, n in sorted(self.quarantined_by_rule.items()))
            lines.append(f"{self.rows_quarantined:,} rows broke a rule and are in quarantine.{EXPORT_TABLE}: {rules}.")
        lines += [w.line() for w in self.warnings]
        lines.append(
            f"Loaded into {self.warehouse} (schema {FLAT_SCHEMA}); `support-kpis build` builds it with source flat."
        )
        return "\n".join(lines)


def read_header(export: Path, delimiter: str) -> list[str]:
    """The export's column names (a UTF-8 byte-order mark, as Excel writes, is dropped)."""
    try:
        with export.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle, delimiter=delimiter), None)
    except FileNotFoundError:
        raise UserError(f"{export}: no such export file") from None
    except UnicodeDecodeError:
        raise UserError(f"{export.name}: not UTF-8 text; save the export as CSV UTF-8") from None
    except OSError as exc:
        raise UserError(f"{export}: cannot read the export: {exc.strerror}") from None
    if not header or not any(name.strip() for name in header):
        raise UserError(f"{export.name}: no header row; a flat export starts with its column names")
    return [name.strip() for name in header]


def load_flat_export(export: Path, mapping: Mapping, warehouse: Path) -> FlatLoadReport:
    """Check `mapping` against `export`, then replace the warehouse's flat, raw and quarantine tables in one step."""
    export, warehouse = Path(export), Path(warehouse)
    header = read_header(export, mapping.delimiter)
    mapping.check_against(header, export.name)
    check_warehouse_writable(warehouse)
    positions = {name: i for i, name in enumerate(header)}
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("SET preserve_insertion_order = true")
        con.execute(f"SET TimeZone = {literal(mapping.time_zone)}")
        _scan(con, export, len(header), mapping.delimiter)
        _stage(con, mapping, positions, export.name)
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        with attached_warehouse(con, warehouse) as catalog:
            report = _write(con, catalog, mapping, export, warehouse, loaded_at)
    except duckdb.Error as exc:
        refused = write_failure(warehouse, exc)
        if refused is not None:
            raise refused from None
        raise UserError(f"{export.name}: cannot read the export: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    if not report.reconciles:
        raise AssertionError(f"loader bug: row counts of {export.name} do not add up: {report}")
    return report


def _scan(con: duckdb.DuckDBPyConnection, export: Path, width: int, delimiter: str) -> None:
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    relation = (
        f"read_csv({literal(str(export))}, columns = {columns}, header = true, delim = {literal(delimiter)}, "
        "quote = '\"', escape = '\"', auto_detect = false, strict_mode = true, encoding = 'utf-8')"
    )
    # A bare scan keeps the file's record order: rowid is the record's position (header = row 1).
    con.execute(f"CREATE TABLE scanned AS SELECT * FROM {relation}")


def _text(position: int | None) -> str:
    return "CAST(NULL AS VARCHAR)" if position is None else f"nullif(trim(c{position}, {_WHITESPACE}), '')"


def _timestamp(text: str, formats: tuple[str, ...]) -> str:
    """The naive UTC instant of `text`, read in the session's (the export's) time zone; NULL when no format reads it."""
    if not formats:
        parsed = (
            f"CASE WHEN regexp_full_match({text}, '{TIMESTAMP_PATTERN}', 'i') "
            f"THEN try_cast(upper({text}) AS TIMESTAMPTZ) END"
        )
    else:
        parsed = "coalesce(" + ", ".join(f"try_strptime({text}, {literal(f)})::TIMESTAMPTZ" for f in formats) + ")"
    return f"timezone('UTC', {parsed})"


def _enum(text: str, field: str, mapping: Mapping) -> str:
    """The contract value of an export value: the map's entry (exact, then case-insensitive), the contract value
    itself (any case), the map's catch-all; NULL when none applies."""
    value_map = mapping.values.get(field, {})
    arms = [f"WHEN {text} = {literal(k)} THEN {literal(v)}" for k, v in value_map.items() if k != OTHERWISE]
    arms += [
        f"WHEN lower({text}) = {literal(k.lower())} THEN {literal(v)}" for k, v in value_map.items() if k != OTHERWISE
    ]
    arms += [f"WHEN lower({text}) = {literal(v)} THEN {literal(v)}" for v in _allowed(field)]
    if OTHERWISE in value_map:
        arms.append(f"WHEN {text} IS NOT NULL THEN {literal(value_map[OTHERWISE])}")
    return "CASE " + " ".join(arms) + " END"


def _allowed(field: str) -> tuple[str, ...]:
    return next(f.enum for f in FIELDS if f.name == field)


def _stage(con: duckdb.DuckDBPyConnection, mapping: Mapping, positions: dict[str, int], export_name: str) -> None:
    """Table `staged`: every row's texts, typed fields, broken rules and their messages."""
    texts, typed, rules, messages = [], [], [], []
    for f in FIELDS:
        column = mapping.columns.get(f.name)
        text_name = ident(f"text__{f.name}")
        if column is None and f.name in mapping.constants:
            texts.append(f"{literal(mapping.constants[f.name])} AS {text_name}")
        else:
            texts.append(f"{_text(positions.get(column) if column else None)} AS {text_name}")
        if f.kind == "timestamp":
            value = _timestamp(text_name, mapping.timestamp_formats)
            expected = ", ".join(mapping.timestamp_formats) or TIMESTAMP_FORMAT
            rules.append((f"{text_name} IS NOT NULL AND {ident(f.name)} IS NULL", f"unparseable_timestamp({f.name})"))
            messages.append(f"{f.name} {{value}} is not a timestamp ({expected})")
        elif f.kind == "enum":
            value = _enum(text_name, f.name, mapping)
            rules.append((f"{text_name} IS NOT NULL AND {ident(f.name)} IS NULL", f"unknown_enum({f.name})"))
            messages.append(
                f"{f.name} {{value}} is neither a contract {f.name} nor in values.{f.name} of {mapping.name}"
            )
        else:
            value = text_name
        typed.append(f"CAST({value} AS {_SQL_TYPES[f.kind]}) AS {ident(f.name)}")
    for name in ("ticket_id", "created_at", "status", "channel"):
        rules.insert(0, (f"{ident('text__' + name)} IS NULL", f"empty_required({name})"))
        messages.insert(0, f"{name} is empty but required")

    survey = mapping.survey
    score_text, responded_text, comment_text = (ident(f"text__{n}") for n in SURVEY_FIELDS)
    if survey is not None:
        texts.append(f"{_text(positions[survey.score_column])} AS {score_text}")
        texts.append(f"{_text(positions.get(survey.responded_at_column or ''))} AS {responded_text}")
        # A comment is free text: kept as exported.
        comment_position = positions.get(survey.comment_column or "")
        texts.append(
            f"{'CAST(NULL AS VARCHAR)' if comment_position is None else f'c{comment_position}'} AS {comment_text}"
        )
        if survey.values:
            arms = " ".join(
                f"WHEN lower({score_text}) = {literal(k.lower())} THEN {v!r}" for k, v in survey.values.items()
            )
            score = f"CASE {arms} ELSE try_cast({score_text} AS DOUBLE) END"
        else:
            score = f"try_cast({score_text} AS DOUBLE)"
        score_expected = f"a number from {survey.scale_min} to {survey.scale_max}" + (
            f" or one of survey.values of {mapping.name}" if survey.values else ""
        )
        typed.append(
            f"CASE WHEN {score} BETWEEN {survey.scale_min} AND {survey.scale_max} THEN {score} END AS survey_score"
        )
        typed.append(f"{_timestamp(responded_text, mapping.timestamp_formats)} AS survey_responded_at")
        typed.append(f"{comment_text} AS survey_comment")
        rules.append((f"{score_text} IS NOT NULL AND survey_score IS NULL", "unknown_score(survey_score)"))
        messages.append(f"survey score {{value}} is not {score_expected}")
        rules.append(
            (
                f"{responded_text} IS NOT NULL AND survey_responded_at IS NULL",
                "unparseable_timestamp(survey_responded_at)",
            )
        )
        messages.append("survey responded_at {value} is not a timestamp")
    else:
        texts += [f"CAST(NULL AS VARCHAR) AS {n}" for n in (score_text, responded_text, comment_text)]
        typed += [
            "CAST(NULL AS DOUBLE) AS survey_score",
            "CAST(NULL AS TIMESTAMP) AS survey_responded_at",
            "CAST(NULL AS VARCHAR) AS survey_comment",
        ]
    rules.append(("resolved_at < created_at", "resolved_before_created"))
    messages.append("resolved_at is before created_at")
    rules.append(("closed_at < created_at", "closed_before_created"))
    messages.append("closed_at is before created_at")
    rules.append(("first_response_at < created_at", "first_response_before_created"))
    messages.append("first_response_at is before created_at")

    broken = "concat_ws('; ', " + ", ".join(f"CASE WHEN {c} THEN {literal(r)} END" for c, r in rules) + ")"
    said = []
    for (condition, rule), message in zip(rules, messages, strict=True):
        if "{value}" in message:
            text = ident("text__" + rule[rule.find("(") + 1 : -1])
            before, after = message.split("{value}")
            sql = f"{literal(before + chr(39))} || left({text}, 60) || {literal(chr(39) + after)}"
        else:
            sql = literal(message)
        said.append(f"CASE WHEN {condition} THEN {sql} END")
    con.execute(
        f"""CREATE TABLE staged AS
        WITH texts AS (SELECT rowid + 2 AS _source_row, {", ".join(texts)} FROM scanned),
        typed AS (SELECT *, {", ".join(typed)} FROM texts),
        ruled AS (SELECT *, nullif({broken}, '') AS _rules FROM typed)
        SELECT *, CASE WHEN _rules IS NOT NULL THEN concat_ws('; ', {", ".join(said)}) END AS _message,
            {literal(export_name)} AS _source_file
        FROM ruled"""
    )
    con.execute("DROP TABLE scanned")


def _export_columns(mapping: Mapping) -> list[tuple[str, str]]:
    fields = [(f.name, _SQL_TYPES[f.kind]) for f in FIELDS]
    survey = [("survey_score", "DOUBLE"), ("survey_responded_at", "TIMESTAMP"), ("survey_comment", "VARCHAR")]
    constants = [("survey_type", "VARCHAR"), ("survey_scale_min", "BIGINT"), ("survey_scale_max", "BIGINT")]
    return [*fields, *survey, *constants, ("_source_file", "VARCHAR"), ("_source_row", "BIGINT")]


def _write(
    con: duckdb.DuckDBPyConnection,
    catalog: str,
    mapping: Mapping,
    export: Path,
    warehouse: Path,
    loaded_at: datetime,
) -> FlatLoadReport:
    survey = mapping.survey
    survey_constants = (
        f"{literal(survey.survey_type)}, {survey.scale_min}, {survey.scale_max}"
        if survey
        else "CAST(NULL AS VARCHAR), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)"
    )
    field_names = [f.name for f in FIELDS]
    # Of the rows sharing a ticket id, the latest (updated_at, then the row read last) stays.
    con.execute(
        f"""CREATE TABLE ranked AS
        SELECT _source_row,
            row_number() OVER (
                PARTITION BY ticket_id ORDER BY updated_at DESC NULLS LAST, _source_row DESC
            ) AS _version,
            row_number() OVER (
                PARTITION BY {", ".join(ident(n) for n in [*field_names, *SURVEY_FIELDS])} ORDER BY _source_row DESC
            ) AS _copy
        FROM staged WHERE _rules IS NULL"""
    )
    export_table = qualified(FLAT_SCHEMA, EXPORT_TABLE, catalog)
    quarantine_table = qualified(QUARANTINE_SCHEMA, EXPORT_TABLE, catalog)
    warnings_table = qualified(FLAT_SCHEMA, WARNINGS_TABLE, catalog)
    inventory = qualified(RAW_SCHEMA, TABLE_INVENTORY, catalog)
    text_columns = [ident(f"text__{n}") for n in [*field_names, *SURVEY_FIELDS]]
    with transaction(con):
        for schema in (RAW_SCHEMA, QUARANTINE_SCHEMA, FLAT_SCHEMA):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {ident(catalog)}.{ident(schema)}")
        for table in TABLES.values():
            con.execute(create_table_sql(qualified(RAW_SCHEMA, table.name, catalog), raw_columns(table)))
            con.execute(create_table_sql(qualified(QUARANTINE_SCHEMA, table.name, catalog), quarantine_columns(table)))
        con.execute(create_table_sql(export_table, _export_columns(mapping)))
        con.execute(
            f"""INSERT INTO {export_table}
            SELECT {", ".join(ident(n) for n in [*field_names, *SURVEY_FIELDS])}, {survey_constants},
                _source_file, _source_row
            FROM staged WHERE _source_row IN (SELECT _source_row FROM ranked WHERE _version = 1) ORDER BY _source_row"""
        )
        quarantine_columns_sql = [
            *((n, "VARCHAR") for n in [*field_names, *SURVEY_FIELDS]),
            ("_source_file", "VARCHAR"),
            ("_source_row", "BIGINT"),
            ("_rules", "VARCHAR"),
            ("_message", "VARCHAR"),
        ]
        con.execute(create_table_sql(quarantine_table, quarantine_columns_sql))
        con.execute(
            f"""INSERT INTO {quarantine_table}
            SELECT {", ".join(text_columns)}, _source_file, _source_row, _rules, _message
            FROM staged WHERE _rules IS NOT NULL ORDER BY _source_row"""
        )
        con.execute(
            create_table_sql(
                warnings_table,
                [("ticket_id", "VARCHAR"), ("rule", "VARCHAR"), ("_source_file", "VARCHAR"), ("_source_row", "BIGINT")],
            )
        )
        con.execute(
            f"""INSERT INTO {warnings_table}
            SELECT ticket_id, 'first_response_after_resolution', _source_file, _source_row FROM {export_table}
            WHERE first_response_at > coalesce(resolved_at, closed_at) ORDER BY _source_row"""
        )
        read, quarantined = _one(con, "SELECT count(*), count(_rules) FROM staged")
        (loaded, surveys) = _one(con, f"SELECT count(*), count(survey_score) FROM {export_table}")
        (exact,) = _one(con, "SELECT count(*) FROM ranked WHERE _copy > 1")
        superseded = read - quarantined - loaded - exact
        con.execute(create_table_sql(inventory, INVENTORY_COLUMNS))
        rows = []
        for table in TABLES:
            present = table in ("tickets", "ticket_events") or (table == "surveys" and survey is not None)
            counts = (read, loaded, quarantined, exact, superseded) if table == "tickets" else (0, 0, 0, 0, 0)
            rows.append([table, present, export.name if present else None, *counts, loaded_at])
        con.executemany(f"INSERT INTO {inventory} VALUES ({', '.join('?' for _ in INVENTORY_COLUMNS)})", rows)
        load_table = qualified(FLAT_SCHEMA, LOAD_TABLE, catalog)
        con.execute(
            create_table_sql(
                load_table,
                [("loaded_at", "TIMESTAMP"), ("export", "VARCHAR"), ("mapping", "VARCHAR"), ("time_zone", "VARCHAR")],
            )
        )
        con.execute(
            f"INSERT INTO {load_table} VALUES (?, ?, ?, ?)",
            [loaded_at, str(export), str(mapping.path), mapping.time_zone],
        )
        by_rule = dict(
            con.execute(
                "SELECT rule, count(*) FROM (SELECT unnest(string_split(_rules, '; ')) AS rule FROM staged "
                "WHERE _rules IS NOT NULL) GROUP BY rule"
            ).fetchall()
        )
        warning_rows = con.execute(
            f"SELECT rule, count(*), list(ticket_id ORDER BY _source_row)[1:{SHOWN_IDS}] FROM {warnings_table} "
            "GROUP BY rule ORDER BY rule"
        ).fetchall()
    return FlatLoadReport(
        export=export,
        mapping=mapping.path,
        warehouse=warehouse,
        rows_read=read,
        rows_loaded=loaded,
        rows_quarantined=quarantined,
        rows_duplicate_exact=exact,
        rows_superseded=superseded,
        surveys=surveys,
        warnings=tuple(Warning(rule, int(n), tuple(ids)) for rule, n, ids in warning_rows),
        quarantined_by_rule={str(k): int(v) for k, v in by_rule.items()},
    )


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[int, ...]:
    row = con.execute(sql).fetchone()
    assert row is not None
    return tuple(int(v) for v in row)
