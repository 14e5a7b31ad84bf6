"""The Superset bundle, a live Superset with it imported, and its dashboards in a browser (support_kpis/superset)."""
