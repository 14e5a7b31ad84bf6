"""Run the whole job end to end on the embedded DuckDB."""
