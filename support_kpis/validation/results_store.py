"""A GX validation results store that keeps only the first few failing values of each expectation.

A checkpoint stores every result it produces; with the COMPLETE result format that is every failing row, which
GX deep-copies and serialises (a minute for 500,000 failing rows). The gate reads the full lists from the result
it is handed; the stored copy, which Data Docs render, needs only examples.
"""

from __future__ import annotations

from typing import Any

from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.data_context.store import ValidationResultsStore

KEPT_VALUES = 20
# The partial lists too: the Postgres gate raises partial_unexpected_count to receive every failing row.
_LONG_LISTS = (
    "unexpected_list",
    "unexpected_index_list",
    "partial_unexpected_index_list",
    "partial_unexpected_list",
    "partial_unexpected_counts",
)


class TrimmedValidationResultsStore(ValidationResultsStore):
    def serialize(self, value: ExpectationSuiteValidationResult) -> Any:  # type: ignore[override]
        removed: list[tuple[dict[str, Any], str, list[Any]]] = []
        for result in value.results:
            details = result.result or {}
            for key in _LONG_LISTS:
                values = details.get(key)
                if isinstance(values, list) and len(values) > KEPT_VALUES:
                    removed.append((details, key, values))
                    details[key] = values[:KEPT_VALUES]
        try:
            return super().serialize(value)
        finally:
            # The caller still holds `value`: give it its full lists back.
            for details, key, values in removed:
                details[key] = values
