"""The generated bundle in a real Superset 6.1 (SQLite metadata) over the sample DuckDB warehouse.

Proves: the import succeeds; every chart of every dashboard answers a chart-data
query with rows; trends end on the reported period and start 11 months before
it; chart numbers for a KPI, period and filter equal kpi_values;
importing again changes nothing but updates in place; no secret is in the
bundle; and the datasets match the warehouse the dashboards read.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support_kpis.errors import UserError
from support_kpis.kpi_registry import load_registry
from support_kpis.superset.bundle import DatabaseTarget, generate_bundle
from support_kpis.superset.column_kinds import column_kind
from support_kpis.superset.dashboard_specs import DASHBOARDS
from support_kpis.superset.dialects import DUCKDB, POSTGRES
from support_kpis.superset.documents import DUCKDB_CONNECT_ARGS
from support_kpis.superset.manifest import read_marts
from support_kpis.superset.project_bundle import PORTABLE_DUCKDB_URI
from support_kpis.superset.publish import push
from support_kpis.superset.rest_client import SupersetClient
from support_kpis.superset.sources import STORED_TABLE, observation_home
from support_kpis.superset.value_labels import value_label
from tests.superset.server import RunningSuperset
from tests.warehouses import query

pytestmark = pytest.mark.slow

GENERIC_KINDS = {"integer": "numeric", "number": "numeric", "date": "temporal", "timestamp": "temporal"}


@pytest.fixture(scope="module")
def client(superset_server: RunningSuperset) -> SupersetClient:
    return superset_server.client()


def _documents(server: RunningSuperset, folder: str) -> dict[str, dict[str, Any]]:
    return {path: doc for path, doc in server.bundle.documents.items() if path.startswith(f"{folder}/")}


def _chart_ids_by_uuid(client: SupersetClient) -> dict[str, int]:
    return {row["uuid"]: row["id"] for row in client.list_all("chart", ["id", "uuid"])}


def _counts(client: SupersetClient, database_name: str) -> dict[str, int]:
    return {
        "databases": client.count("database", [{"col": "database_name", "opr": "eq", "value": database_name}]),
        "datasets": client.count("dataset"),
        "charts": client.count("chart"),
        "dashboards": client.count("dashboard"),
    }


# ---------------------------------------------------------------- import


def test_the_import_creates_every_asset_once(superset_server: RunningSuperset, client: SupersetClient) -> None:
    database = superset_server.bundle.documents[superset_server.bundle.database_file]
    assert _counts(client, database["database_name"]) == {
        "databases": 1,
        "datasets": len(_documents(superset_server, "datasets")),
        "charts": len(_documents(superset_server, "charts")),
        "dashboards": len(DASHBOARDS),
    }
    assert client.version() == (6, 1)


def test_importing_again_updates_in_place_and_leaves_one_copy(
    superset_server: RunningSuperset,
    client: SupersetClient,
) -> None:
    database_name = superset_server.bundle.documents[superset_server.bundle.database_file]["database_name"]
    before_counts, before_ids = _counts(client, database_name), _chart_ids_by_uuid(client)
    push(superset_server.url, superset_server.username, superset_server.password, superset_server.zip_path)
    assert _counts(client, database_name) == before_counts
    assert _chart_ids_by_uuid(client) == before_ids


# ---------------------------------------------------------------- every chart answers


def _chart_data(client: SupersetClient, chart_id: int) -> dict[str, Any]:
    response = client.get_json(f"/api/v1/chart/{chart_id}/data/")
    (result,) = response["result"]
    return dict(result)


def test_every_chart_on_every_dashboard_answers_with_rows(
    superset_server: RunningSuperset,
    client: SupersetClient,
) -> None:
    expected = {
        doc["slug"]: {
            node["meta"]["uuid"]
            for node in doc["position"].values()
            if isinstance(node, dict) and node["type"] == "CHART"
        }
        for doc in _documents(superset_server, "dashboards").values()
    }
    problems: list[str] = []
    answered = 0
    for spec in DASHBOARDS:
        charts = client.get_json(f"/api/v1/dashboard/{spec.slug}/charts")["result"]
        uuids = {client.get_json(f"/api/v1/chart/{chart['id']}")["result"]["uuid"] for chart in charts}
        if uuids != expected[spec.slug]:
            problems.append(f"{spec.slug}: charts on the dashboard differ from the bundle's")
        for chart in charts:
            result = _chart_data(client, chart["id"])
            if result.get("error") or not result["rowcount"]:
                problems.append(f"{spec.slug} / {chart['slice_name']}: {result.get('error') or 'no rows'}")
            answered += 1
    assert answered == len(_documents(superset_server, "charts"))
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the reported period


def _month_shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _plotted_periods(client: SupersetClient, chart_id: int) -> list[dt.date]:
    result = _chart_data(client, chart_id)
    axis = result["colnames"][0]
    return sorted(dt.datetime.fromtimestamp(row[axis] / 1000, dt.UTC).date() for row in result["data"])


@pytest.mark.parametrize(
    ("chart_key", "grain"),
    [
        ("trend__escalation_rate_pct__month", "month"),  # from fct_tickets
        ("trend__tickets_created__tickets_solved__week", "week"),  # from fct_tickets, two dates
        ("trend__backlog_open_tickets__week", "week"),  # from kpi_values
    ],
)
def test_trends_show_the_last_12_complete_months_of_the_data(
    superset_server: RunningSuperset,
    client: SupersetClient,
    chart_key: str,
    grain: str,
) -> None:
    """With no time range set, a trend runs from 11 months before the last complete month to the last complete
    period of its grain; the running one is left out. Worked out here from the as-of date alone."""
    ((as_of,),) = query(superset_server.warehouse, "select as_of_date from kpi_build")
    running_month = as_of.replace(day=1)
    first = _month_shift(running_month, -12)
    last = _month_shift(running_month, -1) if grain == "month" else as_of - dt.timedelta(days=as_of.weekday() + 7)
    periods = _plotted_periods(client, _chart_on(superset_server, "operations_and_sla", chart_key, client))
    assert periods[-1] == last
    # A week starting in the month before the first one is cut at the month's first day.
    assert first - dt.timedelta(days=6) <= periods[0] <= first + dt.timedelta(days=6 if grain == "week" else 0)
    if grain == "month":
        assert periods == [_month_shift(first, i) for i in range(12)]


# ---------------------------------------------------------------- operational charts


def test_the_backlog_aging_chart_counts_the_open_tickets_of_the_mart(
    superset_server: RunningSuperset, client: SupersetClient
) -> None:
    chart_key = "count__by_age_bucket__fct_open_backlog__split_status_at_as_of"
    result = _chart_data(client, _chart_on(superset_server, "operations_and_sla", chart_key, client))
    # Statuses in words ("On hold" for on_hold), as value_labels writes them.
    charted = {(row["age_bucket"], row["status_at_as_of_label"]): row["Tickets"] for row in result["data"]}
    rows = query(
        superset_server.warehouse,
        "select age_bucket, status_at_as_of, count(*) from fct_open_backlog group by age_bucket, status_at_as_of",
    )
    assert len(rows) > 1
    assert charted == {(bucket, value_label(status)): count for bucket, status, count in rows}


_CHANNELS = "select distinct dimension_value from kpi_values where dimension = 'channel'"


def test_the_volume_by_channel_chart_gives_kpi_values_per_month_and_channel(
    superset_server: RunningSuperset, client: SupersetClient
) -> None:
    chart_key = "trend__tickets_created__split_channel__month"
    result = _chart_data(client, _chart_on(superset_server, "operations_and_sla", chart_key, client))
    axis = result["colnames"][0]
    charted = {
        (dt.datetime.fromtimestamp(row[axis] / 1000, dt.UTC).date(), row["channel_label"]): row["tickets_created"]
        for row in result["data"]
    }
    assert len({channel for _, channel in charted}) > 1 and len({month for month, _ in charted}) == 12
    # The chart names channels in words; kpi_values keeps the codes.
    codes = {value_label(code): code for (code,) in query(superset_server.warehouse, _CHANNELS)}
    for (month, channel), value in charted.items():
        assert value == _kpi_value(superset_server.warehouse, "tickets_created", month, "channel", codes[channel])


def test_a_trend_draws_the_scorecards_target_as_a_flat_line(
    superset_server: RunningSuperset, client: SupersetClient
) -> None:
    result = _chart_data(client, _chart_on(superset_server, "customer_experience", "trend__csat_pct__month", client))
    ((target,),) = query(
        superset_server.warehouse, "select target from kpi_scorecard where kpi_id = 'csat_pct' and grain = 'month'"
    )
    assert target is not None
    assert len(result["data"]) == 12
    assert {row["csat_pct__target"] for row in result["data"]} == {target}


# ---------------------------------------------------------------- cross-filters and drill to detail


def _drill_to_detail(client: SupersetClient, chart_id: int, extra: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    """The rows "Drill to detail" lists for a chart: its saved query with the clicked value's filter, run as
    Superset's drill_detail result type (all the dataset's columns, no aggregation), as the dashboard does."""
    context = json.loads(client.get_json(f"/api/v1/chart/{chart_id}")["result"]["query_context"])
    (saved,) = context["queries"]
    drilled = {**saved, "filters": [*saved["filters"], *extra], "row_limit": limit}
    body = {
        "datasource": context["datasource"],
        "queries": [drilled],
        "result_type": "drill_detail",
        "result_format": "json",
        "force": True,
    }
    (result,) = client.post_json("/api/v1/chart/data", body)["result"]
    return dict(result)


def test_dashboards_are_imported_with_cross_filters_on(
    superset_server: RunningSuperset, client: SupersetClient
) -> None:
    for spec in DASHBOARDS:
        metadata = json.loads(client.get_json(f"/api/v1/dashboard/{spec.slug}")["result"]["json_metadata"])
        assert metadata["cross_filters_enabled"] is True, spec.slug


def test_drill_to_detail_from_a_bucket_bar_lists_exactly_its_tickets(
    superset_server: RunningSuperset, client: SupersetClient
) -> None:
    chart_id = _chart_on(
        superset_server, "operations_and_sla", "count__by_first_response_time_bucket__fct_tickets", client
    )
    bars = {row["first_response_time_bucket"]: row["Tickets"] for row in _chart_data(client, chart_id)["data"]}
    assert len(bars) > 1
    for bucket, count in bars.items():
        clicked = {"col": "first_response_time_bucket", "op": "==", "val": bucket}
        detail = _drill_to_detail(client, chart_id, [clicked], limit=count + 1)
        tickets = [row["ticket_id"] for row in detail["data"]]
        assert len(tickets) == len(set(tickets)) == count, bucket
        assert {row["first_response_time_bucket"] for row in detail["data"]} == {bucket}


# Marts with one row per ticket, or per a ticket's reply or breach: drilling into them lists tickets.
TICKET_ROW_TABLES = {"fct_tickets", "fct_open_backlog", "fct_sla_breaches", "fct_next_replies", "fct_reply_cycles"}


def test_every_chart_drills_to_detail_and_ticket_charts_into_tickets(
    superset_server: RunningSuperset, client: SupersetClient
) -> None:
    tables = {doc["uuid"]: doc["table_name"] for doc in _documents(superset_server, "datasets").values()}
    ids = _chart_ids_by_uuid(client)
    problems: list[str] = []
    into_tickets = 0
    for path, chart in _documents(superset_server, "charts").items():
        detail = _drill_to_detail(client, ids[chart["uuid"]], [], limit=5)
        if detail.get("error") or not detail["data"]:
            problems.append(f"{path}: {detail.get('error') or 'no rows'}")
        elif tables[chart["dataset_uuid"]] in TICKET_ROW_TABLES:
            into_tickets += 1
            if not all(row["ticket_id"] for row in detail["data"]):
                problems.append(f"{path}: a detail row without its ticket")
    assert not problems, "\n".join(problems)
    assert into_tickets >= 25


# ---------------------------------------------------------------- numbers equal kpi_values


def _kpi_value(warehouse: Path, kpi_id: str, month: dt.date, dimension: str = "all", segment: str = "all") -> float:
    rows = query(
        warehouse,
        "select value from kpi_values where kpi_id = ? and grain = 'month' and period_start = ? "
        "and dimension = ? and dimension_value = ?",
        [kpi_id, month, dimension, segment],
    )
    assert len(rows) == 1, (kpi_id, month, dimension, segment)
    return float(rows[0][0])


def _parts(warehouse: Path, kpi_id: str, months: list[dt.date], dimension: str, segment: str) -> tuple[float, float]:
    placeholders = ", ".join("?" for _ in months)
    ((numerator, denominator),) = query(
        warehouse,
        "select sum(numerator), sum(denominator) from kpi_values where kpi_id = ? and grain = 'month' "
        f"and dimension = ? and dimension_value = ? and period_start in ({placeholders})",
        [kpi_id, dimension, segment, *months],
    )
    return float(numerator), float(denominator)


def _full_months(warehouse: Path) -> list[dt.date]:
    """Months with tickets created, without the first and the last (partial) one."""
    rows = query(
        warehouse,
        "select period_start from kpi_values where kpi_id = 'tickets_created' and grain = 'month' "
        "and dimension = 'all' order by period_start",
    )
    return [row[0] for row in rows][1:-1]


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _chart_on(server: RunningSuperset, dashboard_key: str, chart_key: str, client: SupersetClient) -> int:
    document = server.bundle.documents[f"charts/{dashboard_key}/{chart_key}.yaml"]
    return _chart_ids_by_uuid(client)[document["uuid"]]


def _value_for(
    client: SupersetClient,
    chart_id: int,
    start: dt.date,
    end: dt.date,
    equals: dict[str, str] | None = None,
) -> float:
    """The chart's saved query, narrowed to [start, end) and to `equals`, as POST /api/v1/chart/data runs it."""
    saved = json.loads(client.get_json(f"/api/v1/chart/{chart_id}")["result"]["query_context"])
    context = copy.deepcopy(saved)
    (query_object,) = context["queries"]
    for flt in query_object["filters"]:
        if flt["op"] == "TEMPORAL_RANGE":
            flt["val"] = f"{start.isoformat()} : {end.isoformat()}"
    for column, value in (equals or {}).items():
        query_object["filters"].append({"col": column, "op": "IN", "val": [value]})
    for column in query_object["columns"]:
        if isinstance(column, dict) and column.get("columnType") == "BASE_AXIS":
            column["timeGrain"] = "P1M" if _next_month(start) == end else "P3M"
    (result,) = client.post_json("/api/v1/chart/data", context)["result"]
    metric = query_object["metrics"][0]  # the KPI; a trend's target line comes after it
    rows = [row for row in result["data"] if row[metric] is not None]
    assert len(rows) == 1, rows
    return float(rows[0][metric])


CHART_CASES = [
    # (dashboard, chart key, KPI, dimension filter)
    ("support_overview", "number__tickets_created", "tickets_created", "channel"),
    ("support_overview", "number__first_response_time_median_minutes", "first_response_time_median_minutes", None),
    ("support_overview", "number__first_contact_resolution_pct", "first_contact_resolution_pct", "channel"),
    ("support_overview", "number__csat_pct", "csat_pct", "channel"),
    ("support_overview", "number__backlog_open_tickets", "backlog_open_tickets", None),
    ("operations_and_sla", "trend__escalation_rate_pct__month", "escalation_rate_pct", "priority"),
]


@pytest.mark.parametrize(
    ("dashboard", "chart_key", "kpi_id", "dimension"), CHART_CASES, ids=[case[2] for case in CHART_CASES]
)
def test_a_chart_for_one_month_and_one_segment_equals_kpi_values(
    superset_server: RunningSuperset,
    client: SupersetClient,
    dashboard: str,
    chart_key: str,
    kpi_id: str,
    dimension: str | None,
) -> None:
    if kpi_id not in load_registry().ids:
        pytest.fail(f"{kpi_id} is not in the KPI registry any more: update CHART_CASES")
    warehouse = superset_server.warehouse
    month = _full_months(warehouse)[-2]
    segment = "all"
    if dimension:
        ((segment,),) = query(
            warehouse,
            "select dimension_value from kpi_values where kpi_id = ? and grain = 'month' and period_start = ? "
            "and dimension = ? order by sample_size desc, dimension_value limit 1",
            [kpi_id, month, dimension],
        )
    chart_id = _chart_on(superset_server, dashboard, chart_key, client)
    shown = _value_for(client, chart_id, month, _next_month(month), {dimension: segment} if dimension else None)
    assert shown == pytest.approx(_kpi_value(warehouse, kpi_id, month, dimension or "all", segment), rel=1e-9)


def test_a_quarter_sums_counts_and_ratio_parts_never_averages_stored_ratios(
    superset_server: RunningSuperset,
    client: SupersetClient,
) -> None:
    warehouse = superset_server.warehouse
    months = _full_months(warehouse)
    quarter = next(
        [m, _next_month(m), _next_month(_next_month(m))]
        for m in months
        if m.month in (1, 4, 7, 10) and _next_month(_next_month(m)) in months
    )
    end = _next_month(quarter[-1])
    ((channel,),) = query(
        warehouse,
        "select dimension_value from kpi_values where kpi_id = 'first_contact_resolution_pct' and grain = 'month' "
        "and dimension = 'channel' and period_start = ? order by sample_size desc limit 1",
        [quarter[0]],
    )
    created = _value_for(
        client,
        _chart_on(superset_server, "support_overview", "number__tickets_created", client),
        quarter[0],
        end,
        {"channel": channel},
    )
    # A count over a quarter: the sum of its three months.
    assert created == sum(_kpi_value(warehouse, "tickets_created", m, "channel", channel) for m in quarter)
    fcr = _value_for(
        client,
        _chart_on(superset_server, "support_overview", "number__first_contact_resolution_pct", client),
        quarter[0],
        end,
        {"channel": channel},
    )
    numerator, denominator = _parts(warehouse, "first_contact_resolution_pct", quarter, "channel", channel)
    # A ratio over a quarter: 100 × Σ numerators ÷ Σ denominators of its months.
    assert fcr == pytest.approx(100.0 * numerator / denominator, rel=1e-9)


def _reported_months(warehouse: Path) -> list[dt.date]:
    ((reported,),) = query(warehouse, "select max(period_start) from kpi_scorecard where grain = 'month'")
    return [_month_shift(reported, -i) for i in range(11, -1, -1)]


def test_charts_by_agent_show_names_and_the_agents_kpi_values(
    superset_server: RunningSuperset, client: SupersetClient
) -> None:
    warehouse = superset_server.warehouse
    names = dict(query(warehouse, "select agent_id, agent_name from dim_agents"))
    months = _reported_months(warehouse)
    result = _chart_data(client, _chart_on(superset_server, "agents_and_team", "by__csat_pct__by_agent", client))
    charted = {row["agent_name"]: row["csat_pct"] for row in result["data"]}
    rated = {
        agent_id
        for (agent_id,) in query(
            warehouse,
            "select distinct dimension_value from kpi_values where kpi_id = 'csat_pct' and grain = 'month' "
            f"and dimension = 'agent' and dimension_value <> 'unknown' and period_start in ({', '.join('?' * 12)})",
            months,
        )
    }
    assert len(rated) > 3
    # Every agent by name (the sample's agents all have one), none by id.
    assert set(charted) == {names[agent_id] for agent_id in rated}
    for agent_id in rated:
        # CSAT over the 12 months: 100 × Σ satisfied ÷ Σ responses of the agent's months in kpi_values.
        numerator, denominator = _parts(warehouse, "csat_pct", months, "agent", agent_id)
        assert charted[names[agent_id]] == pytest.approx(100.0 * numerator / denominator, rel=1e-9), agent_id


def _sample_sizes(warehouse: Path, kpi_id: str, dimension: str, months: list[dt.date]) -> dict[str, int]:
    rows = query(
        warehouse,
        "select dimension_value, sum(sample_size) from kpi_values where kpi_id = ? and grain = 'month' "
        f"and dimension = ? and period_start in ({', '.join('?' * len(months))}) group by dimension_value",
        [kpi_id, dimension, *months],
    )
    return {value: int(total) for value, total in rows}


@pytest.mark.parametrize(
    ("dashboard", "chart_key", "kpi_id", "dimension"),
    [
        # A ratio (responses), and a median (tickets with a first response), by a coded column and by agent.
        ("customer_experience", "by__csat_pct__by_channel", "csat_pct", "channel"),
        (
            "agents_and_team",
            "by__first_response_time_median_minutes__by_agent",
            "first_response_time_median_minutes",
            "agent",
        ),
    ],
)
def test_a_rate_by_segment_shows_the_sample_size_kpi_values_counts(
    superset_server: RunningSuperset,
    client: SupersetClient,
    dashboard: str,
    chart_key: str,
    kpi_id: str,
    dimension: str,
) -> None:
    warehouse = superset_server.warehouse
    months = _reported_months(warehouse)
    result = _chart_data(client, _chart_on(superset_server, dashboard, chart_key, client))
    shown = result["colnames"][0]
    # The chart shows words and names; kpi_values keeps codes and agent ids.
    if dimension == "agent":
        codes = {name: agent_id for agent_id, name in query(warehouse, "select agent_id, agent_name from dim_agents")}
    else:
        codes = {value_label(code): code for code in _sample_sizes(warehouse, kpi_id, dimension, months)}
    charted = {codes[row[shown]]: row["Sample size"] for row in result["data"]}
    expected = _sample_sizes(warehouse, kpi_id, dimension, months)
    expected.pop("unknown", None)  # charts by agent leave out tickets without one
    assert len(charted) > 3 and all(size > 0 for size in charted.values())
    # Over 12 months, the observations of each month of kpi_values added up.
    assert charted == expected


def test_the_leaderboard_table_lists_the_reported_month_by_name(
    superset_server: RunningSuperset, client: SupersetClient
) -> None:
    warehouse = superset_server.warehouse
    result = _chart_data(client, _chart_on(superset_server, "agents_and_team", "table__agent_leaderboard", client))
    ((reported,),) = query(warehouse, "select max(period_start) from kpi_scorecard where grain = 'month'")
    expected = query(
        warehouse,
        "select leaderboard_rank, agent_name from agent_leaderboard where is_ranked and leaderboard_month = ? "
        "order by leaderboard_rank, agent_name",
        [reported],
    )
    assert expected
    assert sorted((row["leaderboard_rank"], row["agent_name"]) for row in result["data"]) == sorted(expected)


def test_every_kpi_metric_gives_kpi_values_for_every_month(superset_server: RunningSuperset) -> None:
    """The dataset metrics themselves (run in DuckDB as Superset runs them) against the dbt values."""
    warehouse = superset_server.warehouse
    registry = load_registry()
    datasets = {doc["table_name"]: doc for doc in _documents(superset_server, "datasets").values()}
    columns = {name: frozenset(c["column_name"] for c in doc["columns"]) for name, doc in datasets.items()}
    checked = 0
    problems: list[str] = []
    for kpi in registry.kpis:
        home = observation_home(kpi, columns)
        metrics = {m["metric_name"]: m["expression"] for m in datasets[STORED_TABLE]["metrics"]}
        sources = [(STORED_TABLE, "period_start", metrics[kpi.id], "grain = 'month' and dimension = 'all'")]
        if home:
            table, date_column = home
            expression = {m["metric_name"]: m["expression"] for m in datasets[table]["metrics"]}[kpi.id]
            sources.append((table, date_column, expression, f"{date_column} is not null"))
        if "month" not in kpi.grains:
            continue
        expected = dict(
            query(
                warehouse,
                "select period_start, value from kpi_values where kpi_id = ? and grain = 'month' and dimension = 'all'",
                [kpi.id],
            )
        )
        for table, date_column, expression, where in sources:
            actual = dict(
                query(
                    warehouse,
                    f"select cast(date_trunc('month', {date_column}) as date) as month, {expression} "
                    f"from {table} where {where} group by 1",
                )
            )
            # kpi_values has no row where nothing was observed (a count is then 0, anything else undefined).
            actual = {m: v for m, v in actual.items() if m in expected or v not in (None, 0)}
            if set(actual) != set(expected) or any(
                actual[m] != pytest.approx(expected[m], rel=1e-9, abs=1e-9) for m in expected
            ):
                shown, wanted = sorted(actual.items())[:3], sorted(expected.items())[:3]
                problems.append(f"{kpi.id} from {table}: {shown} vs kpi_values {wanted}")
            checked += 1
    assert checked > len(registry.kpis)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- errors a user can make


def test_a_wrong_password_is_one_clear_error(superset_server: RunningSuperset) -> None:
    with pytest.raises(UserError, match="refused the login: wrong username or password"):
        SupersetClient(superset_server.url).login(superset_server.username, "not-the-password")


def test_a_database_needing_a_password_is_one_clear_error_and_imports_nothing(
    superset_server: RunningSuperset,
    client: SupersetClient,
    tmp_path: Path,
    session_dir: Path,
) -> None:
    marts = read_marts(session_dir / "sample-target" / "manifest.json")
    target = DatabaseTarget("postgresql://kpi_reader:hunter2@db.invalid/warehouse", POSTGRES, name="Remote warehouse")
    zip_path = generate_bundle(marts, load_registry(), target).zip_bytes_to(tmp_path / "remote.zip")
    before = _counts(client, "Remote warehouse")
    with pytest.raises(UserError, match=r"'Remote warehouse' is new on .* needs a password: pass --database-password"):
        push(superset_server.url, superset_server.username, superset_server.password, zip_path)
    assert _counts(client, "Remote warehouse") == before == {**before, "databases": 0}


# ---------------------------------------------------------------- secrets


def _zip_texts(zip_path: Path) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(zip_path) as archive:
        for name in archive.namelist():
            yield name, archive.read(name).decode("utf-8")


def test_the_imported_bundle_holds_no_secret(superset_server: RunningSuperset) -> None:
    secrets_ = [superset_server.secret_key, superset_server.password]
    raw = superset_server.zip_path.read_bytes()
    assert all(secret.encode() not in raw for secret in secrets_)
    for name, text in _zip_texts(superset_server.zip_path):
        assert not any(secret in text for secret in secrets_), name
    database = superset_server.bundle.documents[superset_server.bundle.database_file]
    assert database["sqlalchemy_uri"] == f"duckdb:///{superset_server.warehouse.resolve()}"
    assert database["extra"]["engine_params"]["connect_args"] == DUCKDB_CONNECT_ARGS


# ---------------------------------------------------------------- datasets = warehouse


def test_chart_time_columns_are_dates_even_in_a_bundle_made_without_the_warehouse(
    superset_server: RunningSuperset,
    session_dir: Path,
) -> None:
    """The committed bundle knows no warehouse: the columns its charts filter by time must still be temporal."""
    marts = read_marts(session_dir / "sample-target" / "manifest.json")
    bundle = generate_bundle(marts, load_registry(), DatabaseTarget(PORTABLE_DUCKDB_URI, DUCKDB))
    datasets = {doc["uuid"]: doc for path, doc in bundle.documents.items() if path.startswith("datasets/")}
    for path, chart in bundle.documents.items():
        if not path.startswith("charts/"):
            continue
        dataset = datasets[chart["dataset_uuid"]]
        columns = {column["column_name"]: column for column in dataset["columns"]}
        timed = [adhoc for adhoc in chart["params"]["adhoc_filters"] if adhoc.get("operator") == "TEMPORAL_RANGE"]
        # Only the scorecard and the leaderboard (the reported period) and the open backlog (the state at the as-of
        # time) have no time column.
        assert timed or dataset["table_name"] in ("kpi_scorecard", "agent_leaderboard", "fct_open_backlog"), path
        for adhoc in timed:
            ((data_type,),) = query(
                superset_server.warehouse,
                "select data_type from information_schema.columns where table_schema = ? and table_name = ? "
                "and column_name = ?",
                [dataset["schema"], dataset["table_name"], adhoc["subject"]],
            )
            assert data_type in ("DATE", "TIMESTAMP"), (path, adhoc["subject"], data_type)
            assert columns[adhoc["subject"]]["is_dttm"], (path, adhoc["subject"])


def test_datasets_have_every_warehouse_column_with_its_kind_and_description(
    superset_server: RunningSuperset,
) -> None:
    problems: list[str] = []
    for path, dataset in _documents(superset_server, "datasets").items():
        actual = dict(
            query(
                superset_server.warehouse,
                "select column_name, data_type from information_schema.columns"
                " where table_schema = ? and table_name = ?",
                [dataset["schema"], dataset["table_name"]],
            )
        )
        declared = {c["column_name"]: c for c in dataset["columns"] if not c["expression"]}
        if set(declared) != set(actual):
            problems.append(f"{path}: columns {sorted(set(declared) ^ set(actual))} differ from the warehouse")
        for name, column in declared.items():
            if name not in actual:
                continue
            kind = column_kind(name, actual[name])
            generic = GENERIC_KINDS.get(kind, kind)
            declared_kind = GENERIC_KINDS.get(column_kind(name, column["type"]), column_kind(name, column["type"]))
            if generic != declared_kind:
                problems.append(f"{path}: {name} is {actual[name]} in the warehouse but {column['type']} here")
            if not column["description"]:
                problems.append(f"{path}: {name} has no description")
    assert not problems, "\n".join(problems)
