"""Quoting helpers: file names and header names reach SQL, so they are always quoted."""

from __future__ import annotations


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def qualified(schema: str, table: str, catalog: str | None = None) -> str:
    parts = [catalog] if catalog else []
    return ".".join(ident(p) for p in [*parts, schema, table])
