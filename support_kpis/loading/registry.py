"""Table registries: which tables a load reads, and where their raw, quarantine and inventory tables live.

The loader and the validation gate are the same machinery for every source; a registry says what they work on.
`CONTRACT` is the data contract (support_kpis/contract.py) loaded into schema `raw`; `ZENDESK` is the Fivetran
Zendesk connector's tables loaded into schema `zendesk` under the connector's own table and column names, so the
dbt adapter's source `zendesk` reads them exactly as it reads a Fivetran warehouse.

The Zendesk columns and their types are declared once, in support_kpis/sample/zendesk/columns.py (the generator
writes them from there); this module only adds what the loader needs on top: primary keys, required tables and
columns, and the enums the loader canonicalises while typing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import pyarrow as pa

from support_kpis.contract import TABLES as CONTRACT_TABLES
from support_kpis.contract import Column, ColumnType, Table
from support_kpis.sample.zendesk import columns as zendesk_columns
from support_kpis.settings import QUARANTINE_SCHEMA, RAW_SCHEMA, TABLE_INVENTORY


@dataclass(frozen=True)
class Registry:
    """The tables of one source and the names of what the loader writes for them."""

    source: str  # the dbt var `source` this data feeds
    tables: dict[str, Table]
    schema: str  # where <table> and the inventory go
    quarantine_prefix: str = ""  # quarantine.<prefix><table>

    def quarantine_table(self, table: str) -> str:
        return f"{self.quarantine_prefix}{table}"

    @property
    def quarantine_schema(self) -> str:
        return QUARANTINE_SCHEMA

    @property
    def inventory_table(self) -> str:
        return TABLE_INVENTORY

    def suite_name(self, table: str) -> str:
        """The table's expectation suite name (and its name in reports): `<table>`, or `<schema>.<table>` when the
        registry has its own schema, so names stay unique across registries."""
        return table if self.schema == RAW_SCHEMA else f"{self.schema}.{table}"

    @cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(name for name, table in self.tables.items() if table.required)


CONTRACT = Registry("contract", CONTRACT_TABLES, RAW_SCHEMA)


def contract_beside_adapter() -> Registry:
    """The contract's tables as loaded next to an adapter's: all optional (the adapter produces tickets and events)."""
    return replace(CONTRACT, tables={name: replace(t, required=False) for name, t in CONTRACT_TABLES.items()})


# ----------------------------------------------------------------------------------------------------------------
# Zendesk (the Fivetran connector's schema)

ZENDESK_SCHEMA = "zendesk"

TICKET_STATUSES = ("new", "open", "pending", "hold", "solved", "closed", "deleted")
PRIORITIES = ("low", "normal", "high", "urgent")
USER_ROLES = ("end-user", "agent", "admin", "not set")
SATISFACTION_SCORES = ("offered", "unoffered", "good", "goodwithcomment", "bad", "badwithcomment")
SLA_TARGET_FIELDS = ("first_reply_time", "next_reply_time", "total_resolution_time")
# via_channel values the adapter maps by name (docs: sources); others still load and map to `other`.
KNOWN_VIA_CHANNELS = (
    "email",
    "web",
    "web_form",
    "web_widget",
    "help_center",
    "chat",
    "chat_transcript",
    "native_messaging",
    "voice",
    "mobile",
    "mobile_sdk",
    "sdk",
    "whatsapp",
    "line",
    "wechat",
    "sms",
    "twitter",
    "facebook",
    "instagram_dm",
    "api",
    "rule",
    "closed_ticket",
    "merge",
    "sample_ticket",
)

_ARROW_TYPES: dict[pa.DataType, ColumnType] = {
    pa.int64(): "integer",
    pa.string(): "string",
    pa.bool_(): "boolean",
    pa.date32(): "date",
    pa.timestamp("s"): "timestamp",
}


@dataclass(frozen=True)
class _Loading:
    """What the loader adds to a connector table's declared columns."""

    primary_key: tuple[str, ...]
    required: bool = False
    required_columns: tuple[str, ...] = ()
    enums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    description: str = ""


_LOADING: dict[str, _Loading] = {
    "ticket": _Loading(
        ("id",),
        True,
        ("id", "created_at", "status", "via_channel"),
        (("status", TICKET_STATUSES), ("priority", PRIORITIES)),
        "One row per ticket, its current state.",
    ),
    "ticket_comment": _Loading(
        ("id",), True, ("id", "ticket_id", "created", "public"), description="Public replies and internal notes."
    ),
    "ticket_field_history": _Loading(
        ("ticket_id", "field_name", "updated"),
        True,
        ("ticket_id", "field_name", "updated"),
        description="One row per change of a ticket field.",
    ),
    "user": _Loading(("id",), True, ("id",), (("role", USER_ROLES),), "End-users, agents and admins."),
    "ticket_schedule": _Loading(("ticket_id", "created_at"), False, ("ticket_id", "created_at", "schedule_id")),
    "ticket_tag": _Loading(("ticket_id", "tag"), False, ("ticket_id", "tag")),
    "organization": _Loading(("id",), False, ("id",)),
    "group": _Loading(("id",), False, ("id", "name")),
    "brand": _Loading(("id",), False, ("id",)),
    "schedule": _Loading(("id", "start_time"), False, ("id", "start_time", "end_time", "time_zone")),
    "schedule_holiday": _Loading(("id", "schedule_id"), False, ("id", "schedule_id", "start_date", "end_date")),
    "time_zone": _Loading(("time_zone",), False, ("time_zone",)),
    "daylight_time": _Loading(("time_zone", "year"), False, ("time_zone", "year")),
    "sla_policy_metric_history": _Loading(
        ("sla_policy_id", "sla_policy_updated_at", "metric", "priority"), False, ("sla_policy_id", "metric")
    ),
}


def _zendesk_table(name: str) -> Table:
    loading = _LOADING[name]
    enums = dict(loading.enums)
    declared = zendesk_columns.schema(name)
    unknown = (set(loading.required_columns) | set(enums) | set(loading.primary_key)) - set(declared.names)
    if unknown:
        raise ValueError(f"zendesk {name}: no declared columns {sorted(unknown)}")
    columns = tuple(
        Column(
            field.name,
            "enum" if field.name in enums else _ARROW_TYPES[field.type],
            field.name in loading.required_columns or field.name in loading.primary_key,
            enums.get(field.name, ()),
        )
        for field in declared
    )
    synced = "_fivetran_synced" if "_fivetran_synced" in declared.names else None
    return Table(
        name,
        columns,
        loading.primary_key,
        required=loading.required,
        description=loading.description,
        version_column=synced,
    )


ZENDESK = Registry(
    "zendesk",
    {name: _zendesk_table(name) for name in zendesk_columns.TABLES},
    ZENDESK_SCHEMA,
    quarantine_prefix="zendesk__",
)

REGISTRIES = {"contract": CONTRACT, "zendesk": ZENDESK}
