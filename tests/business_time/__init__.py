"""The dbt business clock and its macros against the independent reference (tests/reference_business)."""
