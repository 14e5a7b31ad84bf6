"""Benchmark generate, load and dbt build."""
