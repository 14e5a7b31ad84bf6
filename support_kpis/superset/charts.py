"""Chart documents: Superset's form data (`params`) and the saved query context.

`params` is what the dashboard's front end renders; the saved `query_context`
is what GET /api/v1/chart/<id>/data/ (reports, alerts, the API) runs. Both are
built from the same chart spec and source, so they ask for the same numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from support_kpis.kpi_registry import Kpi
from support_kpis.superset.calculated_columns import (
    AGENT_COLUMN,
    AGENT_NAME_COLUMN,
    HOUR_COLUMN,
    REPORTED_MONTH_SUFFIX,
    SCORECARD_TABLE,
    WEEKDAY_COLUMN,
)
from support_kpis.superset.dashboard_specs import ChartSpec
from support_kpis.superset.manifest import MartModel
from support_kpis.superset.metrics import (
    D3_FORMATS,
    TARGET_SUFFIX,
    rests_on_a_sample,
    sample_label,
    sample_metric_name,
    sample_size_sql,
    target_metric_name,
    titled,
    unit_label,
)
from support_kpis.superset.money import AXIS_FORMAT, currency_format
from support_kpis.superset.sources import FixedFilter, Source
from support_kpis.superset.value_labels import shown_column

NO_TIME_FILTER = "No filter"
UNKNOWN_SEGMENT = "unknown"
HEIGHTS: dict[str, int] = {"number": 50, "table": 70, "leaderboard": 64}
DEFAULT_HEIGHT = 60
ROW_LIMIT = 10_000
# Charts this wide or narrower (of the grid's 12 columns) tilt their date labels.
NARROW_WIDTH = 6
QUARTER_WIDTH = 3
GRAIN_WORDS: dict[str, str] = {"day": "day", "week": "week", "month": "month"}
AXIS_DATE_FORMATS: dict[str, str] = {"day": "%d %b", "week": "%d %b", "month": "%b %Y"}
# A plain legend wraps onto a second line where a scrolling one cut names and paged them ("1/3"); the margin keeps
# two lines clear of the plot.
LEGEND: dict[str, Any] = {"legendType": "plain", "legendOrientation": "top", "legendMargin": 56}


@dataclass(frozen=True)
class ChartDoc:
    key: str
    title: str
    viz_type: str
    table: str
    params: dict[str, Any]
    query: dict[str, Any]
    description: str
    width: int
    height: int
    columns: frozenset[str] = field(default_factory=frozenset)
    # False for a chart with no date to filter (e.g. the scorecard's one period): out of the time filter's scope.
    time_filtered: bool = True

    def query_context(self) -> str:
        # datasource id 0: Superset's importer replaces it with the dataset's id.
        context = {
            "datasource": {"id": 0, "type": "table"},
            "force": False,
            "queries": [self.query],
            "form_data": self.params,
            "result_format": "json",
            "result_type": "full",
        }
        return json.dumps(context, sort_keys=True, indent=2)


# ------------------------------------------------------------------ filters


_OPERATOR_WORDS = {"==": "eq", "!=": "not_eq", "IN": "in", "IS NOT NULL": "not_null", "TEMPORAL_RANGE": "time_range"}


def adhoc_filter(column: str, operator: str, comparator: Any) -> dict[str, Any]:
    return {
        "clause": "WHERE",
        "comparator": comparator,
        "expressionType": "SIMPLE",
        "filterOptionName": f"filter_{column}_{_OPERATOR_WORDS[operator]}",
        "isExtra": False,
        "isNew": False,
        "operator": operator,
        "subject": column,
    }


def _fixed(source: Source, extra: tuple[FixedFilter, ...] = ()) -> tuple[FixedFilter, ...]:
    return (*source.filters, *extra)


def _filters(source: Source, extra: tuple[FixedFilter, ...] = ()) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(adhoc filters for params, filters for the query): the time range first, then the fixed ones."""
    adhoc = [adhoc_filter(source.time_column, "TEMPORAL_RANGE", NO_TIME_FILTER)]
    query = [{"col": source.time_column, "op": "TEMPORAL_RANGE", "val": NO_TIME_FILTER}]
    for fixed in _fixed(source, extra):
        if fixed.operator == "IS NOT NULL":
            adhoc.append(adhoc_filter(fixed.column, fixed.operator, None))
            query.append({"col": fixed.column, "op": fixed.operator})
            continue
        value = list(fixed.value) if isinstance(fixed.value, tuple) else fixed.value
        adhoc.append(adhoc_filter(fixed.column, fixed.operator, value))
        query.append({"col": fixed.column, "op": fixed.operator, "val": value})
    if source.where:
        adhoc.append(
            {
                "clause": "WHERE",
                "expressionType": "SQL",
                "filterOptionName": "filter_kpi_observations",
                "isExtra": False,
                "isNew": False,
                "sqlExpression": source.where,
            }
        )
    return adhoc, query


def _known_segments_only(dimension: str | None) -> tuple[FixedFilter, ...]:
    # An unassigned ticket is not an agent: keep 'unknown' out of agent rankings.
    return (FixedFilter(dimension, "!=", UNKNOWN_SEGMENT),) if dimension in (AGENT_COLUMN, AGENT_NAME_COLUMN) else ()


# ------------------------------------------------------------------ pieces


def _axis(column: str, time_grain: str) -> dict[str, Any]:
    return {
        "columnType": "BASE_AXIS",
        "expressionType": "SQL",
        "label": column,
        "sqlExpression": column,
        "timeGrain": time_grain,
    }


def _query(
    where: str | None,
    columns: list[Any],
    metrics: list[Any],
    filters: list[dict[str, Any]],
    *,
    orderby: list[list[Any]] | None = None,
    row_limit: int = ROW_LIMIT,
) -> dict[str, Any]:
    return {
        "annotation_layers": [],
        "applied_time_extras": {},
        "columns": columns,
        "custom_form_data": {},
        "custom_params": {},
        "extras": {"having": "", "where": f"({where})" if where else ""},
        "filters": filters,
        "metrics": metrics,
        "order_desc": True,
        "orderby": orderby or [],
        "row_limit": row_limit,
        "series_limit": 0,
        "url_params": {},
    }


def _format(kpis: tuple[Kpi, ...]) -> str:
    return D3_FORMATS.get(kpis[0].unit, ",.2f")


def _money(kpis: tuple[Kpi, ...], *, axis: bool) -> dict[str, Any]:
    """Money charts: the currency's symbol on every value; on an axis, short numbers ("$477k") too."""
    if not all(kpi.unit == "currency" for kpi in kpis):
        return {}
    return {"currency_format": currency_format(), **({"y_axis_format": AXIS_FORMAT} if axis else {})}


def _title(spec: ChartSpec, source: Source) -> str:
    if spec.title:
        return spec.title
    kpi = source.kpis[0]
    if spec.kind == "number":
        return titled(kpi)
    if spec.kind == "by":
        return f"{kpi.name} by {spec.dimension} ({unit_label(kpi)})"
    return f"{kpi.name} per {GRAIN_WORDS[source.grain]} ({unit_label(kpi)})"


def _description(spec: ChartSpec, source: Source) -> str:
    lines = [f"{kpi.name}: {kpi.formula} (lands in the period of {kpi.attributed_by})." for kpi in source.kpis]
    if spec.kind == "number":
        kpi = source.kpis[0]
        lines.append(
            f"The number is the reported {source.grain} (named above it): the latest complete one, the same the "
            "scorecard reports; the line is its trend."
            + (
                " Its change against the period before is in the scorecard, in points."
                if kpi.unit in POINT_UNITS
                else ""
            )
        )
    elif spec.kind == "trend":
        lines.append(f"A {source.grain} still running is left out: the last point is the reported {source.grain}.")
    elif _with_samples(spec, source):
        lines.append(
            "Beside each value, its sample size: how many observations it rests on (as kpi_values.sample_size "
            "counts them). A value on a few can swing by chance."
        )
    if source.stored:
        lines.append(
            f"Read from kpi_values at grain '{source.grain}'"
            + (f" by {spec.dimension}." if spec.kind == "by" else ", all tickets.")
        )
    return " ".join(lines)


def _common(viz_type: str, adhoc: list[dict[str, Any]], kpis: tuple[Kpi, ...]) -> dict[str, Any]:
    return {
        "viz_type": viz_type,
        "adhoc_filters": adhoc,
        "annotation_layers": [],
        "extra_form_data": {},
        "dashboards": [],
        "y_axis_format": _format(kpis),
    }


# ------------------------------------------------------------------ kinds


# Big numbers compare relatively (Superset has no change in points): pct and score tiles show none, and the
# scorecard below them gives their change in points.
POINT_UNITS = frozenset({"pct", "score"})
PERIOD_FORMATS: dict[str, str] = {"day": "%Y-%m-%d", "week": "week of %Y-%m-%d", "month": "%B %Y"}


def _number(spec: ChartSpec, source: Source) -> tuple[str, dict[str, Any], dict[str, Any]]:
    metric = source.kpis[0].id
    relative = source.kpis[0].unit not in POINT_UNITS
    adhoc, filters = _filters(source)
    params = {
        **_common("big_number", adhoc, source.kpis),
        **_money(source.kpis, axis=False),
        "metric": metric,
        "x_axis": source.time_column,
        "time_grain_sqla": source.time_grain,
        "compare_lag": 1 if relative else 0,
        "compare_suffix": f"vs previous {GRAIN_WORDS[source.grain]}" if relative else "",
        "show_trend_line": True,
        "show_timestamp": True,
        "start_y_axis_at_zero": True,
        "time_format": PERIOD_FORMATS[source.grain],
        "header_font_size": 0.4,
        "subheader_font_size": 0.15,
        "rolling_type": "None",
    }
    return "big_number", params, _query(source.where, [_axis(source.time_column, source.time_grain)], [metric], filters)


def _trend(
    spec: ChartSpec, source: Source, target_lines: frozenset[str] = frozenset()
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    metrics = [kpi.id for kpi in source.kpis]
    # Targets are flat lines beside the KPI, over time only: a split by segment would repeat them per segment.
    if spec.kind == "trend" and not spec.series:
        metrics += [target_metric_name(kpi) for kpi in source.kpis if kpi.id in target_lines]
    by_segment = source.stored and spec.kind == "by"
    # A line per value of `series` needs the observation rows; kpi_values holds one dimension at a time.
    groupby = ["dimension_value"] if by_segment else [spec.series] if spec.series and not source.stored else []
    adhoc, filters = _filters(source)
    viz_type = "echarts_timeseries_bar" if spec.bars else "echarts_timeseries_line"
    params = {
        **_common(viz_type, adhoc, source.kpis),
        **_money(source.kpis, axis=True),
        "metrics": metrics,
        "groupby": groupby,
        "x_axis": source.time_column,
        "time_grain_sqla": source.time_grain,
        "x_axis_sort_asc": True,
        "row_limit": ROW_LIMIT,
        "truncate_metric": True,
        # One line needs no legend: the title names it.
        "show_legend": len(metrics) > 1 or bool(groupby),
        **LEGEND,
        "rich_tooltip": True,
        "tooltipTimeFormat": "smart_date",
        # Superset's smart_date writes a month's name and a week's date side by side ("SeptemberMon 26").
        "x_axis_time_format": AXIS_DATE_FORMATS.get(source.grain, "smart_date"),
        # Level, "Nov 2025" labels run into each other up to half the page's width; at a quarter, only upright
        # ones clear each other and the chart's left edge.
        "xAxisLabelRotation": 90 if spec.width <= QUARTER_WIDTH else 45 if spec.width <= NARROW_WIDTH else 0,
        # A line's axis fits its values (retention near 97% is no flat line at the top of 0-100); bars start at 0.
        "truncateYAxis": not spec.bars,
        "y_axis_bounds": [None, None],
        "markerEnabled": True,
        "markerSize": 6,
        "order_desc": True,
        "comparison_type": "values",
        "only_total": True,
        "zoomable": False,
    }
    columns: list[Any] = [_axis(source.time_column, source.time_grain), *groupby]
    return viz_type, params, _query(source.where, columns, metrics, filters)


def _by(spec: ChartSpec, source: Source) -> tuple[str, dict[str, Any], dict[str, Any]]:
    if source.stored:
        return _trend(spec, source)
    if _with_samples(spec, source):
        return _by_with_samples(spec, source)
    assert spec.dimension is not None
    metrics = [kpi.id for kpi in source.kpis]
    adhoc, filters = _filters(source, _known_segments_only(spec.dimension))
    row_limit = spec.row_limit or 100
    params = {
        **_common("echarts_timeseries_bar", adhoc, source.kpis),
        **_money(source.kpis, axis=True),
        "metrics": metrics,
        "groupby": [],
        "x_axis": spec.dimension,
        "x_axis_sort": metrics[0],
        # Horizontal bars are drawn bottom-up: ascending puts the largest on top.
        "x_axis_sort_asc": True,
        "orientation": "horizontal",
        "row_limit": row_limit,
        "truncate_metric": True,
        "show_legend": len(metrics) > 1,
        **LEGEND,
        "show_value": True,
        "rich_tooltip": True,
        "order_desc": True,
        "comparison_type": "values",
        "only_total": True,
    }
    query = _query(source.where, [spec.dimension], metrics, filters, orderby=[[metrics[0], False]], row_limit=row_limit)
    return "echarts_timeseries_bar", params, query


def _with_samples(spec: ChartSpec, source: Source) -> bool:
    """A chart by segment of a KPI that rests on a sample, from its observation rows (where its size is known)."""
    return spec.kind == "by" and not source.stored and any(rests_on_a_sample(kpi) for kpi in source.kpis)


def _by_with_samples(spec: ChartSpec, source: Source) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A rate or a median by segment, beside the sample each value rests on: a table, best first, its KPI columns
    drawn as bars. "CSAT 40% on 5 responses" must not read like "40% on 500"; bars alone cannot say so."""
    assert spec.dimension is not None
    values = [kpi.id for kpi in source.kpis]
    sampled = [kpi for kpi in source.kpis if rests_on_a_sample(kpi)]
    # The dataset's saved sample metrics carry the KPI's name; beside one KPI, "Sample size" says it all.
    samples = [
        {
            "expressionType": "SQL",
            "sqlExpression": sample_size_sql(kpi),
            "label": sample_label(kpi, several=len(sampled) > 1),
            "hasCustomLabel": True,
            "optionName": f"metric_{sample_metric_name(kpi)}",
        }
        for kpi in sampled
    ]
    labels = [str(sample["label"]) for sample in samples]
    params, query = _ranked_table(spec, source, [*values, *samples], spec.row_limit or 100)
    params |= {
        "server_page_length": 0,
        "show_cell_bars": True,
        # Bars compare the KPI across rows; on the sample sizes they would outshout it.
        "column_config": {
            **{name: {"d3NumberFormat": _format(source.kpis)} for name in values},
            **{label: {"showCellBars": False, "d3NumberFormat": ",d"} for label in labels},
        },
        "color_pn": False,
        "include_search": False,
    }
    return "table", params, query


def _heatmap(spec: ChartSpec, source: Source) -> tuple[str, dict[str, Any], dict[str, Any]]:
    metric = source.kpis[0].id
    adhoc, filters = _filters(source)
    params = {
        **_common("heatmap_v2", adhoc, source.kpis),
        "metric": metric,
        "x_axis": WEEKDAY_COLUMN,
        "groupby": HOUR_COLUMN,
        "sort_x_axis": "alpha_asc",
        # Categories are drawn bottom-up: descending puts hour 00 on top.
        "sort_y_axis": "alpha_desc",
        "normalize_across": "heatmap",
        "show_legend": True,
        "show_percentage": False,
        "show_values": False,
        "row_limit": ROW_LIMIT,
        "value_bounds": [None, None],
        "xscale_interval": -1,
        "yscale_interval": -1,
        # The weekday is a day of one reference week (calculated_columns): its name is all a reader needs.
        "x_axis_time_format": "%a",
        # "auto" centres the grid and clips the hour labels at the chart's left edge.
        "left_margin": 30,
        "bottom_margin": 30,
    }
    return "heatmap_v2", params, _query(source.where, [WEEKDAY_COLUMN, HOUR_COLUMN], [metric], filters)


def _ranked_table(
    spec: ChartSpec, source: Source, metrics: list[Any], row_limit: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The params and query of a table of `metrics` per value of the spec's dimension, best first on the first
    metric; the leaderboard and the rates with their sample sizes add how they are drawn."""
    assert spec.dimension is not None
    adhoc, filters = _filters(source, _known_segments_only(spec.dimension))
    params = {
        **_common("table", adhoc, source.kpis),
        "query_mode": "aggregate",
        "groupby": [spec.dimension],
        "metrics": metrics,
        "all_columns": [],
        "percent_metrics": [],
        "order_by_cols": [],
        "timeseries_limit_metric": metrics[0],
        "order_desc": True,
        "row_limit": row_limit,
    }
    query = _query(source.where, [spec.dimension], metrics, filters, orderby=[[metrics[0], False]], row_limit=row_limit)
    return params, query


def _leaderboard(spec: ChartSpec, source: Source) -> tuple[str, dict[str, Any], dict[str, Any]]:
    params, query = _ranked_table(spec, source, [kpi.id for kpi in source.kpis], spec.row_limit or 10)
    params |= {
        "server_page_length": 10,
        "table_timestamp_format": "smart_date",
        "show_cell_bars": True,
        "color_pn": True,
        "include_search": False,
    }
    return "table", params, query


def _share(spec: ChartSpec, source: Source) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """How the KPI's observations split over a column (e.g. NPS responses by group): a count, not the KPI."""
    assert spec.dimension is not None
    kpi = source.kpis[0]
    metric: dict[str, Any] = {
        "expressionType": "SQL",
        "sqlExpression": sample_size_sql(kpi),
        "label": f"{kpi.name}: responses",
        "hasCustomLabel": True,
        "optionName": f"metric_{kpi.id}_observations",
    }
    adhoc, filters = _filters(source)
    params = {
        **_common("pie", adhoc, source.kpis),
        "metric": metric,
        "groupby": [spec.dimension],
        "row_limit": 100,
        "sort_by_metric": True,
        "show_labels": True,
        # Name and share on each slice. Outside a quarter-width pie the names were cut; a legend above it ran off
        # the left edge, and one beside it did not fit (Superset pages it).
        "label_type": "key_percent",
        "labels_outside": False,
        "show_legend": False,
        "number_format": ",d",
        "donut": False,
    }
    query = _query(source.where, [spec.dimension], [metric], filters, orderby=[[metric, False]], row_limit=100)
    return "pie", params, query


BUILDERS = {
    "number": _number,
    "trend": _trend,
    "by": _by,
    "heatmap": _heatmap,
    "leaderboard": _leaderboard,
    "share": _share,
}


def _shown(column: str, columns: frozenset[str]) -> str:
    # People read names: an agent by name (dim_agents keeps names unique), a code in words (value_labels).
    if column == AGENT_COLUMN and AGENT_NAME_COLUMN in columns:
        return AGENT_NAME_COLUMN
    return shown_column(column, columns)


def _in_words(spec: ChartSpec, columns: frozenset[str]) -> ChartSpec:
    """The spec grouping by what people read for its dimension and series, where the dataset has it."""
    return replace(
        spec,
        dimension=spec.dimension and _shown(spec.dimension, columns),
        series=spec.series and _shown(spec.series, columns),
    )


def kpi_chart(
    spec: ChartSpec, source: Source, columns: frozenset[str], target_lines: frozenset[str] = frozenset()
) -> ChartDoc:
    """`target_lines`: the KPIs whose targets the chart's dataset has as metrics (drawn on trends)."""
    description = _description(spec, source)
    drawn = _in_words(spec, columns)
    if spec.kind == "trend":
        viz_type, params, query = _trend(drawn, source, target_lines)
        if any(metric.endswith(TARGET_SUFFIX) for metric in params["metrics"]):
            description += (
                " A flat 'Target' line is the KPI's target from kpi_targets (the shipped defaults unless you load "
                "your own), as in the scorecard."
            )
    else:
        viz_type, params, query = BUILDERS[spec.kind](drawn, source)
    return ChartDoc(
        key=spec.key,
        title=_title(spec, source),
        viz_type=viz_type,
        table=source.table,
        params=params,
        query=query,
        description=description,
        width=spec.width,
        height=spec.height or HEIGHTS.get(spec.kind, DEFAULT_HEIGHT),
        columns=columns,
    )


def _mart_time_range(spec: ChartSpec, mart: MartModel) -> tuple[str | None, list[dict[str, Any]], list[dict[str, Any]]]:
    """A mart chart's time column (None: outside the time range filter) and its time-range filter, for params and
    for the query."""
    time_column = spec.time_column if spec.time_column and mart.has_column(spec.time_column) else None
    if time_column is None:
        return None, [], []
    return (
        time_column,
        [adhoc_filter(time_column, "TEMPORAL_RANGE", NO_TIME_FILTER)],
        [{"col": time_column, "op": "TEMPORAL_RANGE", "val": NO_TIME_FILTER}],
    )


# "~" drops a trailing ".0": a scorecard column mixes counts (2,421) with rates (45.9).
NUMBER_FORMATS: dict[str, str] = {"number": ",.1~f", "integer": ",d"}


def table_chart(
    spec: ChartSpec,
    mart: MartModel,
    kinds: dict[str, str],
    through_reported: str | None = None,
    dataset_columns: frozenset[str] = frozenset(),
) -> ChartDoc:
    """A mart's rows as they are (raw mode), e.g. the KPI scorecard or the agent leaderboard; `through_reported`:
    a calculated column that keeps rows after the reported period out; `dataset_columns`: the dataset's columns,
    calculated ones included, which `spec.columns` and `spec.equals` may name."""
    listed = [name for name in spec.columns if mart.has_column(name) or name in dataset_columns]
    columns = [shown_column(name, dataset_columns) for name in listed or mart.column_names]
    formats = {
        # Scores such as the leaderboard's run from 0 to 1: two decimals.
        name: {"d3NumberFormat": ",.2f" if name.endswith("_score") else NUMBER_FORMATS[kinds[name]]}
        for name in columns
        if kinds.get(name) in NUMBER_FORMATS
    }
    time_column, adhoc, filters = _mart_time_range(spec, mart)
    equals = [*spec.equals, *([(through_reported, "true")] if through_reported else [])]
    for column, value in equals:
        if mart.has_column(column) or column == through_reported or column in dataset_columns:
            comparator: Any = {"true": True, "false": False}.get(value, value)
            adhoc.append(adhoc_filter(column, "==", comparator))
            filters.append({"col": column, "op": "==", "val": comparator})
    order = [[column, ascending] for column, ascending in spec.order_by if mart.has_column(column)]
    params = {
        "viz_type": "table",
        "adhoc_filters": adhoc,
        "annotation_layers": [],
        "extra_form_data": {},
        "dashboards": [],
        "query_mode": "raw",
        "all_columns": columns,
        "groupby": [],
        "metrics": [],
        "percent_metrics": [],
        "order_by_cols": [json.dumps(item) for item in order],
        "row_limit": 1000,
        "server_page_length": 20,
        "table_timestamp_format": "%Y-%m-%d",
        "column_config": formats,
        "include_search": True,
        # Bars compare a column's rows; on a list of mixed units, targets and ranks they mean nothing.
        "show_cell_bars": False,
    }
    query = _query(None, columns, [], filters, orderby=order, row_limit=1000)
    query["metrics"] = None  # None, not []: raw rows, no GROUP BY
    return ChartDoc(
        key=spec.key,
        title=spec.title or mart.name,
        viz_type="table",
        table=mart.name,
        params=params,
        query=query,
        description=_table_description(
            mart, time_column, any(column.endswith(REPORTED_MONTH_SUFFIX) for column, _ in equals)
        ),
        width=spec.width,
        height=spec.height or HEIGHTS["table"],
        columns=frozenset(mart.column_names),
        time_filtered=time_column is not None,
    )


def _table_description(mart: MartModel, time_column: str | None, reported_month: bool) -> str:
    described = " ".join(mart.description.split()) if mart.description else ""
    if time_column:
        return described
    if mart.name == SCORECARD_TABLE:
        moment = "each KPI's reported period"
    elif reported_month:
        moment = "the reported month"
    else:
        moment = "the state at the as-of time"
    return f"{described} The time range does not apply: the table shows {moment}.".strip()


def count_chart(
    spec: ChartSpec,
    mart: MartModel,
    through_reported: str | None = None,
    dataset_columns: frozenset[str] = frozenset(),
) -> ChartDoc:
    """A mart's rows counted by `spec.dimension` (bars, in the order of that column's values, or largest first when
    horizontal), stacked by `spec.series`; e.g. the open backlog by age bucket and status. Coded columns are shown
    in words where `dataset_columns` (calculated ones included) has them."""
    drawn = _in_words(spec, dataset_columns)
    assert spec.dimension is not None and drawn.dimension is not None
    metric: dict[str, Any] = {
        "expressionType": "SQL",
        "sqlExpression": "count(*)",
        "label": "Tickets",
        "hasCustomLabel": True,
        "optionName": "metric_row_count",
    }
    time_column, adhoc, filters = _mart_time_range(spec, mart)
    if through_reported:
        adhoc.append(adhoc_filter(through_reported, "==", True))
        filters.append({"col": through_reported, "op": "==", "val": True})
    # Rows without a value (e.g. tickets not answered yet) have no bar.
    adhoc.append(adhoc_filter(drawn.dimension, "IS NOT NULL", None))
    filters.append({"col": drawn.dimension, "op": "IS NOT NULL"})
    series = [drawn.series] if drawn.series else []
    row_limit = spec.row_limit or 1000
    params = {
        "viz_type": "echarts_timeseries_bar",
        "adhoc_filters": adhoc,
        "annotation_layers": [],
        "extra_form_data": {},
        "dashboards": [],
        "metrics": [metric],
        "groupby": series,
        "x_axis": drawn.dimension,
        # Horizontal bars are drawn bottom-up: ascending puts the largest on top.
        "x_axis_sort": "Tickets" if spec.horizontal else drawn.dimension,
        "x_axis_sort_asc": True,
        "orientation": "horizontal" if spec.horizontal else "vertical",
        # Tilted, every bucket label fits under its bar; level, ECharts hid every other one.
        "xAxisLabelRotation": 0 if spec.horizontal else 45,
        "stack": "Stack" if series else None,
        "row_limit": row_limit,
        "truncate_metric": True,
        "show_legend": bool(series),
        **LEGEND,
        "show_value": not series,
        "rich_tooltip": True,
        "order_desc": True,
        "y_axis_format": ",d",
        "only_total": True,
    }
    order = [[metric, False]] if spec.horizontal else [[drawn.dimension, True]]
    query = _query(None, [drawn.dimension, *series], [metric], filters, orderby=order, row_limit=row_limit)
    described = {column.name: column.description for column in mart.columns}
    description = " ".join(
        [
            f"Rows of {mart.name} counted by {spec.dimension}"
            + (f", stacked by {spec.series}." if spec.series else "."),
            f"{spec.dimension}: {described.get(spec.dimension, '')}",
            f"The time range applies to {time_column}."
            if time_column
            else "A state at the as-of time: the time range does not apply.",
            *(["A month still running is left out: the last is the reported month."] if through_reported else []),
        ]
    )
    return ChartDoc(
        key=spec.key,
        title=spec.title or mart.name,
        viz_type="echarts_timeseries_bar",
        table=mart.name,
        params=params,
        query=query,
        description=description,
        width=spec.width,
        height=DEFAULT_HEIGHT,
        columns=frozenset(mart.column_names),
        time_filtered=time_column is not None,
    )
