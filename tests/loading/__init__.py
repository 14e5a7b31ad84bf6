"""The loader (support_kpis/loading, `support-kpis load`): files in, typed raw tables and a quarantine out."""
