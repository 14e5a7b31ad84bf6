"""The catalog sections beyond speed and flow: customer experience, agents and team,
self-service and knowledge base, customers and money. Each KPI whose optional table is
absent (no file) produces no rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .agents import agent_rows
from .dated_facts import Context
from .dimensions import Segment
from .inputs import RawData
from .lifecycle import TicketFacts
from .money import money_rows
from .optional_inputs import read_optional_tables
from .reviews import review_rows
from .rows import KpiRow
from .self_service import self_service_rows
from .surveys import survey_rows


def beyond_flow_rows(
    data_dir: Path,
    raw: RawData,
    facts: Sequence[TicketFacts],
    ticket_segments: Mapping[str, tuple[Segment, ...]],
    as_of: datetime,
    zone: ZoneInfo,
    gross_margin_pct: float,
) -> list[KpiRow]:
    context = Context(
        as_of=as_of,
        zone=zone,
        tickets=raw.tickets,
        customers=raw.customers,
        facts=facts,
        ticket_segments=ticket_segments,
        tables=read_optional_tables(data_dir),
        gross_margin_pct=gross_margin_pct,
    )
    return [
        *survey_rows(context),
        *review_rows(context),
        *agent_rows(context),
        *self_service_rows(context),
        *money_rows(context),
    ]
