"""The input quality gate behind `support-kpis validate`: Great Expectations suites over the raw tables.

The suites live in expectations/<table>.json (GX 1.x suite format). Rows that break an error-level row rule are
moved to quarantine.<table>; a table-level failure stops the run before dbt.
"""

from support_kpis.validation.gate import ValidationFailed, validate_folder, validate_warehouse
from support_kpis.validation.options import ValidationOptions
from support_kpis.validation.report import ValidationReport

__all__ = ["ValidationFailed", "ValidationOptions", "ValidationReport", "validate_folder", "validate_warehouse"]
