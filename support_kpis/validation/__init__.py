"""The input quality gate behind `support-kpis validate`: Great Expectations suites over the raw tables.

The suites live in expectations/<table>.json (GX 1.x suite format). Rows that break an error-level row rule are
moved to quarantine.<table>; a table-level failure stops the run before dbt. Entry points are in `gate`
(validate_warehouse, validate_folder); importing them loads Great Expectations, which takes seconds, so the CLI
imports them only when a validation runs.
"""
