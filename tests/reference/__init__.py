"""Independent Python reference implementation of the KPI catalog.

Written from ``shared/spec/kpi-catalog.md`` and ``data-contract.md`` alone and
sharing no code with the dbt project, so tests can check the SQL against it.
Pure standard library; simple over fast.
"""

from .kpis import compute_kpi_values
from .rows import KpiRow

__all__ = ["KpiRow", "compute_kpi_values"]
