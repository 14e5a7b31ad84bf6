"""Flat ticket exports: one row per ticket (Freshdesk, Jira Service Management, help-desk CSV exports).

A mapping file (YAML) says which export column is which field; `load_flat_export` checks it against the export,
types the rows, quarantines the ones that contradict themselves and writes `flat.tickets_export`, from which the
dbt models in models/staging/flat produce the contract's tickets, ticket events and surveys (`source: flat`).
"""

from support_kpis.flat_exports.loader import FlatLoadReport, load_flat_export
from support_kpis.flat_exports.mapping import Mapping, read_mapping

__all__ = ["FlatLoadReport", "Mapping", "load_flat_export", "read_mapping"]
