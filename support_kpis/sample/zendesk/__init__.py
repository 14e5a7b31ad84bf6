"""A Zendesk account's data the way the Fivetran connector lands it, deterministic for a seed.

`generate_zendesk_sample` writes the tables dbt_zendesk reads (declared in `columns`), with
the cases that trip adapters up drawn on purpose (see `lifecycle`).
"""

from __future__ import annotations

from support_kpis.sample.zendesk.pipeline import generate_zendesk_sample

__all__ = ["generate_zendesk_sample"]
