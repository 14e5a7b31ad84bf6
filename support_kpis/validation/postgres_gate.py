"""The gate on Postgres: the same suites through GX's SQL datasource, rows never pulled into Python as tables.

Each raw table is a GX table asset (a query asset when the suite reads derived columns: postgres_derived.py), so
Postgres evaluates every expectation. Python receives only what GX returns about failing rows, and then only their
shown columns, to write the same quarantine messages the DuckDB gate writes. Rule outcomes, blocking reasons, the
report and the verdict are the DuckDB gate's own code; only reading and moving rows is Postgres SQL.

Only a contract load (raw schema) is validated here: Zendesk and flat-export loads are validated by the loader's
DuckDB staging before they are shipped.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.checkpoint import Checkpoint
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext

from support_kpis.contract import SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN
from support_kpis.errors import UserError
from support_kpis.loading.layout import LOADED_AT, raw_columns
from support_kpis.loading.load_source import FLAT_LOAD_TABLE, FLAT_SCHEMA, FLAT_SOURCE
from support_kpis.loading.registry import CONTRACT, ZENDESK
from support_kpis.loading.sql import ident, qualified
from support_kpis.progress import step
from support_kpis.targets.postgres import Connection, connect
from support_kpis.validation import postgres_findings, postgres_ledger
from support_kpis.validation.gate import blocking, expectation_parameters, why_not_set_aside, write_report
from support_kpis.validation.gx_context import BATCH_DEFINITION, RESULT_FORMAT, open_context
from support_kpis.validation.options import ValidationOptions
from support_kpis.validation.outcome import EXAMPLES, RowId, RuleOutcome, frame_row_ids, row_id
from support_kpis.validation.postgres_derived import (
    asset_query,
    clean_tickets_sql,
    derived_columns,
    missing_table_query,
)
from support_kpis.validation.report import TableReport, ValidationReport
from support_kpis.validation.suites import Suite, load_suites

DATASOURCE = "postgres"
# What GX reports as a Postgres column's type, for the DuckDB type the loader gives a contract column.
_POSTGRES_TYPE_NAMES = {
    "TIMESTAMP": "TIMESTAMP WITHOUT TIME ZONE",
    "DATE": "DATE",
    "BIGINT": "BIGINT",
    "INTEGER": "INTEGER",
    "BOOLEAN": "BOOLEAN",
    "DOUBLE": "DOUBLE PRECISION",
    "VARCHAR": "TEXT",
}
# The pandas dtype the DuckDB gate sees for the same column (what the suites name).
_PANDAS_TYPE_NAMES = {
    "TIMESTAMP": "datetime64",
    "DATE": "datetime64",
    "BIGINT": "Int64",
    "INTEGER": "Int64",
    "BOOLEAN": "boolean",
    "DOUBLE": "float64",
}


def validate_postgres(options: ValidationOptions, connection: Connection | None = None) -> ValidationReport:
    """Validate raw.* in Postgres; set rows aside unless a table-level rule fails. Writes the reports.

    Returns the report whatever the verdict; `ValidationReport.success` says whether the data passed.
    """
    connection = connection or Connection.from_environment()
    parameters = expectation_parameters(options)
    with connect(connection) as pg:
        _check_contract_load(pg, connection)
        with step(f"validating raw tables of {connection.describe()} with Great Expectations"):
            context = open_context(options.data_docs_dir)
            suites = load_suites(registry=CONTRACT)
            with postgres_findings.work_schema(pg) as work:
                # GX reads views of the run's schema (the raw table, or it with derived columns) as table assets.
                uri = f"{connection.sqlalchemy_uri()}?options=-csearch_path%3D{work}"
                datasource = context.data_sources.add_postgres(DATASOURCE, connection_string=uri)
                try:
                    tables, not_set_aside_because, moved = _run(pg, context, work, suites, parameters, options)
                finally:
                    # GX's pooled connections (the datasource's and its execution engine's) would outlive the run.
                    datasource.get_execution_engine().close()
                    datasource.get_engine().dispose()
            for table in tables:
                name = table.raw.name
                table.set_aside_now = moved.get(table.table, 0)
                table.reconciliation = postgres_ledger.reconcile(pg, name, CONTRACT)
                table.source_file = postgres_ledger.source_file(pg, name, CONTRACT)
    return write_report(context, options, connection.describe(), None, parameters, tables, not_set_aside_because)


def _run(
    pg: Any,
    context: AbstractDataContext,
    work: str,
    suites: dict[str, Suite],
    parameters: dict[str, Any],
    options: ValidationOptions,
) -> tuple[list[TableReport], str | None, dict[str, int]]:
    """Every contract table through its checkpoint, then the set-aside: (tables, why nothing moved, rows moved)."""
    tables: list[TableReport] = []
    clean_tickets: str | None = None
    several = postgres_ledger.holds_several_batches(pg, [(CONTRACT, name) for name in CONTRACT.tables])
    for name in CONTRACT.tables:
        tables.append(_validate_table(pg, context, work, suites[name], parameters, clean_tickets, several))
        if name == "tickets":
            clean_tickets = _prepare_clean_tickets(pg, work, tables[-1])
    not_set_aside_because = why_not_set_aside(tables, options)
    by_suite = {CONTRACT.suite_name(name): (CONTRACT, name) for name in CONTRACT.tables}
    run_at = datetime.now(UTC).replace(tzinfo=None)
    moved = postgres_findings.set_aside(pg, work, by_suite, run_at) if not_set_aside_because is None else {}
    for table, name in zip(tables, CONTRACT.tables, strict=True):
        table.quarantined = postgres_ledger.quarantined_rules(pg, name, CONTRACT, name_batches=several)
    return tables, not_set_aside_because, moved


def _check_contract_load(pg: Any, connection: Connection) -> None:
    """Only a contract load is validated on Postgres; say so in one line for anything else."""
    inventory = qualified(CONTRACT.schema, CONTRACT.inventory_table)
    if not postgres_ledger.table_exists(pg, CONTRACT.schema, CONTRACT.inventory_table):
        raise UserError(
            f"{connection.describe()} has no {CONTRACT.schema}.{CONTRACT.inventory_table}: "
            "load the data with `support-kpis load` and ship it to Postgres first"
        )
    for source, schema, table in (
        (ZENDESK.source, ZENDESK.schema, ZENDESK.inventory_table),
        (FLAT_SOURCE, FLAT_SCHEMA, FLAT_LOAD_TABLE),
    ):
        if not postgres_ledger.table_exists(pg, schema, table):
            continue
        latest = f"(SELECT max(loaded_at) FROM {qualified(schema, table)})"
        same_load = postgres_ledger.scalar(pg, f"SELECT (SELECT max(loaded_at) FROM {inventory}) = {latest}")
        if same_load:
            raise UserError(
                f"{connection.describe()} holds a {source} load: its rows are validated in the loader's DuckDB staging "
                "before shipping; on Postgres `validate` checks contract loads (schema raw)"
            )


def _validate_table(
    pg: Any,
    context: AbstractDataContext,
    work: str,
    suite: Suite,
    parameters: dict[str, Any],
    clean_tickets: str | None,
    several_batches: bool = False,
) -> TableReport:
    raw = postgres_ledger.describe(pg, suite.table, suite.registry)
    if raw.exists and not raw.has_origin:
        raise UserError(
            f"{suite.registry.schema}.{suite.table} has no _source_file/_source_row columns: "
            "load the data with `support-kpis load`"
        )
    derived = derived_columns(suite.table, raw.columns, clean_tickets)
    # GX sees the columns the DuckDB gate hands it, `_loaded_at` included (null where raw lacks it), so that the
    # table-level rules observe the same columns on both engines.
    read = list(raw.columns)
    if LOADED_AT not in raw.columns:
        derived = replace(derived, select=(*derived.select, f"CAST(NULL AS timestamp) AS {ident(LOADED_AT)}"))
    query = asset_query(raw.schema, raw.name, read, derived) if raw.exists else missing_table_query()
    with pg.cursor() as cur:
        # A view, not a GX query asset: GX reflects a view's column types, which the type rules compare.
        cur.execute(f"CREATE VIEW {qualified(work, raw.name)} AS {query}")
    pg.commit()  # GX reads through its own connection
    checkpoint = _add_checkpoint(context, _postgres_suite(suite), raw.name, raw.rows)
    outcomes = {rule.name: RuleOutcome(rule, name_batches=several_batches) for rule in suite.rules}
    order = {rule.name: i for i, rule in enumerate(suite.rules)}
    available = {*raw.columns, *(_alias(select) for select in derived.select)}
    relation = qualified(work, raw.name)
    result = checkpoint.run(expectation_parameters=parameters, run_id=RunIdentifier(run_name=f"{suite.name}-postgres"))
    for validation in result.run_results.values():
        for expectation_result in validation.results:
            rule_name = str((expectation_result.expectation_config.meta or {})["rule"])
            outcome = outcomes[rule_name]
            failing = _failing_rows(pg, relation, expectation_result) if outcome.rule.level == "row" else []
            counted = int((expectation_result.result or {}).get("unexpected_count") or 0)
            named_every_row = failing is not None and (outcome.rule.level != "row" or len(failing) == counted)
            failing = failing or []
            # Every failing row's values make the quarantine messages; a warning shows only its first examples.
            wanted = failing if outcome.rule.sets_rows_aside else sorted(failing, key=_by_file_row)[:EXAMPLES]
            frame = _rows_of(pg, relation, wanted, outcome.rule.shown_columns, available)
            outcome.add(expectation_result, frame)
            if not named_every_row and outcome.problem is None:
                # Never set aside part of what failed: the rule cannot be applied on Postgres, and the run stops.
                outcome.problem = (
                    f"Great Expectations named {len(failing):,} of the {counted:,} failing rows on Postgres"
                )
            if failing and outcome.rule.sets_rows_aside:
                postgres_findings.record(pg, work, outcome.rule, order[rule_name], frame, failing)
    table = TableReport(
        suite.name, raw, None, 1, list(outcomes.values()), quarantine_table=suite.registry.quarantine_table(suite.table)
    )
    table.rows_with_findings = postgres_findings.findings_count(pg, work, suite.name)
    at_load = postgres_ledger.quarantined_rules(pg, suite.table, suite.registry)
    table.blocking = blocking(table, suite.registry, suite.table, at_load)
    return table


def _prepare_clean_tickets(pg: Any, work: str, tickets: TableReport) -> str | None:
    """The tickets that stay in raw, materialised in the work schema; None when raw.tickets cannot be read so."""
    needed = {"ticket_id": "VARCHAR", "created_at": "TIMESTAMP", SOURCE_ROW_COLUMN: "BIGINT"}
    if any(tickets.raw.columns.get(name) != type_ for name, type_ in needed.items()):
        return None
    target = qualified(work, postgres_findings.CLEAN_TICKETS)
    findings = qualified(work, postgres_findings.FINDINGS)
    with pg.cursor() as cur:
        for statement in clean_tickets_sql(target, findings, tickets.raw.columns.get(LOADED_AT) == "TIMESTAMP"):
            cur.execute(statement)
    pg.commit()  # GX reads through its own connection
    return target


def _postgres_suite(suite: Suite) -> Suite:
    """The suite with column types named as GX reports them on Postgres (the suites name pandas dtypes)."""
    document = copy.deepcopy(suite.document)
    types = dict(raw_columns(suite.registry.tables[suite.table]))
    for expectation in document.get("expectations", []):
        if expectation.get("type") != "expect_column_type_to_be":
            continue
        kwargs = expectation["kwargs"]
        column, pandas_type = str(kwargs["column"]), str(kwargs["type_"])
        loader_type = types.get(column)
        if loader_type is None or _PANDAS_TYPE_NAMES.get(loader_type) != pandas_type:
            raise UserError(
                f"{suite.path}: {column} is expected as {pandas_type}, which is not the loader's type for it "
                f"({loader_type or 'not a contract column'}); fix the suite"
            )
        kwargs["type_"] = _POSTGRES_TYPE_NAMES[loader_type]
    return replace(suite, document=document)


def _add_checkpoint(context: AbstractDataContext, suite: Suite, view: str, rows: int) -> Checkpoint:
    """The table's checkpoint over its view in the run's schema (the datasource's search path)."""
    datasource = context.data_sources.get(DATASOURCE)
    asset = datasource.add_table_asset(suite.name, table_name=view)  # type: ignore[attr-defined]
    batch_definition = asset.add_batch_definition_whole_table(BATCH_DEFINITION)
    gx_suite = context.suites.add(suite.to_gx())
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
    )
    return context.checkpoints.add(
        Checkpoint(
            name=suite.name,
            validation_definitions=[definition],
            actions=[],
            # On SQL, GX returns at most partial_unexpected_count failing rows' index columns; the table's row
            # count lets every failing row through (other lists stay capped at GX's 200 records).
            # A failing row is named by batch and file row, as on DuckDB: file rows repeat across appended batches
            # (the view's `_loaded_at` is null for a raw table without it, which holds one batch).
            result_format={
                **RESULT_FORMAT,
                "unexpected_index_column_names": [SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN, LOADED_AT],
                "partial_unexpected_count": max(rows, 1),
            },
        )
    )


def _failing_rows(pg: Any, relation: str, result: Any) -> list[RowId] | None:
    """The rows (batch, file row) GX found failing a row rule; None when they cannot be named.

    GX names them (unexpected_index_list) for column and column-pair rules on SQL, not for multicolumn ones:
    compound uniqueness is then evaluated here with GX's own semantics (pandas' duplicated(keep=False)).
    """
    details = result.result or {}
    if "unexpected_index_list" in details:
        return [row_id(entry) for entry in details["unexpected_index_list"] or []]
    if not details.get("unexpected_count"):
        return []
    config = result.expectation_config
    if config.type != "expect_compound_columns_to_be_unique" or config.kwargs.get("row_condition"):
        return None
    found = _duplicated_rows(pg, relation, list(config.kwargs["column_list"]), config.kwargs.get("ignore_row_if"))
    if found is None:
        return None
    # What outcome.add reads, as GX gives it for other rules.
    details["unexpected_index_list"] = [{LOADED_AT: loaded_at, SOURCE_ROW_COLUMN: row} for loaded_at, row in found]
    return [row_id(entry) for entry in details["unexpected_index_list"]]


def _duplicated_rows(
    pg: Any, relation: str, columns: list[str], ignore_row_if: str | None
) -> list[tuple[datetime | None, int]] | None:
    """Rows (load time, file row) sharing their `columns` with another row; empty values are equal to each other,
    as in GX's pandas."""
    quoted = [ident(c) for c in columns]
    skip = {
        "all_values_are_missing": " AND ".join(f"{c} IS NULL" for c in quoted),
        "any_value_is_missing": " OR ".join(f"{c} IS NULL" for c in quoted),
        "never": "false",
    }.get(ignore_row_if or "all_values_are_missing")
    if skip is None:
        return None
    origin = f"{ident(SOURCE_ROW_COLUMN)}, {ident(LOADED_AT)}"
    found = postgres_ledger.rows(
        pg,
        f"SELECT {ident(LOADED_AT)}, {ident(SOURCE_ROW_COLUMN)} FROM (SELECT {origin}, "
        f"count(*) OVER (PARTITION BY {', '.join(quoted)}) AS copies FROM {relation} WHERE NOT ({skip})) AS d "
        f"WHERE copies > 1 ORDER BY 2, 1",
    )
    return [(loaded_at, int(row)) for loaded_at, row in found]


def _rows_of(pg: Any, relation: str, rows: list[RowId], shown: tuple[str, ...], available: set[str]) -> pd.DataFrame:
    """The failing rows' shown columns and origin (batch too), read from Postgres (an empty frame when none failed).

    Read by file row, then narrowed to the named batches: a file row repeats once per batch at most.
    """
    origin = (SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN, LOADED_AT)
    columns = list(dict.fromkeys(c for c in (*shown, *origin) if c in available))
    if not rows or SOURCE_ROW_COLUMN not in available:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in (*columns, SOURCE_FILE_COLUMN, SOURCE_ROW_COLUMN)})
    found = postgres_ledger.rows(
        pg,
        f"SELECT {', '.join(ident(c) for c in columns)} FROM {relation} AS q "
        f"WHERE q.{ident(SOURCE_ROW_COLUMN)} = ANY(%s)",
        [sorted({row for _, row in rows})],
    )
    frame = pd.DataFrame.from_records(found, columns=columns)
    if LOADED_AT in frame.columns:
        frame[LOADED_AT] = pd.to_datetime(frame[LOADED_AT])
    return frame.loc[frame_row_ids(frame).isin(list(set(rows)))].reset_index(drop=True)


def _by_file_row(row: RowId) -> tuple[int, int]:
    """Examples come in file row order, then batch, as the DuckDB gate picks them."""
    return (row[1], row[0])


def _alias(select: str) -> str:
    """The name of a derived column ("expression AS name")."""
    return select.rsplit(" AS ", 1)[1].strip()
