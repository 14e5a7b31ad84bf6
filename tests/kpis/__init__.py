"""kpi_values and the KPI marts against the reference implementation (tests/reference) and hand-made traps."""
