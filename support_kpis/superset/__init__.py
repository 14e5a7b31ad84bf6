"""Superset dashboards as an importable v1 asset bundle, generated from the dbt project.

- `manifest`: the marts and their documented columns, read from dbt's manifest.
- `dialects`, `metrics`: each KPI's SQL from its single declaration in the KPI registry.
- `dashboard_specs`: the six dashboards as data (charts keyed by KPI id).
- `datasets`, `charts`, `dashboards`, `bundle`: the YAML documents, their uuids, the tree and the ZIP.
- `rest_client`, `local_server`: pushing a bundle to a running Superset, and running one locally.
"""
