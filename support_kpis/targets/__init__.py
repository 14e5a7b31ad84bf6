"""The warehouses dbt can build in: the embedded DuckDB (default), Postgres and Spark."""
