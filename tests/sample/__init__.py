"""The sample data generator (support_kpis/sample, `support-kpis generate`)."""
