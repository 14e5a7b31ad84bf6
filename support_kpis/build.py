"""Run `dbt build` on the loaded warehouse."""
