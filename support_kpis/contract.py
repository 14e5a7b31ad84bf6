"""The raw data contract (version 2; the users' page is docs/data-contract.md, generated from this) as data.

Every part of the kit that touches raw tables (generator, loader, validation,
reference checks) reads table and column facts from here, so the contract is
written down once in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["string", "timestamp", "date", "month", "boolean", "integer", "number", "enum", "time"]
# How often new rows are expected: "daily" and "occasional" tables hold events whose newest timestamp says how
# recent the data is (occasional: irregular, e.g. public reviews); "monthly" tables hold one row per month;
# "snapshot" tables (and configuration) are the current state, with no timestamp that must move forward.
Delivery = Literal["daily", "occasional", "monthly", "snapshot"]
# What the input gate does with a row whose reference is not found: "quarantined" (set aside, so dbt never
# sees such a row) or "kept" (legal: the row still counts, e.g. a survey about a ticket outside the export).
Orphans = Literal["quarantined", "kept"]

STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed")
SOLVED_STATUSES = ("solved", "closed")
CHANNELS = ("email", "chat", "phone", "web", "social", "messaging", "other")
PRIORITIES = ("low", "normal", "high", "urgent")
EVENT_TYPES = ("message", "status_change", "assignment", "escalation")
ACTOR_TYPES = ("customer", "agent", "bot", "system")
SURVEY_TYPES = ("csat", "nps", "ces")
COST_CATEGORIES = ("salaries", "tooling", "outsourcing", "overhead", "other")
SLA_METRICS = ("first_response", "next_response", "resolution")


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class ForeignKey:
    """`column` holds a `references` of table `table` (null means no reference)."""

    column: str
    table: str
    references: str
    orphans: Orphans = "kept"
    # The rows the reference applies to, an SQL condition over the table's columns (None: every row).
    where: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    required: bool = False
    is_configuration: bool = False
    description: str = ""
    # Column that decides between rows sharing a primary key (latest wins).
    version_column: str | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    delivery: Delivery = "snapshot"
    # The newest value of these (the first non-null, in order) says how recent the data is.
    recency_columns: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")


def _c(
    name: str, type_: ColumnType, required: bool = False, enum: tuple[str, ...] = (), description: str = ""
) -> Column:
    return Column(name, type_, required, enum, description)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "tickets",
            (
                _c("ticket_id", "string", True, description="Primary key."),
                _c("created_at", "timestamp", True, description="When the customer's request arrived (UTC)."),
                _c("updated_at", "timestamp", description="Last change; decides between duplicate rows."),
                _c("customer_id", "string", description="Requester (customers.customer_id)."),
                _c("channel", "enum", True, CHANNELS, "Contact channel."),
                _c("priority", "enum", False, PRIORITIES, "Priority; null means normal."),
                _c("category", "string", description="Issue type; null means uncategorized."),
                _c("product", "string", description="Product or product line concerned."),
                _c("status", "enum", True, STATUSES, "Current status."),
                _c("assignee_id", "string", description="Current assignee (agents.agent_id)."),
                _c("team", "string", description="Current group/team."),
                _c("schedule_id", "string", description="Business-hours schedule; null means the default schedule."),
                _c("subject", "string", description="Free text."),
            ),
            ("ticket_id",),
            required=True,
            version_column="updated_at",
            description="One row per ticket, its current state.",
            foreign_keys=(
                ForeignKey("customer_id", "customers", "customer_id"),
                ForeignKey("assignee_id", "agents", "agent_id"),
            ),
            delivery="daily",
            recency_columns=("updated_at", "created_at"),
        ),
        Table(
            "ticket_events",
            (
                _c("event_id", "string", True, description="Primary key."),
                _c("ticket_id", "string", True, description="tickets.ticket_id."),
                _c("occurred_at", "timestamp", True, description="When it happened (UTC)."),
                _c("event_type", "enum", True, EVENT_TYPES, "message, status_change, assignment or escalation."),
                _c("actor_type", "enum", True, ACTOR_TYPES, "customer, agent, bot or system."),
                _c("actor_id", "string", description="The agent's id when actor_type = agent."),
                _c(
                    "is_public",
                    "boolean",
                    description="For messages: true if visible to the customer, false for an internal note.",
                ),
                _c("new_status", "enum", False, STATUSES, "For status_change: the status after the change."),
                _c("new_assignee_id", "string", description="For assignment: the new assignee."),
                _c("new_team", "string", description="For assignment: the new team."),
                _c("new_tier", "integer", description="Support tier after an escalation."),
                _c("handle_seconds", "integer", description="Agent working time spent on this event, >= 0."),
                _c("body", "string", description="Message text."),
            ),
            ("event_id",),
            required=True,
            description="Append-only history of every ticket.",
            foreign_keys=(
                ForeignKey("ticket_id", "tickets", "ticket_id", orphans="quarantined"),
                ForeignKey("actor_id", "agents", "agent_id", where="actor_type = 'agent'"),
                ForeignKey("new_assignee_id", "agents", "agent_id"),
            ),
            delivery="daily",
            recency_columns=("occurred_at",),
        ),
        Table(
            "agents",
            (
                _c("agent_id", "string", True),
                _c(
                    "name",
                    "string",
                    description="How dashboards and the leaderboard show the agent (dim_agents.agent_name: the "
                    "agent_id follows a name two agents share, and stands in for a missing one).",
                ),
                _c("email", "string"),
                _c("team", "string"),
                _c("tier", "integer", description="1 = front line."),
                _c("hired_at", "date"),
                _c("terminated_at", "date", description="Null while employed."),
                _c("hourly_cost", "number"),
            ),
            ("agent_id",),
            description="One row per agent.",
        ),
        Table(
            "agent_activity",
            (
                _c("agent_id", "string", True),
                _c("activity_date", "date", True, description="Date in the reporting time zone."),
                _c("scheduled_seconds", "integer", description="Planned shift length."),
                _c("logged_in_seconds", "integer", description="Time available/online."),
            ),
            ("agent_id", "activity_date"),
            description="One row per agent and day.",
            foreign_keys=(ForeignKey("agent_id", "agents", "agent_id"),),
            delivery="daily",
            recency_columns=("activity_date",),
        ),
        Table(
            "customers",
            (
                _c("customer_id", "string", True),
                _c("created_at", "timestamp", description="Became a customer."),
                _c("segment", "string"),
                _c("region", "string"),
                _c("country", "string"),
                _c("plan", "string"),
            ),
            ("customer_id",),
            description="One row per customer account.",
        ),
        Table(
            "customer_revenue",
            (
                _c("customer_id", "string", True),
                _c("month", "month", True, description="First day of the month."),
                _c("mrr", "number", True, description="Monthly recurring revenue, >= 0."),
            ),
            ("customer_id", "month"),
            description="Monthly recurring revenue; active in a month when mrr > 0.",
            foreign_keys=(ForeignKey("customer_id", "customers", "customer_id"),),
            delivery="monthly",
            recency_columns=("month",),
        ),
        Table(
            "surveys",
            (
                _c("response_id", "string", True),
                _c("survey_type", "enum", True, SURVEY_TYPES),
                _c("ticket_id", "string"),
                _c("customer_id", "string"),
                _c("responded_at", "timestamp", True),
                _c("score", "number", True),
                _c("scale_min", "integer", description="Null: csat 1, nps 0, ces 1. A csat scale 0-1 is good/bad."),
                _c("scale_max", "integer", description="Null: csat 5, nps 10, ces 7."),
                _c("comment", "string"),
            ),
            ("response_id",),
            description="Customer survey responses.",
            foreign_keys=(
                ForeignKey("ticket_id", "tickets", "ticket_id"),
                ForeignKey("customer_id", "customers", "customer_id"),
            ),
            delivery="daily",
            recency_columns=("responded_at",),
        ),
        Table(
            "reviews",
            (
                _c("review_id", "string", True),
                _c("customer_id", "string"),
                _c("source", "string"),
                _c("rating", "integer", True, description="1-5."),
                _c("published_at", "timestamp", True),
            ),
            ("review_id",),
            description="Public reviews.",
            foreign_keys=(ForeignKey("customer_id", "customers", "customer_id"),),
            delivery="occasional",
            recency_columns=("published_at",),
        ),
        Table(
            "kb_articles",
            (
                _c("article_id", "string", True),
                _c("title", "string"),
                _c("category", "string"),
                _c("created_at", "timestamp"),
                _c("published_at", "timestamp", description="Null while a draft."),
                _c("archived_at", "timestamp", description="Null while live."),
            ),
            ("article_id",),
            description="Knowledge-base articles.",
        ),
        Table(
            "self_service_sessions",
            (
                _c("session_id", "string", True),
                _c("customer_id", "string"),
                _c("started_at", "timestamp", True),
                _c("article_id", "string"),
                _c("resolved", "boolean", description="The customer said it solved the problem."),
                _c("ticket_id", "string", description="The ticket opened from this session."),
                _c("helpful", "boolean", description="The article vote; null when no vote."),
            ),
            ("session_id",),
            description="Help-center / bot sessions.",
            foreign_keys=(
                ForeignKey("customer_id", "customers", "customer_id"),
                ForeignKey("article_id", "kb_articles", "article_id"),
                ForeignKey("ticket_id", "tickets", "ticket_id"),
            ),
            delivery="daily",
            recency_columns=("started_at",),
        ),
        Table(
            "support_costs",
            (
                _c("month", "month", True),
                _c("category", "enum", True, COST_CATEGORIES),
                _c("amount", "number", True, description=">= 0."),
            ),
            ("month", "category"),
            description="What support costs, per month.",
            delivery="monthly",
            recency_columns=("month",),
        ),
        Table(
            "engagement_surveys",
            (
                _c("response_id", "string", True),
                _c("agent_id", "string", True),
                _c("responded_at", "timestamp", True),
                _c("score", "number", True, description="0-10."),
            ),
            ("response_id",),
            description="Agents' engagement responses.",
            foreign_keys=(ForeignKey("agent_id", "agents", "agent_id"),),
            delivery="occasional",
            recency_columns=("responded_at",),
        ),
        Table(
            "marketing_spend",
            (
                _c("month", "month", True),
                _c("amount", "number", True, description=">= 0."),
            ),
            ("month",),
            description="Acquisition spend, per month.",
            delivery="monthly",
            recency_columns=("month",),
        ),
        Table(
            "business_schedules",
            (
                _c("schedule_id", "string", True),
                _c("timezone", "string", True, description="IANA time zone name."),
                _c("day_of_week", "integer", True, description="1 = Monday ... 7 = Sunday."),
                _c("start_time", "time", True, description="HH:MM local time."),
                _c("end_time", "time", True, description="HH:MM local time; may be 24:00."),
            ),
            ("schedule_id", "day_of_week", "start_time"),
            is_configuration=True,
            description="Business-hours schedules.",
        ),
        Table(
            "holidays",
            (
                _c("schedule_id", "string", True),
                _c("holiday_date", "date", True, description="Local date."),
                _c("name", "string"),
            ),
            ("schedule_id", "holiday_date"),
            is_configuration=True,
            description="Holidays: each removes a whole local day from its schedule.",
        ),
        Table(
            "sla_policies",
            (
                _c("priority", "enum", True, PRIORITIES),
                _c("channel", "string", True, description="A channel, or * for any."),
                _c("first_response_minutes", "number"),
                _c("resolution_minutes", "number"),
                _c("business_hours", "boolean", description="Targets count business minutes of the ticket's schedule."),
                _c("next_response_minutes", "number", description="Target for each reply after the first (v2)."),
            ),
            ("priority", "channel"),
            is_configuration=True,
            description=(
                "SLA targets per priority and channel. The shipped seed applies only when the user supplies neither "
                "sla_policies rows nor ticket_sla_targets rows."
            ),
        ),
        Table(
            "ticket_sla_targets",
            (
                _c("ticket_id", "string", True, description="tickets.ticket_id."),
                _c("metric", "enum", True, SLA_METRICS, "first_response, next_response or resolution."),
                _c("target_minutes", "number", True, description="The target, > 0."),
                _c(
                    "business_hours",
                    "boolean",
                    description="The target counts business minutes of the ticket's schedule; null means true.",
                ),
                _c("applied_at", "timestamp", True, description="When the target was applied to the ticket (UTC)."),
            ),
            ("ticket_id", "metric", "applied_at"),
            description=(
                "Per-ticket SLA targets (v2), e.g. those a helpdesk's SLA policies applied: a measurement (first "
                "response, first solve, a reply cycle's reply) is judged by the latest row of its ticket and metric "
                "applied at or before it ends (the as-of time while it runs); with none, the sla_policies rule applies."
            ),
            foreign_keys=(ForeignKey("ticket_id", "tickets", "ticket_id"),),
            delivery="daily",
            recency_columns=("applied_at",),
        ),
        Table(
            "kpi_targets",
            (
                _c("kpi_id", "string", True),
                _c("target", "number", True),
            ),
            ("kpi_id",),
            is_configuration=True,
            description="Targets per KPI.",
        ),
    )
}

REQUIRED_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES.values() if t.required)
DATA_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES.values() if not t.is_configuration)
CONFIGURATION_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES.values() if t.is_configuration)

# Metadata columns the loader adds to every raw table.
SOURCE_FILE_COLUMN = "_source_file"
SOURCE_ROW_COLUMN = "_source_row"
