"""Independent Python reference implementation of the KPI catalog.

Written from the KPI definitions and the data contract alone (docs/kpi-catalog.md,
docs/data-contract.md) and sharing no code with the dbt project, so tests can check the SQL against it.
Pure standard library; simple over fast.
"""

from .kpis import compute_kpi_values
from .rows import KpiRow

__all__ = ["KpiRow", "compute_kpi_values"]
