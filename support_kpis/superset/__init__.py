"""Superset dashboards as an importable v1 asset bundle, generated from the dbt project.

Generating:   manifest (marts and documented columns) + kpi_registry -> metrics (each KPI's SQL),
              sources (observation model or kpi_values), charts, dashboards (layout, native filters),
              documents (YAML keys Superset 4.1, 5.0 and 6.1 accept) -> bundle (tree, ZIP, uuids).
              dashboard_specs holds the six dashboards as data; project_bundle ties it to this project.
Publishing:   rest_client (Superset's REST API), local_server (a local Superset), publish (import, serve).
"""
