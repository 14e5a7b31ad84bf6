"""The Fivetran Zendesk connector's tables and columns, as this generator writes them: the one declaration.

Names and types follow the connector's schema as the dbt_zendesk package reads it. Ids are
integers (Zendesk's are), timestamps are UTC without an offset (how the connector lands them),
and `schedule_holiday` dates are plain dates. Columns the connector has but nothing downstream
reads (logos, `system_*` client details, voice recordings) are left out: dbt_zendesk fills a
missing column with null, and writing them empty would only make the files bigger.
"""

from __future__ import annotations

import pyarrow as pa

TIMESTAMP = pa.timestamp("s")  # naive: the connector stores UTC without an offset
INT = pa.int64()
TEXT = pa.string()
FLAG = pa.bool_()
DATE = pa.date32()

_SYNC = [("_fivetran_synced", TIMESTAMP)]
_SYNC_DELETED = [("_fivetran_synced", TIMESTAMP), ("_fivetran_deleted", FLAG)]

_COLUMNS: dict[str, list[tuple[str, pa.DataType]]] = {
    "ticket": [
        ("id", INT),
        ("created_at", TIMESTAMP),
        ("updated_at", TIMESTAMP),
        ("status", TEXT),
        ("priority", TEXT),
        ("type", TEXT),
        ("subject", TEXT),
        ("description", TEXT),
        ("via_channel", TEXT),
        ("requester_id", INT),
        ("submitter_id", INT),
        ("assignee_id", INT),
        ("group_id", INT),
        ("organization_id", INT),
        ("brand_id", INT),
        ("ticket_form_id", INT),
        ("problem_id", INT),
        ("external_id", INT),
        ("due_at", TIMESTAMP),
        ("is_public", FLAG),
        ("has_incidents", FLAG),
        ("allow_channelback", FLAG),
        ("merged_ticket_ids", TEXT),
        ("recipient", TEXT),
        ("url", TEXT),
        *_SYNC_DELETED,
    ],
    "ticket_comment": [
        ("id", INT),
        ("ticket_id", INT),
        ("user_id", INT),
        ("created", TIMESTAMP),
        ("public", FLAG),
        ("body", TEXT),
        ("call_duration", INT),
        ("voice_comment", FLAG),
        ("facebook_comment", FLAG),
        ("tweet", FLAG),
        *_SYNC_DELETED,
    ],
    "ticket_field_history": [
        ("ticket_id", INT),
        ("field_name", TEXT),
        ("updated", TIMESTAMP),
        ("value", TEXT),
        ("user_id", INT),
        *_SYNC,
    ],
    "ticket_schedule": [("ticket_id", INT), ("created_at", TIMESTAMP), ("schedule_id", INT), *_SYNC],
    "ticket_tag": [("ticket_id", INT), ("tag", TEXT), *_SYNC],
    "user": [
        ("id", INT),
        ("name", TEXT),
        ("email", TEXT),
        ("role", TEXT),
        ("organization_id", INT),
        ("created_at", TIMESTAMP),
        ("updated_at", TIMESTAMP),
        ("last_login_at", TIMESTAMP),
        ("time_zone", TEXT),
        ("locale", TEXT),
        ("phone", TEXT),
        ("external_id", INT),
        ("active", FLAG),
        ("suspended", FLAG),
        ("verified", FLAG),
        ("restricted_agent", FLAG),
        ("shared_agent", FLAG),
        ("moderator", FLAG),
        ("only_private_comments", FLAG),
        ("chat_only", FLAG),
        ("ticket_restriction", TEXT),
        ("url", TEXT),
        *_SYNC_DELETED,
    ],
    "organization": [
        ("id", INT),
        ("name", TEXT),
        ("group_id", INT),
        ("created_at", TIMESTAMP),
        ("updated_at", TIMESTAMP),
        ("external_id", INT),
        ("shared_comments", FLAG),
        ("shared_tickets", FLAG),
        ("url", TEXT),
        *_SYNC,
    ],
    "group": [
        ("id", INT),
        ("name", TEXT),
        ("created_at", TIMESTAMP),
        ("updated_at", TIMESTAMP),
        ("url", TEXT),
        *_SYNC_DELETED,
    ],
    "brand": [
        ("id", INT),
        ("name", TEXT),
        ("active", FLAG),
        ("default", FLAG),  # a reserved word in SQL: loaders must quote it
        ("brand_url", TEXT),
        ("subdomain", TEXT),
        ("has_help_center", FLAG),
        ("help_center_state", TEXT),
        ("url", TEXT),
        *_SYNC_DELETED,
    ],
    "schedule": [
        ("id", INT),
        ("name", TEXT),
        ("created_at", TIMESTAMP),
        ("time_zone", TEXT),
        ("start_time", INT),
        ("end_time", INT),
        ("start_time_utc", INT),
        ("end_time_utc", INT),
        *_SYNC_DELETED,
    ],
    "schedule_holiday": [
        ("id", INT),
        ("schedule_id", INT),
        ("name", TEXT),
        ("start_date", DATE),
        ("end_date", DATE),
        *_SYNC_DELETED,
    ],
    "time_zone": [("time_zone", TEXT), ("standard_offset", TEXT), *_SYNC],
    "daylight_time": [
        ("time_zone", TEXT),
        ("year", INT),
        ("daylight_start_utc", TIMESTAMP),
        ("daylight_end_utc", TIMESTAMP),
        ("daylight_offset", INT),
        *_SYNC,
    ],
    "sla_policy_metric_history": [
        ("sla_policy_id", INT),
        ("index", INT),
        ("sla_policy_updated_at", TIMESTAMP),
        ("metric", TEXT),
        ("priority", TEXT),
        ("target", INT),
        ("business_hours", FLAG),
        ("valid_starting_at", TIMESTAMP),
        ("valid_ending_at", TIMESTAMP),
        *_SYNC,
    ],
}

TABLES: tuple[str, ...] = tuple(_COLUMNS)


def schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in _COLUMNS[table]])


def build(table: str, columns: dict[str, list[object]]) -> pa.Table:
    """A table in the declared column order; a missing or extra column is a generator bug."""
    declared = schema(table)
    if set(columns) != set(declared.names):
        missing, extra = set(declared.names) - set(columns), set(columns) - set(declared.names)
        raise ValueError(f"{table}: missing columns {sorted(missing)}, unexpected {sorted(extra)}")
    arrays = [pa.array(columns[field.name], type=field.type) for field in declared]
    return pa.Table.from_arrays(arrays, schema=declared)
