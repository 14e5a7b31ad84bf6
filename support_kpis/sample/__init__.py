"""Deterministic, realistic sample helpdesk data in the shape of the raw data contract.

`generate_sample` writes every data table of the contract for a seed; the modules here
each build one family of tables (customers, agents, tickets and their events, surveys, ...).
"""

from __future__ import annotations

from support_kpis.sample.config import SampleConfig
from support_kpis.sample.pipeline import generate_sample

__all__ = ["SampleConfig", "generate_sample"]
