"""The test suite's Postgres: one throwaway server per test session (support_kpis.targets.throwaway_postgres)."""

from support_kpis.targets.throwaway_postgres import INSTALL_HINT, throwaway_postgres

__all__ = ["INSTALL_HINT", "throwaway_postgres"]
