"""Reproductions of every hardening defect: bad files, faults, kills and security, through the real CLI."""
