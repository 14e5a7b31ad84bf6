"""support-kpis: customer-support KPIs from raw helpdesk data."""

__version__ = "0.1.0"
