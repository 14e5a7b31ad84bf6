"""The YAML documents of the bundle, restricted to keys Superset 4.1, 5.0 and 6.1 all accept.

Superset's importers reject unknown keys, and each release adds some (6.x:
`theme_uuid`, `currency_code_column`, `folders`; 5.0 changed `currency`). The
sets below are the intersection of ImportV1*Schema across 4.1, 5.0 and 6.1; the
bundle tests check every document against them.
"""

from __future__ import annotations

import copy
from typing import Any

from support_kpis.superset.calculated_columns import CalculatedColumn
from support_kpis.superset.charts import ChartDoc
from support_kpis.superset.column_labels import column_label
from support_kpis.superset.dialects import Dialect
from support_kpis.superset.manifest import MartModel
from support_kpis.superset.metrics import Metric

EXPORT_VERSION = "1.0.0"

ALLOWED_KEYS: dict[str, frozenset[str]] = {
    "metadata": frozenset({"version", "type", "timestamp"}),
    "database": frozenset(
        {
            "database_name",
            "sqlalchemy_uri",
            "cache_timeout",
            "expose_in_sqllab",
            "allow_run_async",
            "allow_ctas",
            "allow_cvas",
            "allow_dml",
            "allow_csv_upload",
            "extra",
            "uuid",
            "version",
        }
    ),
    "database_extra": frozenset(
        {
            "metadata_params",
            "engine_params",
            "metadata_cache_timeout",
            "schemas_allowed_for_csv_upload",
            "allows_virtual_table_explore",
            "cancel_query_on_windows_unload",
            "disable_data_preview",
        }
    ),
    "dataset": frozenset(
        {
            "table_name",
            "main_dttm_col",
            "description",
            "default_endpoint",
            "offset",
            "cache_timeout",
            "schema",
            "sql",
            "params",
            "template_params",
            "filter_select_enabled",
            "fetch_values_predicate",
            "extra",
            "uuid",
            "metrics",
            "columns",
            "version",
            "database_uuid",
        }
    ),
    "column": frozenset(
        {
            "column_name",
            "verbose_name",
            "is_dttm",
            "is_active",
            "type",
            "groupby",
            "filterable",
            "expression",
            "description",
            "python_date_format",
        }
    ),
    "metric": frozenset(
        {
            "metric_name",
            "verbose_name",
            "metric_type",
            "expression",
            "description",
            "d3format",
            "extra",
            "warning_text",
        }
    ),
    "chart": frozenset(
        {
            "slice_name",
            "description",
            "viz_type",
            "params",
            "query_context",
            "cache_timeout",
            "uuid",
            "version",
            "dataset_uuid",
        }
    ),
    "dashboard": frozenset(
        {
            "dashboard_title",
            "description",
            "css",
            "slug",
            "uuid",
            "position",
            "metadata",
            "version",
            "published",
        }
    ),
}

TEMPORAL_KINDS = frozenset({"timestamp", "date"})
GROUPABLE_KINDS = frozenset({"string", "boolean", "date"})


def metadata_document() -> dict[str, Any]:
    # No `type` (so both the assets API and `superset import-dashboards` take it) and no
    # timestamp (so regenerating an unchanged project changes no file).
    return {"version": EXPORT_VERSION}


# How Superset opens a DuckDB warehouse. Read-only, so dbt can rebuild the file while Superset reads it. And
# sandboxed: SQL Lab (and a virtual dataset or a custom SQL metric) runs the user's SQL in this connection, and
# DuckDB's SQL can read and write the server's files (read_text, read_csv, glob, COPY ... TO, ATTACH, INSTALL);
# Superset's allow_dml does not stop those. With external access off they fail; with the configuration locked,
# no SET can turn it back on. DuckDB still lets the connection reach its own files: the warehouse (data SQL Lab
# may query anyway) and its temp folder `<file>.tmp/`, where COPY could then write, hence no temp folder (the
# price: a query bigger than memory fails instead of spilling to disk; the dashboards read small marts).
# duckdb-engine passes `config` keys that are DuckDB settings to duckdb.connect. Superset 4.1, 5.0 and 6.1
# import `engine_params` as a free-form mapping, and their DuckDB engine spec adds a `custom_user_agent` to
# this same `config`.
DUCKDB_SANDBOX: dict[str, bool | str] = {
    "enable_external_access": False,
    "lock_configuration": True,
    "temp_directory": "",
}
DUCKDB_CONNECT_ARGS: dict[str, Any] = {"read_only": True, "config": DUCKDB_SANDBOX}


def database_document(name: str, sqlalchemy_uri: str, uuid: str, *, duckdb: bool) -> dict[str, Any]:
    engine_params: dict[str, Any] = {"connect_args": copy.deepcopy(DUCKDB_CONNECT_ARGS)} if duckdb else {}
    return {
        "database_name": name,
        "sqlalchemy_uri": sqlalchemy_uri,
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_csv_upload": False,
        "extra": {
            "allows_virtual_table_explore": True,
            "engine_params": engine_params,
            "metadata_params": {},
            "schemas_allowed_for_csv_upload": [],
        },
        "uuid": uuid,
        "version": EXPORT_VERSION,
    }


def _column(name: str, kind: str, description: str, dialect: Dialect, expression: str | None) -> dict[str, Any]:
    return {
        "column_name": name,
        "verbose_name": column_label(name),
        "is_dttm": kind in TEMPORAL_KINDS,
        "is_active": True,
        "type": dialect.type_name(kind),
        "groupby": kind in GROUPABLE_KINDS,
        "filterable": True,
        "expression": expression,
        "description": description or None,
        "python_date_format": None,
    }


def _metric(metric: Metric) -> dict[str, Any]:
    return {
        "metric_name": metric.name,
        "verbose_name": metric.verbose_name,
        "metric_type": None,
        "expression": metric.expression,
        "description": metric.description,
        "d3format": metric.d3format,
        "extra": None,
        "warning_text": metric.warning_text,
    }


def main_time_column(mart: MartModel, kinds: dict[str, str]) -> str | None:
    """The dataset's default time column: its first date column (the period a row lands in)."""
    return next((column.name for column in mart.columns if kinds[column.name] == "date"), None)


def dataset_document(
    mart: MartModel,
    *,
    schema: str,
    uuid: str,
    database_uuid: str,
    metrics: list[Metric],
    calculated: tuple[CalculatedColumn, ...],
    kinds: dict[str, str],
    dialect: Dialect,
) -> dict[str, Any]:
    columns = [_column(column.name, kinds[column.name], column.description, dialect, None) for column in mart.columns]
    columns += [_column(c.name, c.kind, c.description, dialect, c.expression) for c in calculated]
    return {
        "table_name": mart.name,
        "main_dttm_col": main_time_column(mart, kinds),
        "description": mart.description or None,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "schema": schema,
        "sql": None,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "uuid": uuid,
        "metrics": [_metric(metric) for metric in metrics],
        "columns": columns,
        "version": EXPORT_VERSION,
        "database_uuid": database_uuid,
    }


def chart_document(chart: ChartDoc, *, uuid: str, dataset_uuid: str) -> dict[str, Any]:
    return {
        "slice_name": chart.title,
        "description": chart.description or None,
        "viz_type": chart.viz_type,
        "params": chart.params,
        "query_context": chart.query_context(),
        "cache_timeout": None,
        "uuid": uuid,
        "version": EXPORT_VERSION,
        "dataset_uuid": dataset_uuid,
    }


def dashboard_document(
    *, title: str, description: str, slug: str, uuid: str, position: dict[str, Any], metadata: dict[str, Any]
) -> dict[str, Any]:
    return {
        "dashboard_title": title,
        "description": description,
        "css": "",
        "slug": slug,
        "uuid": uuid,
        "position": position,
        "metadata": metadata,
        "version": EXPORT_VERSION,
        "published": True,
    }
