"""The Great Expectations gate (support_kpis/validation, `support-kpis validate`) and the bad inputs it must catch."""
