"""Quoting helpers: file names and header names reach SQL, so they are always quoted."""

from __future__ import annotations

import duckdb


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str, catalog: str | None = None) -> bool:
    """Whether `schema.table` exists (in the attached database `catalog`, when given)."""
    sql = "select count(*) from information_schema.tables where table_schema = ? and table_name = ?"
    parameters = [schema, table]
    if catalog is not None:
        sql += " and table_catalog = ?"
        parameters.append(catalog)
    row = con.execute(sql, parameters).fetchone()
    return bool(row and row[0])


def qualified(schema: str, table: str, catalog: str | None = None) -> str:
    parts = [catalog] if catalog else []
    return ".".join(ident(p) for p in [*parts, schema, table])
