"""The six dashboards of spec/dashboards.md, as data.

A chart names KPI ids, not SQL: the generator draws it from the registry at
generation time. A chart whose KPIs are not declared yet is left out (and listed
on its dashboard as coming), and appears once the registry declares them: adding
a KPI never needs a change here unless it needs a new chart.

Chart kinds:
  number       big number of the latest period, with its trend and the change
               against the previous period
  trend        the KPIs over time (line; `bars=True` for bars)
  by           the KPIs split by one dimension over the selected time range
  heatmap      ticket arrivals by weekday × hour
  leaderboard  a table of agents (or another dimension) ranked on the first KPI
  share        one KPI split by a column of its observation model (pie)
  table        the rows of a mart, as they are (e.g. kpi_scorecard)
  count        a mart's rows counted by one column (bars), stacked by `series`
               (e.g. open tickets by age bucket and status)
"""

from __future__ import annotations

from dataclasses import dataclass

from support_kpis.superset.calculated_columns import reported_month_column
from support_kpis.superset.money import currency_code

# Money titles name the currency code (dbt var `currency`).
MONEY = currency_code()

# Kinds that draw a mart's rows rather than KPIs.
MART_KINDS = frozenset({"table", "count"})


@dataclass(frozen=True)
class ChartSpec:
    kind: str
    kpis: tuple[str, ...] = ()
    dimension: str | None = None
    grain: str = "month"
    title: str | None = None
    width: int = 4
    bars: bool = False
    row_limit: int | None = None
    # kind `table` only: the mart, the columns shown (those it has, in this order; none: all),
    # fixed equality filters, the order, and the date column the time range applies to.
    table: str | None = None
    columns: tuple[str, ...] = ()
    equals: tuple[tuple[str, str], ...] = ()
    order_by: tuple[tuple[str, bool], ...] = ()
    time_column: str | None = None
    # kind `trend`: a line per value of this column; kind `count`: the bars' stacks.
    series: str | None = None
    # kind `count`: bars drawn sideways, largest on top (long labels such as names).
    horizontal: bool = False
    # kinds `table` and `count`: end on the reported period, as KPI charts do. False for operational lists (breaches,
    # open tickets), which run to the as-of time.
    through_reported: bool = True
    # Grid units of 8 px; None: the kind's default (charts.HEIGHTS).
    height: int | None = None

    @property
    def key(self) -> str:
        """Stable within a dashboard: it names the chart's file and seeds its uuid."""
        parts = [self.kind, *self.kpis]
        if self.dimension:
            parts.append(f"by_{self.dimension}")
        if self.table:
            parts.append(self.table)
        if self.series:
            parts.append(f"split_{self.series}")
        if self.kind == "trend":
            parts.append(self.grain)
        return "__".join(parts)


@dataclass(frozen=True)
class DashboardSpec:
    key: str
    slug: str
    title: str
    description: str
    rows: tuple[tuple[ChartSpec, ...], ...]


def _numbers(*kpi_ids: str) -> tuple[ChartSpec, ...]:
    return tuple(ChartSpec("number", (kpi_id,), width=3) for kpi_id in kpi_ids)


SUPPORT_OVERVIEW = DashboardSpec(
    key="support_overview",
    slug="support-overview",
    title="Support overview",
    description="Headline KPIs, each with its trend and the change against the previous month, and the scorecard.",
    rows=(
        _numbers(
            "tickets_created",
            "backlog_open_tickets",
            "first_response_time_median_minutes",
            "resolution_time_median_hours",
        ),
        _numbers("sla_first_response_attainment_pct", "csat_pct", "nps", "first_contact_resolution_pct"),
        (
            ChartSpec(
                "table",
                table="kpi_scorecard",
                title="KPI scorecard: the reported month against targets (value in each KPI's unit; changes of "
                "% and scores in points)",
                width=12,
                columns=(
                    "name",
                    "period_label",
                    "value",
                    "unit_label",
                    "sample_size",
                    "change_label",
                    "previous_value",
                    "target",
                    "status_label",
                ),
                equals=(("grain", "month"),),
                order_by=(("catalog_order", True),),
                # Every KPI's row without a scroll box (about 30 px a row).
                height=215,
            ),
        ),
    ),
)

OPERATIONS_AND_SLA = DashboardSpec(
    key="operations_and_sla",
    slug="operations-and-sla",
    title="Operations and SLA",
    description="Volume and flow, speed trends, SLA attainment, issue types and when tickets arrive; the open "
    "backlog by age, the oldest open tickets and every SLA breach.",
    rows=(
        (
            ChartSpec(
                "trend",
                ("tickets_created", "tickets_solved"),
                grain="week",
                bars=True,
                width=6,
                title="Tickets created vs solved per week (count)",
            ),
            ChartSpec(
                "trend",
                ("backlog_open_tickets",),
                grain="week",
                width=6,
                title="Backlog at the end of each week (open tickets)",
            ),
        ),
        (
            # Full width: at half width the four names (two medians, two targets) do not fit the legend's two lines.
            ChartSpec(
                "trend",
                ("first_response_time_median_minutes", "first_response_time_business_median_minutes"),
                grain="week",
                width=12,
                title="First response time per week, median (minutes)",
            ),
        ),
        (
            ChartSpec(
                "trend",
                (
                    "resolution_time_median_hours",
                    "resolution_time_business_median_hours",
                    "full_resolution_time_median_hours",
                ),
                grain="week",
                width=12,
                title="Resolution time per week, median (hours)",
            ),
        ),
        (
            # The p90 is ten times the medians: on one axis the medians would lie flat.
            ChartSpec(
                "trend",
                ("first_response_time_p90_minutes",),
                grain="week",
                width=4,
                title="First response time per week, p90 (minutes)",
            ),
            ChartSpec("trend", ("escalation_rate_pct",), width=4, title="Escalation rate per month (%)"),
            ChartSpec("trend", ("reopen_rate_pct",), width=4, title="Reopen rate per month (%)"),
        ),
        (
            ChartSpec(
                "by",
                ("sla_first_response_attainment_pct", "sla_resolution_attainment_pct"),
                dimension="priority",
                width=6,
                title="SLA attainment by priority (%)",
            ),
            ChartSpec(
                "by",
                ("sla_first_response_attainment_pct", "sla_resolution_attainment_pct"),
                dimension="channel",
                width=6,
                title="SLA attainment by channel (%)",
            ),
        ),
        (
            ChartSpec(
                "by",
                ("tickets_created",),
                dimension="category",
                width=6,
                title="Tickets by category: issues by type (count)",
            ),
            ChartSpec(
                "heatmap", ("tickets_created",), width=6, title="Ticket arrivals by weekday and hour, UTC (count)"
            ),
        ),
        (
            ChartSpec(
                "trend",
                ("tickets_created",),
                series="channel",
                bars=True,
                # Seven channels and the legend's All / Inv buttons fill a line only at full width; at half width
                # the buttons were cut off at the right.
                width=12,
                title="Tickets created per month by channel (count)",
            ),
        ),
        (
            ChartSpec(
                "count",
                table="fct_tickets",
                dimension="first_response_time_bucket",
                time_column="created_date",
                width=6,
                title="First response time: tickets per bucket (count, by creation month)",
            ),
            ChartSpec(
                "count",
                table="fct_tickets",
                dimension="resolution_time_bucket",
                time_column="first_resolved_date",
                width=6,
                title="Resolution time: tickets per bucket (count, by resolution month)",
            ),
        ),
        (
            ChartSpec(
                "count",
                table="fct_open_backlog",
                dimension="age_bucket",
                series="status_at_as_of",
                width=3,
                title="Open backlog now by age and status (open tickets)",
            ),
            ChartSpec(
                "count",
                table="fct_open_backlog",
                dimension="age_bucket",
                series="priority",
                width=3,
                title="Open backlog now by age and priority (open tickets)",
            ),
            ChartSpec(
                "count",
                table="fct_open_backlog",
                dimension="team",
                series="age_bucket",
                horizontal=True,
                width=3,
                title="Open backlog now by team and age (open tickets)",
            ),
            ChartSpec(
                "count",
                table="fct_open_backlog",
                dimension="assignee_name",
                series="age_bucket",
                horizontal=True,
                width=3,
                title="Open backlog now by assignee and age (open tickets)",
            ),
        ),
        (
            ChartSpec(
                "table",
                table="fct_sla_breaches",
                title="SLA breach list: every breached target, latest first (lateness in minutes)",
                width=12,
                columns=(
                    "breach_at",
                    "ticket_id",
                    "subject",
                    "sla_metric",
                    "target_minutes",
                    "target_source",
                    "sla_policy_priority",
                    "sla_policy_channel",
                    "minutes_late",
                    "is_still_waiting",
                    "status_at_as_of",
                    "assignee_name",
                    "priority",
                    "channel",
                ),
                order_by=(("breach_at", False),),
                time_column="breach_date",
                through_reported=False,
            ),
        ),
        (
            ChartSpec(
                "table",
                table="fct_open_backlog",
                title="Oldest open tickets now (age in days)",
                width=12,
                columns=(
                    "ticket_id",
                    "subject",
                    "created_at",
                    "age_days",
                    "age_bucket",
                    "status_at_as_of",
                    "priority",
                    "channel",
                    "team",
                    "assignee_name",
                ),
                order_by=(("age_days", False),),
                through_reported=False,
            ),
        ),
    ),
)

CUSTOMER_EXPERIENCE = DashboardSpec(
    key="customer_experience",
    slug="customer-experience",
    title="Customer experience",
    description="Survey scores (CSAT, NPS, CES) over time and by segment, and reviews.",
    rows=(
        (
            ChartSpec("trend", ("csat_pct",), title="CSAT per month (% satisfied)"),
            ChartSpec("trend", ("nps",), title="NPS per month (score, −100 to 100)"),
            ChartSpec("trend", ("ces_avg",), title="Customer effort per month (score, 1 to 7)"),
        ),
        (
            ChartSpec("by", ("csat_pct",), dimension="channel", width=3, title="CSAT by channel (%)"),
            ChartSpec("by", ("csat_pct",), dimension="product", width=3, title="CSAT by product (%)"),
            ChartSpec("by", ("csat_pct",), dimension="category", width=3, title="CSAT by category (%)"),
            ChartSpec("by", ("csat_pct",), dimension="segment", width=3, title="CSAT by customer segment (%)"),
        ),
        (
            # The split needs an `nps_group` column (promoter / passive / detractor) on nps's model.
            ChartSpec(
                "share",
                ("nps",),
                dimension="nps_group",
                width=3,
                title="NPS responses: promoters, passives, detractors (count)",
            ),
            ChartSpec("trend", ("positive_reviews",), width=3, title="Positive (5-star) reviews per month (count)"),
            ChartSpec("trend", ("positive_review_share_pct",), width=3, title="Positive review share per month (%)"),
            ChartSpec(
                "trend",
                ("avg_days_between_positive_reviews",),
                width=3,
                title="Days between positive reviews, mean per month (days)",
            ),
        ),
    ),
)

AGENTS_AND_TEAM = DashboardSpec(
    key="agents_and_team",
    slug="agents-and-team",
    title="Agents and team",
    description="Who solves what, how fast and how well; activity, utilization and engagement.",
    rows=(
        (
            ChartSpec(
                "table",
                table="agent_leaderboard",
                title="Agent leaderboard, reported month: rank and score (0 to 1), with the measures it weighs",
                width=12,
                columns=(
                    "leaderboard_rank",
                    "agent_name",
                    "leaderboard_score",
                    "tickets_solved",
                    "csat_pct",
                    "csat_responses",
                    "first_contact_resolution_pct",
                    "first_response_median_minutes",
                    "public_replies",
                ),
                equals=(("is_ranked", "true"), (reported_month_column("leaderboard_month"), "true")),
                order_by=(("leaderboard_rank", True),),
            ),
        ),
        (
            ChartSpec(
                "leaderboard",
                (
                    "tickets_solved",
                    "first_contact_resolution_pct",
                    "resolution_time_median_hours",
                    "average_handle_time_minutes",
                    "reopen_rate_pct",
                ),
                dimension="agent",
                width=12,
                row_limit=15,
                title="Agents over the selected period: tickets first resolved (count), FCR (%), "
                "resolution median (hours), handle time (minutes), reopens (%)",
            ),
        ),
        (
            ChartSpec(
                "by",
                ("agent_replies",),
                dimension="agent",
                width=6,
                row_limit=15,
                title="Most active agents: public replies (count)",
            ),
            ChartSpec(
                "by",
                ("agent_utilization_pct",),
                dimension="agent",
                width=6,
                row_limit=15,
                title="Agent utilization (%)",
            ),
        ),
        (
            ChartSpec(
                "by",
                ("average_handle_time_minutes",),
                dimension="agent",
                width=6,
                row_limit=15,
                title="Average handle time by agent (minutes)",
            ),
            ChartSpec(
                "by",
                ("first_contact_resolution_pct",),
                dimension="agent",
                width=6,
                row_limit=15,
                title="First-contact resolution by agent (%)",
            ),
        ),
        (
            ChartSpec(
                "by",
                ("csat_pct",),
                dimension="agent",
                width=6,
                row_limit=15,
                title="CSAT by agent (%, surveys of the agent's tickets)",
            ),
            ChartSpec(
                "by",
                ("first_response_time_median_minutes",),
                dimension="agent",
                width=6,
                row_limit=15,
                title="First response median by agent (minutes)",
            ),
        ),
        (
            ChartSpec("by", ("tickets_solved",), dimension="team", width=4, title="Tickets solved by team (count)"),
            ChartSpec("trend", ("employee_engagement_avg",), title="Employee engagement per month (score, 0 to 10)"),
            ChartSpec("trend", ("employee_nps",), title="Employee NPS per month (score, −100 to 100)"),
        ),
    ),
)

SELF_SERVICE = DashboardSpec(
    key="self_service_and_knowledge_base",
    slug="self-service-and-knowledge-base",
    title="Self-service and knowledge base",
    description="Help-center sessions, what they resolve and deflect, and the knowledge base behind them.",
    rows=(
        _numbers("self_service_sessions", "self_service_resolution_pct", "deflection_rate_pct", "kb_helpfulness_pct"),
        (
            ChartSpec("trend", ("self_service_sessions",), title="Self-service sessions per month (count)"),
            # One chart each: with both targets, four names do not fit a third of the page's legend.
            ChartSpec("trend", ("self_service_resolution_pct",), title="Self-service resolution per month (%)"),
            ChartSpec("trend", ("deflection_rate_pct",), title="Deflection rate per month (%)"),
        ),
        (
            ChartSpec("trend", ("bot_resolution_pct",), width=3, title="Bot containment per month (%)"),
            ChartSpec("trend", ("kb_articles_live",), width=3, title="Live knowledge-base articles (count)"),
            ChartSpec(
                "trend", ("kb_articles_published",), width=3, title="New knowledge-base articles per month (count)"
            ),
            ChartSpec("trend", ("kb_helpfulness_pct",), width=3, title="Article helpfulness per month (%)"),
        ),
    ),
)

BUSINESS_IMPACT = DashboardSpec(
    key="business_impact",
    slug="business-impact",
    title="Business impact",
    description="Customers and money: churn and retention, revenue, lifetime value and what support costs.",
    rows=(
        _numbers("mrr", "mrr_growth_rate_pct", "arpa", "customer_churn_rate_pct"),
        (
            # Churn (~2%) and retention (~97%) on one 0–100 axis would flatten both.
            ChartSpec("trend", ("customer_churn_rate_pct",), width=4, title="Customer churn per month (%)"),
            ChartSpec("trend", ("customer_retention_rate_pct",), width=4, title="Customer retention per month (%)"),
            ChartSpec("trend", ("mrr",), width=4, title=f"Monthly recurring revenue, month by month ({MONEY})"),
        ),
        (
            ChartSpec("trend", ("arpa",), width=6, title=f"Average revenue per account, month by month ({MONEY})"),
            ChartSpec(
                "trend", ("customer_lifetime_value",), width=6, title=f"Customer lifetime value per month ({MONEY})"
            ),
        ),
        (
            ChartSpec("trend", ("support_cost",), title=f"Support cost per month ({MONEY})"),
            ChartSpec("trend", ("cost_per_ticket",), title=f"Cost per ticket solved, per month ({MONEY})"),
            ChartSpec("trend", ("customer_acquisition_cost",), title=f"Customer acquisition cost per month ({MONEY})"),
        ),
        (
            # Half width: a quarter of the page cannot hold the KPI's and its target's names in the legend.
            ChartSpec(
                "trend", ("support_cost_to_revenue_pct",), width=6, title="Support cost to revenue per month (%)"
            ),
            ChartSpec("trend", ("new_customers",), width=6, title="New customers per month (count)"),
        ),
    ),
)

DASHBOARDS: tuple[DashboardSpec, ...] = (
    SUPPORT_OVERVIEW,
    OPERATIONS_AND_SLA,
    CUSTOMER_EXPERIENCE,
    AGENTS_AND_TEAM,
    SELF_SERVICE,
    BUSINESS_IMPACT,
)

# Native filters besides the time range, offered where a chart's dataset has the column.
FILTER_COLUMNS: tuple[str, ...] = ("channel", "priority", "category", "team", "segment")

# Marts published as datasets although no KPI names them as its model.
EXTRA_TABLES: tuple[str, ...] = (
    "kpi_values",
    "kpi_catalog",
    "kpi_scorecard",
    "agent_leaderboard",
    "fct_sla_breaches",
    "fct_open_backlog",
    "dim_agents",
)
