"""The dbt project as a whole: its models, YAML and documentation, checked with dbt's own artifacts."""
