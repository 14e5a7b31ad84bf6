"""A dashboard's layout (position) and its native filters.

Charts are laid out row by row as the spec lists them (Superset's grid is 12
wide). Native filters: the time range for every chart, and channel, priority,
category, team and segment, each scoped to the charts whose dataset has that
column (the others are excluded from its scope, and say so in their
description). A filter that would apply to fewer than half of a dashboard's
charts is not offered there: it would read as filtering the page while
changing one chart. Cross-filters are on: a click on a bar, slice or cell
filters the other charts that have its column.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from support_kpis.superset.charts import NO_TIME_FILTER, ChartDoc, adhoc_filter
from support_kpis.superset.dashboard_specs import FILTER_COLUMNS
from support_kpis.superset.value_labels import label_column

TICKETS_TABLE = "fct_tickets"

GRID_WIDTH = 12
NOTE_HEIGHT = 20
# What a chart's rows are, for the sentence saying why a filter does not apply to it.
ROW_NOUNS: dict[str, str] = {
    "kpi_values": "stored KPI values (kept for all tickets, one dimension at a time)",
    "kpi_scorecard": "scorecard rows (one value per KPI, for all tickets)",
    "fct_self_service_sessions": "self-service sessions (not tickets)",
    "fct_kb_articles": "knowledge-base articles",
    "fct_customer_months": "customer months",
    "dim_customers": "customers",
    "fct_agent_days": "agent days",
    "fct_engagement_responses": "employee engagement responses",
    "fct_reviews": "public reviews",
    "agent_leaderboard": "leaderboard rows (one per agent and month)",
}


@dataclass(frozen=True)
class PlacedChart:
    """A chart of the dashboard: its document, uuid and its id inside this bundle's layout."""

    chart: ChartDoc
    uuid: str
    dataset_uuid: str
    layout_id: int


def _chart_node(placed: PlacedChart, parents: list[str]) -> dict[str, Any]:
    node_id = f"CHART-{placed.layout_id}"
    return {
        "type": "CHART",
        "id": node_id,
        "children": [],
        "parents": parents,
        "meta": {
            # chartId is a placeholder: Superset's importer maps it to the new id through the uuid.
            "chartId": placed.layout_id,
            "uuid": placed.uuid,
            "sliceName": placed.chart.title,
            "width": placed.chart.width,
            "height": placed.chart.height,
        },
    }


def _markdown_node(node_id: str, text: str, parents: list[str]) -> dict[str, Any]:
    return {
        "type": "MARKDOWN",
        "id": node_id,
        "children": [],
        "parents": parents,
        "meta": {"width": GRID_WIDTH, "height": NOTE_HEIGHT, "code": text},
    }


def _row(position: dict[str, Any], row_id: str, children: list[str]) -> None:
    position[row_id] = {
        "type": "ROW",
        "id": row_id,
        "children": children,
        "parents": ["ROOT_ID", "GRID_ID"],
        "meta": {"background": "BACKGROUND_TRANSPARENT"},
    }


def layout(title: str, rows: list[list[PlacedChart]], note: str | None) -> dict[str, Any]:
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": title}},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
    }
    grid_children: list[str] = position["GRID_ID"]["children"]
    for index, row in enumerate(rows, start=1):
        row_id = f"ROW-{index}"
        parents = ["ROOT_ID", "GRID_ID", row_id]
        nodes = [_chart_node(placed, parents) for placed in row]
        for node in nodes:
            position[node["id"]] = node
        _row(position, row_id, [node["id"] for node in nodes])
        grid_children.append(row_id)
    if note:
        row_id = "ROW-note"
        markdown = _markdown_node("MARKDOWN-note", note, ["ROOT_ID", "GRID_ID", row_id])
        position[markdown["id"]] = markdown
        _row(position, row_id, [markdown["id"]])
        grid_children.append(row_id)
    return position


# The 12 months are the data's, not the clock's: each chart keeps the rows of its `*_in_report_*` column.
TIME_RANGE_DESCRIPTION = (
    "Charts show the last 12 complete months of the data, ending on the month the scorecard reports; "
    "a time range narrows them within those months."
)


def _filter(
    filter_id: str, name: str, filter_type: str, targets: list[dict[str, Any]], excluded: list[int], **controls: Any
) -> dict[str, Any]:
    return {
        "id": filter_id,
        "name": name,
        "filterType": filter_type,
        "type": "NATIVE_FILTER",
        "description": "",
        "targets": targets,
        "controlValues": controls,
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "cascadeParentIds": [],
        # Excluded ids are the layout's placeholders; the importer maps them to the new chart ids.
        "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
    }


def offered_filter_columns(charts: list[PlacedChart]) -> list[str]:
    """The select filters a dashboard offers: those that apply to at least half of its charts."""
    return [
        column
        for column in FILTER_COLUMNS
        if charts and 2 * sum(column in placed.chart.columns for placed in charts) >= len(charts)
    ]


def _listed(words: list[str], conjunction: str = "and") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def with_unapplied_filters_said(placed: PlacedChart, offered: list[str]) -> PlacedChart:
    """The chart, its description saying which of the dashboard's filters do not apply to it, and why."""
    missing = [column for column in offered if column not in placed.chart.columns]
    if not missing:
        return placed
    plural = len(missing) > 1
    rows = ROW_NOUNS.get(placed.chart.table, f"the rows of {placed.chart.table}")
    sentence = (
        f"The {_listed([column.capitalize() for column in missing])} filter{'s' if plural else ''} "
        f"{'do' if plural else 'does'} not apply to this chart: its {rows} have no {_listed(missing, 'or')}."
    )
    description = f"{placed.chart.description} {sentence}".strip()
    return replace(placed, chart=replace(placed.chart, description=description))


def native_filters(charts: list[PlacedChart]) -> list[dict[str, Any]]:
    if not charts:
        return []
    untimed = [placed.layout_id for placed in charts if not placed.chart.time_filtered]
    time_range = _filter(
        "NATIVE_FILTER-time_range", "Time range", "filter_time", [{}], untimed, enableEmptyFilter=False
    )
    time_range["description"] = TIME_RANGE_DESCRIPTION
    filters = [time_range]
    for column in offered_filter_columns(charts):
        having = [placed for placed in charts if column in placed.chart.columns]
        # Tickets hold every value a ticket dimension takes; other marts may hold fewer.
        home = next((placed for placed in having if placed.chart.table == TICKETS_TABLE), having[0])
        excluded = [placed.layout_id for placed in charts if column not in placed.chart.columns]
        # The options are the values in words, as the charts show them (value_labels); every dataset with the
        # column has its label column, so the filter reaches the same charts.
        shown = label_column(column)
        target = {"column": {"name": shown}, "datasetUuid": home.dataset_uuid}
        select = _filter(
            f"NATIVE_FILTER-{column}",
            column.capitalize(),
            "filter_select",
            [target],
            excluded,
            enableEmptyFilter=False,
            defaultToFirstItem=False,
            multiSelect=True,
            searchAllOptions=False,
            inverseSelection=False,
        )
        # A survey not linked to a ticket has no channel: offering "<NULL>" would select nothing a user means.
        select["adhoc_filters"] = [adhoc_filter(shown, "IS NOT NULL", None)]
        select["time_range"] = NO_TIME_FILTER
        select["description"] = (
            f"Applies to the charts whose rows have a {column}; the others say so in their description."
        )
        filters.append(select)
    return filters


def metadata(charts: list[PlacedChart]) -> dict[str, Any]:
    return {
        "native_filter_configuration": native_filters(charts),
        "timed_refresh_immune_slices": [],
        "expanded_slices": {},
        "refresh_frequency": 0,
        "default_filters": "{}",
        "color_scheme": "supersetColors",
        "label_colors": {},
        # A click on a chart's bar, slice or cell filters every chart with that column (Superset rejects it, and
        # says so on the chart, where the column is missing).
        "cross_filters_enabled": True,
        "global_chart_configuration": {"scope": {"rootPath": ["ROOT_ID"], "excluded": []}},
    }
