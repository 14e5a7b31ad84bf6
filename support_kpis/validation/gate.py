"""The gate: every raw table through its GX checkpoint, then quarantine, reconciliation and the reports."""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext

from support_kpis.errors import DataError, UserError
from support_kpis.kpi_registry import load_registry
from support_kpis.loading import load_folder, load_zendesk_folder
from support_kpis.loading.layout import LOADED_AT
from support_kpis.loading.load_source import FLAT_SOURCE, loaded_source_of
from support_kpis.loading.registry import CONTRACT, ZENDESK, Registry, contract_beside_adapter
from support_kpis.loading.sql import qualified, table_exists
from support_kpis.progress import say, step
from support_kpis.settings import PROJECT_ROOT, QUARANTINE_SCHEMA
from support_kpis.validation import findings, ledger
from support_kpis.validation.derived import derived_columns, prepare_clean_tickets, prepare_clean_zendesk_tickets
from support_kpis.validation.frames import batch_count, batches, describe
from support_kpis.validation.gx_context import add_checkpoint, build_data_docs, open_context
from support_kpis.validation.options import ValidationOptions
from support_kpis.validation.outcome import RuleOutcome
from support_kpis.validation.report import TableReport, ValidationReport, table_failure
from support_kpis.validation.suites import Suite, load_suites
from support_kpis.warehouse_files import open_error


class ValidationFailed(UserError):
    """The data did not pass the gate (a table-level error, or quarantined rows under --fail-on-quarantine)."""

    exit_code = 1


def validate_warehouse(
    warehouse: Path, options: ValidationOptions | None = None, *, data_dir: Path | None = None
) -> ValidationReport:
    """Validate raw.* of `warehouse`; set rows aside unless a table-level rule fails. Writes the reports.

    Returns the report whatever the verdict; `ValidationReport.success` says whether the data passed.
    """
    options = options or ValidationOptions()
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise UserError(
            f"{warehouse}: no warehouse yet; run `support-kpis load DIR` first, or validate files with --data"
        )
    parameters = expectation_parameters(options)
    with step(f"validating raw tables of {data_dir or warehouse} with Great Expectations"):
        context = open_context(options.data_docs_dir)
        with _connection(warehouse) as con:
            checked = _tables_to_check(con)
            several = holds_several_batches(con, checked)
            registries = {registry.source: registry for registry, _ in checked}
            suites = {source: load_suites(registry=registry) for source, registry in registries.items()}
            findings.create_findings_table(con)
            tables = []
            tickets_ready = {CONTRACT.source: False, ZENDESK.source: False}
            for registry, name in checked:
                ready = tickets_ready[registry.source]
                suite = suites[registry.source][name]
                tables.append(_validate_table(con, context, suite, parameters, options, ready, several))
                if registry.source == CONTRACT.source and name == "tickets":
                    tickets_ready[registry.source] = prepare_clean_tickets(con, tables[-1].raw.columns)
                if registry.source == ZENDESK.source and name == "ticket":
                    tickets_ready[registry.source] = prepare_clean_zendesk_tickets(con, tables[-1].raw.columns)
            not_set_aside_because = why_not_set_aside(tables, options)
            by_suite = {registry.suite_name(name): (registry, name) for registry, name in checked}
            run_at = datetime.now(UTC).replace(tzinfo=None)
            moved = findings.set_aside(con, by_suite, run_at) if not_set_aside_because is None else {}
            for table, (registry, name) in zip(tables, checked, strict=True):
                table.set_aside_now = moved.get(table.table, 0)
                table.quarantined = ledger.quarantined_rules(con, name, registry, name_batches=several)
                table.reconciliation = ledger.reconcile(con, name, registry)
                table.source_file = ledger.source_file(con, name, registry)
                table.rows_left_out = ledger.rows_left_out(con, name, registry)
    return write_report(context, options, warehouse, data_dir, parameters, tables, not_set_aside_because)


def write_report(
    context: AbstractDataContext,
    options: ValidationOptions,
    warehouse: Path | str,
    data_dir: Path | None,
    parameters: dict[str, Any],
    tables: list[TableReport],
    not_set_aside_because: str | None,
) -> ValidationReport:
    """Data Docs, result.json and the report, the same for every engine's gate."""
    with step(f"writing Data Docs to {options.data_docs_dir}"):
        docs = build_data_docs(context, options.data_docs_dir)
    report = ValidationReport(
        warehouse=warehouse,
        data_dir=data_dir,
        validated_at=datetime.now(UTC).replace(tzinfo=None),
        parameters=parameters,
        tables=tables,
        not_set_aside_because=not_set_aside_because,
        fail_on_quarantine=options.fail_on_quarantine,
        data_docs=docs,
        result_path=options.result_path,
    )
    report.write()
    return report


def _tables_to_check(con: duckdb.DuckDBPyConnection) -> list[tuple[Registry, str]]:
    """Every contract table after a contract load. After a Zendesk load: every Zendesk table, then the contract
    tables whose files were loaded beside them (the others are empty by design, produced by the adapter). After a
    flat export's load: none (its loader checked every row, quarantine.tickets_export; raw.* are empty by design)."""
    source = loaded_source_of(con)
    if source == FLAT_SOURCE:
        return []
    if source != ZENDESK.source:
        return [(CONTRACT, name) for name in CONTRACT.tables]
    contract = contract_beside_adapter()
    present: set[str] = set()
    if table_exists(con, contract.schema, contract.inventory_table):
        inventory = qualified(contract.schema, contract.inventory_table)
        present = {str(n) for (n,) in con.execute(f"SELECT table_name FROM {inventory} WHERE is_present").fetchall()}
    return [(ZENDESK, name) for name in ZENDESK.tables] + [(contract, n) for n in contract.tables if n in present]


def holds_several_batches(con: duckdb.DuckDBPyConnection, checked: list[tuple[Registry, str]]) -> bool:
    """Whether raw or quarantine rows of the checked tables come from more than one batch (`load --append`): file
    rows then repeat, so the reports name each row's batch (its `_loaded_at`) as well as its file and row. Rows
    another tool wrote into raw (no `_loaded_at`) are no batch of the loader's."""
    loaded: set[object] = set()
    for registry, name in checked:
        for schema, table in ((registry.schema, name), (QUARANTINE_SCHEMA, registry.quarantine_table(name))):
            if not table_exists(con, schema, table):
                continue
            where = qualified(schema, table)
            columns = {str(c) for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE {where})").fetchall()}
            if LOADED_AT in columns:
                found = con.execute(f"SELECT DISTINCT {LOADED_AT} FROM {where} WHERE {LOADED_AT} IS NOT NULL")
                loaded |= {v for (v,) in found.fetchall()}
            if len(loaded) > 1:
                return True
    return False


def why_not_set_aside(tables: list[TableReport], options: ValidationOptions) -> str | None:
    """None when the rows found breaking error-level row rules go to quarantine now."""
    if any(t.blocking for t in tables):
        return "the run stopped"
    return None if options.quarantine else "--no-quarantine was given"


def validate_folder(
    folder: Path, options: ValidationOptions | None = None, source_timezone: str = "UTC", source: str = "contract"
) -> ValidationReport:
    """Load `folder` with the real loader into a temporary warehouse and validate that; no other warehouse is touched.

    `source` says what the folder holds (`contract`, or `zendesk`: the Fivetran connector's tables). A file the
    loader cannot read fails the gate (ValidationFailed, one line naming the file).
    """
    options = options or ValidationOptions()
    with tempfile.TemporaryDirectory(prefix="support-kpis-validate-") as scratch:
        warehouse = Path(scratch) / "validate.duckdb"
        try:
            if source == ZENDESK.source:
                load_zendesk_folder(Path(folder), warehouse)
            else:
                load_folder(Path(folder), warehouse, source_timezone)
        except DataError as exc:
            _write_unreadable(options, Path(folder), str(exc))
            raise ValidationFailed(f"the input cannot be validated: {exc}") from None
        return validate_warehouse(warehouse, options, data_dir=Path(folder))


def expectation_parameters(options: ValidationOptions) -> dict[str, Any]:
    """Values of the suites' $PARAMETERs."""
    reference, since = options.freshness_window()
    return {
        "event_tolerance_minutes": options.event_tolerance_minutes,
        "freshness_since": since,
        "freshness_days": options.freshness_days,
        "reference_time": reference,
        "known_time_zones": sorted(zoneinfo.available_timezones()),
        "known_zendesk_time_zones": known_zendesk_time_zones(),
        "known_kpi_ids": list(load_registry().ids),
    }


def known_zendesk_time_zones() -> list[str]:
    """Zendesk schedule time zones the adapter maps, lower-cased: Rails names (seeds/zendesk_time_zones.csv) and
    IANA names (they pass through)."""
    with (PROJECT_ROOT / "seeds" / "zendesk_time_zones.csv").open(encoding="utf-8", newline="") as handle:
        rails = {row["rails_name"] for row in csv.DictReader(handle)}
    return sorted({name.lower() for name in rails | zoneinfo.available_timezones()})


def _validate_table(
    con: duckdb.DuckDBPyConnection,
    context: AbstractDataContext,
    suite: Suite,
    parameters: dict[str, Any],
    options: ValidationOptions,
    tickets_ready: bool,
    several_batches: bool = False,
) -> TableReport:
    registry = suite.registry
    raw = describe(con, suite.table, registry)
    if raw.exists and not raw.has_origin:
        raise UserError(
            f"{registry.schema}.{suite.table} has no _source_file/_source_row columns: "
            "load the data with `support-kpis load`"
        )
    checkpoint = add_checkpoint(context, suite)
    # GX gives expectations new ids when a suite joins a context; meta.rule is unique within a suite and stays.
    outcomes = {rule.name: RuleOutcome(rule, name_batches=several_batches) for rule in suite.rules}
    order = {rule.name: i for i, rule in enumerate(suite.rules)}
    derived = derived_columns(suite.table, raw.columns, tickets_ready, registry)
    count = batch_count(raw, options.batch_rows)
    for batch in batches(con, raw, derived, options.batch_rows, suite.columns_read):
        if count > 1:
            say(f"    {suite.name}: batch {batch.number} of {count} ({len(batch.frame):,} rows)")
        result = checkpoint.run(
            batch_parameters={"dataframe": batch.frame},
            expectation_parameters=parameters,
            run_id=RunIdentifier(run_name=f"{suite.name}-batch-{batch.number}-of-{count}"),
        )
        for validation in result.run_results.values():
            for expectation_result in validation.results:
                rule_name = str((expectation_result.expectation_config.meta or {})["rule"])
                outcome = outcomes[rule_name]
                failing = outcome.add(expectation_result, batch.frame)
                if failing and outcome.rule.sets_rows_aside:
                    findings.record(con, outcome.rule, order[rule_name], batch.frame, failing)
        del batch, result
    table = TableReport(
        suite.name, raw, None, count, list(outcomes.values()), quarantine_table=registry.quarantine_table(suite.table)
    )
    table.rows_with_findings = findings.findings_count(con, suite.name)
    table.blocking = blocking(table, registry, suite.table, ledger.quarantined_rules(con, suite.table, registry))
    return table


def blocking(
    table: TableReport, registry: Registry, table_name: str, set_aside_at_load: tuple[ledger.QuarantinedRule, ...]
) -> list[str]:
    """Why this table stops the run, if it does (`set_aside_at_load`: what quarantine holds before this run)."""
    name = table.table
    if not table.raw.exists:
        where = f"{registry.schema}.{table_name}"
        return [f"{name}: {where} does not exist (load the data with `support-kpis load`)"]
    failed = [o for o in table.outcomes if not o.passed and o.rule.severity == "error"]
    # Once the table as a whole fails, rules GX could not evaluate on it (a missing column) are consequences.
    stopping = [o for o in failed if o.rule.blocks and o.problem is None] or [o for o in failed if o.problem]
    messages = [f"{name}: {o.rule.name}: {table_failure(name, o)}" for o in stopping]
    if messages or not registry.tables[table_name].is_configuration:
        return messages
    # A configuration row is the user's setting: dropping it would silently change every SLA or target.
    rows = table.rows_with_findings + sum(q.rows for q in set_aside_at_load)
    if not rows:
        return []
    rules = sorted(
        {o.rule.name for o in table.outcomes if not o.passed and o.rule.severity == "error"}
        | {q.rule for q in set_aside_at_load}
    )
    named = ", ".join(rules[:3]) + (f" and {len(rules) - 3} more rules" if len(rules) > 3 else "")
    return [f"{name}: {rows:,} configuration rows break {named}; configuration is fixed in its file, not set aside"]


@contextmanager
def _connection(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    try:
        con = duckdb.connect(str(warehouse))
    except duckdb.Error as exc:
        raise UserError(open_error(warehouse, exc, "write")) from None
    try:
        con.execute("SET enable_progress_bar = false")
        yield con
    finally:
        con.close()


def _write_unreadable(options: ValidationOptions, folder: Path, message: str) -> None:
    """result.json for input the loader refused, so CI finds the reason where it looks for results."""
    if options.data_docs_dir.exists():
        shutil.rmtree(options.data_docs_dir)
    options.result_path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "status": "failed",
        "success": False,
        "data_dir": str(folder),
        "validated_at": datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" "),
        "blocking": [message],
        "tables": [],
    }
    options.result_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
