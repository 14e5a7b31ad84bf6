"""The generated Superset bundle, without a Superset: contents, determinism, compatibility, no secrets.

Fast: needs `dbt parse` (no warehouse). The live and browser tests import the
same generator's output into a real Superset.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import socket
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot
import yaml

from support_kpis.errors import UserError
from support_kpis.kpi_registry import Kpi, Registry, load_registry
from support_kpis.settings import PROJECT_ROOT
from support_kpis.superset.bundle import (
    PASSWORD_MASK,
    ZIP_ROOT,
    Bundle,
    DatabaseTarget,
    generate_bundle,
    mask_password,
)
from support_kpis.superset.column_kinds import kind_from_name
from support_kpis.superset.column_labels import column_label
from support_kpis.superset.dashboard_specs import DASHBOARDS, FILTER_COLUMNS
from support_kpis.superset.dialects import DIALECTS, DUCKDB, POSTGRES, Dialect
from support_kpis.superset.documents import ALLOWED_KEYS, DUCKDB_CONNECT_ARGS
from support_kpis.superset.identity import stable_uuid
from support_kpis.superset.manifest import MartModel, parse_project_manifest, read_marts
from support_kpis.superset.metrics import observation_sql, stored_sql
from support_kpis.superset.money import currency_code
from support_kpis.superset.project_bundle import ASSETS_DIR, PORTABLE_DUCKDB_URI, dialect_for
from support_kpis.superset.rest_client import SupersetClient, is_supported, parse_version
from support_kpis.superset.value_labels import CODED_COLUMNS, WORDS, label_column, label_expression, value_label

# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def project_marts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MartModel]:
    return read_marts(parse_project_manifest(tmp_path_factory.mktemp("manifest")))


@pytest.fixture(scope="module")
def bundle(project_marts: dict[str, MartModel]) -> Bundle:
    return generate_bundle(project_marts, load_registry(), DatabaseTarget(PORTABLE_DUCKDB_URI, DUCKDB))


def _of_kind(bundle: Bundle, folder: str) -> dict[str, dict[str, Any]]:
    return {path: doc for path, doc in bundle.documents.items() if path.startswith(f"{folder}/")}


def _kpi(aggregation: str, **fields: Any) -> Kpi:
    base: dict[str, Any] = {
        "id": f"test_{aggregation}",
        "name": "Test KPI",
        "section": "test",
        "description": "A KPI for tests.",
        "formula": "by hand",
        "unit": "count",
        "direction": "neutral",
        "attributed_by": "created_at",
        "required_tables": ("tickets",),
        "grains": ("day", "week", "month"),
        "dimensions": ("all",),
        "aggregation": aggregation,
        "model": "observations",
        "attributed_at": "created_at",
    }
    base.update(fields)
    return Kpi(**base)


# ---------------------------------------------------------------- the committed tree


def test_committed_assets_are_what_the_generator_writes(bundle: Bundle) -> None:
    committed = {
        str(path.relative_to(ASSETS_DIR)): path.read_text(encoding="utf-8") for path in ASSETS_DIR.rglob("*.yaml")
    }
    generated = bundle.yaml_files()
    stale = sorted(set(committed) - set(generated))
    missing = sorted(set(generated) - set(committed))
    changed = sorted(path for path in set(committed) & set(generated) if committed[path] != generated[path])
    assert not (stale or missing or changed), (
        "superset_assets/ is out of date: run `support-kpis superset bundle` and commit the result "
        f"(stale {stale[:5]}, missing {missing[:5]}, changed {changed[:5]})"
    )


# ---------------------------------------------------------------- identity


def test_generation_is_deterministic_and_uuids_are_unique_and_named(
    project_marts: dict[str, MartModel], bundle: Bundle, tmp_path: Path
) -> None:
    again = generate_bundle(project_marts, load_registry(), DatabaseTarget(PORTABLE_DUCKDB_URI, DUCKDB))
    assert again.yaml_files() == bundle.yaml_files()
    first, second = bundle.zip_bytes_to(tmp_path / "a.zip"), again.zip_bytes_to(tmp_path / "b.zip")
    assert first.read_bytes() == second.read_bytes()

    uuids = [doc["uuid"] for path, doc in bundle.documents.items() if path != "metadata.yaml"]
    assert len(uuids) == len(set(uuids))
    for spec in DASHBOARDS:
        assert bundle.documents[f"dashboards/{spec.key}.yaml"]["uuid"] == stable_uuid("dashboard", spec.key)
    for path, chart in _of_kind(bundle, "charts").items():
        dashboard_key, chart_key = path.removeprefix("charts/").removesuffix(".yaml").split("/")
        assert chart["uuid"] == stable_uuid("chart", dashboard_key, chart_key)


def test_another_database_is_a_new_database_that_the_same_datasets_move_to(
    project_marts: dict[str, MartModel], bundle: Bundle
) -> None:
    other = generate_bundle(
        project_marts, load_registry(), DatabaseTarget(PORTABLE_DUCKDB_URI, DUCKDB, name="Analytics warehouse")
    )
    database = next(iter(_of_kind(other, "databases").values()))
    assert database["database_name"] == "Analytics warehouse"
    assert database["uuid"] == stable_uuid("database", "Analytics warehouse")
    assert database["uuid"] != next(iter(_of_kind(bundle, "databases").values()))["uuid"]
    assert {d["database_uuid"] for d in _of_kind(other, "datasets").values()} == {database["uuid"]}
    # One set of dashboards per Superset: the datasets keep their uuids and are repointed on import.
    uuids = sorted(d["uuid"] for d in _of_kind(bundle, "datasets").values())
    assert sorted(d["uuid"] for d in _of_kind(other, "datasets").values()) == uuids


# ---------------------------------------------------------------- compatibility


def _check_keys(kind: str, document: dict[str, Any], where: str, problems: list[str]) -> None:
    unknown = set(document) - ALLOWED_KEYS[kind]
    if unknown:
        problems.append(f"{where}: keys not accepted by every supported Superset: {sorted(unknown)}")


def test_every_document_uses_only_keys_superset_41_50_61_accept(bundle: Bundle) -> None:
    problems: list[str] = []
    for path, document in bundle.documents.items():
        kind = "metadata" if path == "metadata.yaml" else path.split("/", 1)[0].removesuffix("s")
        _check_keys(kind, document, path, problems)
        if kind == "database":
            _check_keys("database_extra", document["extra"], f"{path} extra", problems)
        if kind == "dataset":
            for column in document["columns"]:
                _check_keys("column", column, f"{path} column {column['column_name']}", problems)
            for metric in document["metrics"]:
                _check_keys("metric", metric, f"{path} metric {metric['metric_name']}", problems)
        if kind != "metadata":
            assert document["version"] == "1.0.0", path
    assert not problems, "\n".join(problems)


def test_zip_has_one_root_folder_and_a_version_1_metadata_file(bundle: Bundle, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle.zip_bytes_to(tmp_path / "bundle.zip")) as archive:
        names = archive.namelist()
        metadata = yaml.safe_load(archive.read(f"{ZIP_ROOT}/metadata.yaml"))
    assert {name.split("/", 1)[0] for name in names} == {ZIP_ROOT}
    assert metadata == {"version": "1.0.0"}
    assert len(names) == len(bundle.documents)


def test_the_demo_database_is_opened_read_only_and_a_postgres_one_is_not(project_marts: dict[str, MartModel]) -> None:
    demo = generate_bundle(project_marts, load_registry(), DatabaseTarget("duckdb:////data/w.duckdb", DUCKDB))
    pg = generate_bundle(project_marts, load_registry(), DatabaseTarget("postgresql://kpi@db/warehouse", POSTGRES))
    demo_db = next(iter(_of_kind(demo, "databases").values()))
    pg_db = next(iter(_of_kind(pg, "databases").values()))
    assert demo_db["sqlalchemy_uri"] == "duckdb:////data/w.duckdb"
    assert demo_db["extra"]["engine_params"] == {"connect_args": DUCKDB_CONNECT_ARGS}
    assert pg_db["extra"]["engine_params"] == {}
    assert dialect_for("postgresql+psycopg2://u@h/d", None) is POSTGRES
    assert dialect_for("duckdb:///x.duckdb", None) is DUCKDB
    with pytest.raises(UserError, match="--dialect"):
        dialect_for("snowflake://u@a/d", None)


# ---------------------------------------------------------------- secrets


def test_no_password_is_ever_written(project_marts: dict[str, MartModel], tmp_path: Path) -> None:
    secret = "s3cr3t-Pa55word"
    target = DatabaseTarget(f"postgresql://kpi_reader:{secret}@db.internal:5432/warehouse", POSTGRES)
    bundle = generate_bundle(project_marts, load_registry(), target)
    zip_bytes = bundle.zip_bytes_to(tmp_path / "bundle.zip").read_bytes()
    assert secret.encode() not in zip_bytes
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        for name in archive.namelist():
            assert secret not in archive.read(name).decode("utf-8"), name
    database = bundle.documents[bundle.database_file]
    assert database["sqlalchemy_uri"] == f"postgresql://kpi_reader:{PASSWORD_MASK}@db.internal:5432/warehouse"
    assert bundle.password_masked
    assert mask_password("duckdb:///w.duckdb") == ("duckdb:///w.duckdb", None)
    with pytest.raises(UserError, match="secret in motherduck_token"):
        mask_password("duckdb:///md:analytics?motherduck_token=abc123")


# ---------------------------------------------------------------- SQL


def _sql_snippets(bundle: Bundle) -> list[tuple[str, str]]:
    """Every piece of SQL in the bundle: metrics, calculated columns, ad-hoc metrics and filters."""
    snippets: list[tuple[str, str]] = []
    for path, dataset in _of_kind(bundle, "datasets").items():
        snippets += [(f"{path} metric {m['metric_name']}", m["expression"]) for m in dataset["metrics"]]
        snippets += [
            (f"{path} column {c['column_name']}", c["expression"]) for c in dataset["columns"] if c["expression"]
        ]
    for path, chart in _of_kind(bundle, "charts").items():
        params = chart["params"]
        for metric in [params.get("metric"), *params.get("metrics", [])]:
            if isinstance(metric, dict):
                snippets.append((f"{path} ad-hoc metric", metric["sqlExpression"]))
        for adhoc in params["adhoc_filters"]:
            if adhoc["expressionType"] == "SQL":
                snippets.append((f"{path} filter", adhoc["sqlExpression"]))
    return snippets


@pytest.mark.parametrize("dialect", sorted(DIALECTS.values(), key=lambda d: d.name), ids=lambda d: d.name)
def test_every_sql_snippet_parses_in_the_target_dialect(project_marts: dict[str, MartModel], dialect: Dialect) -> None:
    bundle = generate_bundle(project_marts, load_registry(), DatabaseTarget("duckdb:///w.duckdb", dialect))
    snippets = _sql_snippets(bundle)
    assert len(snippets) > len(load_registry().kpis)
    problems = []
    for where, sql in snippets:
        try:
            sqlglot.parse_one(f"select {sql} from t", read=dialect.sqlglot_name)
        except sqlglot.errors.ParseError as exc:
            problems.append(f"{where}: {sql}: {exc}")
    assert not problems, "\n".join(problems)


def test_observation_metrics_compute_the_definitions_on_hand_rows() -> None:
    # rows: (value, keep, num, den, who)
    rows = [
        (10, True, 1, 1, "a"),
        (20, True, 0, 1, "b"),
        (30, False, 1, 1, "a"),
        (40, True, 1, 1, "a"),
        (None, True, 0, 1, "c"),
    ]
    con = duckdb.connect()
    con.execute("create table observations (value double, keep boolean, num int, den int, who varchar)")
    con.executemany("insert into observations values (?, ?, ?, ?, ?)", rows)
    cases = [
        # kept rows are 1, 2, 4 and 5
        (_kpi("count", where="keep"), 4),
        (_kpi("count"), 5),
        # numerators 1+0+1+0 = 2 over denominators 4, in percent
        (_kpi("ratio", unit="pct", where="keep", numerator="num", denominator="den"), 50.0),
        (_kpi("ratio", unit="score", where="keep", numerator="num", denominator="den"), 0.5),
        # values 10, 20, 40 (the null is no observation): mean 70 / 3
        (_kpi("mean", where="keep", value="value"), 70 / 3),
        (_kpi("median", where="keep", value="value"), 20.0),
        # p90 of 10, 20, 40: position 0.9 × 2 = 1.8 -> 20 + 0.8 × (40 − 20) = 36
        (_kpi("p90", where="keep", value="value"), 36.0),
        # kept values 10, 20, 40, null -> -1 + 1 + 1 - 1 (null > 15 is not true)
        (_kpi("net", where="keep", value="case when value > 15 then 1 else -1 end"), 0),
        (_kpi("sum", where="keep", value="value"), 70.0),
        # who among kept rows: a, b, a, c
        (_kpi("count_distinct", where="keep", distinct="who"), 3),
    ]
    for kpi, expected in cases:
        (value,) = con.execute(f"select {observation_sql(kpi, DUCKDB)} from observations").fetchone()
        assert value == pytest.approx(expected), kpi


def test_stored_metrics_recompose_kpi_values_from_additive_parts() -> None:
    con = duckdb.connect()
    con.execute("create table kpi_values (kpi_id varchar, value double, numerator double, denominator double)")
    con.executemany(
        "insert into kpi_values values (?, ?, ?, ?)",
        [
            ("test_ratio", 50.0, 1, 2),
            ("test_ratio", 50.0, 3, 6),
            ("test_mean", 5.0, 10, 2),
            ("test_mean", 6.67, 20, 3),
            ("test_count", 3, None, None),
            ("test_count", 4, None, None),
            ("test_median", 5, None, None),
        ],
    )
    cases = [
        (_kpi("ratio", unit="pct", numerator="n", denominator="d"), 100.0 * (1 + 3) / (2 + 6)),  # 50
        (_kpi("mean", value="v"), (10 + 20) / (2 + 3)),  # 6, not the mean of the stored means
        (_kpi("count"), 3 + 4),
        (_kpi("median", value="v"), 5),
    ]
    for kpi, expected in cases:
        (value,) = con.execute(f"select {stored_sql(kpi)} from kpi_values").fetchone()
        assert value == pytest.approx(expected), kpi


def test_column_kinds_follow_the_naming_convention() -> None:
    cases = {
        "created_at": "timestamp",
        "created_date": "date",
        "period_start": "date",
        "is_escalated": "boolean",
        "reopen_count": "integer",
        "sample_size": "integer",
        "first_response_minutes": "number",
        "value": "number",
        "days_since_previous_positive": "number",
        "previous_mrr": "number",
        "channel": "string",
    }
    assert {name: kind_from_name(name) for name in cases} == cases


# ---------------------------------------------------------------- dashboards


def _filters_said_not_to_apply(chart: dict[str, Any]) -> set[str]:
    text = " ".join(chart["description"].split())
    said = re.search(r"The ([A-Z][a-z]+(?:(?:, | and )[A-Z][a-z]+)*) filters? do(?:es)? not apply", text)
    return set(re.split(", | and ", said.group(1))) if said else set()


def test_six_dashboards_with_their_slugs_titles_and_native_filters(bundle: Bundle) -> None:
    dashboards = {doc["slug"]: doc for doc in _of_kind(bundle, "dashboards").values()}
    assert list(dashboards) == [spec.slug for spec in DASHBOARDS]
    assert [d["dashboard_title"] for d in dashboards.values()] == [
        "Support overview",
        "Operations and SLA",
        "Customer experience",
        "Agents and team",
        "Self-service and knowledge base",
        "Business impact",
    ]
    charts_by_uuid = {doc["uuid"]: doc for doc in _of_kind(bundle, "charts").values()}
    datasets = {doc["uuid"]: doc for doc in _of_kind(bundle, "datasets").values()}

    def columns_of_chart(node: dict[str, Any]) -> set[str]:
        dataset = datasets[charts_by_uuid[node["meta"]["uuid"]]["dataset_uuid"]]
        return {column["column_name"] for column in dataset["columns"]}

    for slug, dashboard in dashboards.items():
        nodes = [node for node in dashboard["position"].values() if isinstance(node, dict) and node["type"] == "CHART"]
        assert all(node["meta"]["uuid"] in charts_by_uuid for node in nodes), slug
        filters = {f["id"]: f for f in dashboard["metadata"]["native_filter_configuration"]}
        if not nodes:
            continue
        assert "NATIVE_FILTER-time_range" in filters, slug
        for column in FILTER_COLUMNS:
            without = {node["meta"]["chartId"] for node in nodes if column not in columns_of_chart(node)}
            # Offered only where it filters at least half of the charts: otherwise it reads as filtering the page.
            if 2 * len(without) > len(nodes):
                assert f"NATIVE_FILTER-{column}" not in filters, (slug, column)
                continue
            select = filters[f"NATIVE_FILTER-{column}"]
            assert set(select["scope"]["excluded"]) == without, (slug, column)
            # Its options leave out null (a survey with no ticket has no channel): no "<NULL>" to pick.
            # It offers the values in words, as the charts show them.
            (target,) = select["targets"]
            assert target["column"]["name"] == label_column(column), (slug, column)
            assert [(f["subject"], f["operator"]) for f in select["adhoc_filters"]] == [
                (label_column(column), "IS NOT NULL")
            ]
            for node in nodes:
                said = column.capitalize() in _filters_said_not_to_apply(charts_by_uuid[node["meta"]["uuid"]])
                assert said == (node["meta"]["chartId"] in without), (slug, column, node["meta"]["sliceName"])
        assert dashboard["metadata"]["cross_filters_enabled"] is True, slug


def test_money_charts_show_the_currency_symbol_in_whole_units(bundle: Bundle) -> None:
    units = {kpi.id: kpi.unit for kpi in load_registry().kpis}
    money = 0
    for path, chart in _of_kind(bundle, "charts").items():
        params = chart["params"]
        kpis = [m for m in [params.get("metric"), *params.get("metrics", [])] if isinstance(m, str) and m in units]
        assert "(currency)" not in chart["slice_name"], path
        if kpis and all(units[kpi] == "currency" for kpi in kpis):
            money += 1
            assert params["currency_format"] == {"symbol": currency_code(), "symbolPosition": "prefix"}, path
            assert params["y_axis_format"] in (",.0f", "SMART_NUMBER"), path
            assert f"({currency_code()})" in chart["slice_name"], path
        else:
            assert "currency_format" not in params, path
    # MRR, ARPA, CLV, support cost, cost per ticket, acquisition cost: a tile or a trend each at least.
    assert money >= 6


def test_every_chart_has_a_query_context_a_unit_in_its_title_and_a_dataset(bundle: Bundle) -> None:
    dataset_uuids = {doc["uuid"] for doc in _of_kind(bundle, "datasets").values()}
    units = ("(count", "(%", "minutes", "hours", "days", "score", f"({currency_code()}", "(open tickets)", "scorecard")
    for path, chart in _of_kind(bundle, "charts").items():
        context = json.loads(chart["query_context"])
        assert context["queries"] and context["form_data"]["viz_type"] == chart["viz_type"], path
        assert chart["dataset_uuid"] in dataset_uuids, path
        assert any(unit in chart["slice_name"] for unit in units), chart["slice_name"]


def test_chart_titles_are_distinct_within_each_dashboard(bundle: Bundle) -> None:
    for spec in DASHBOARDS:
        titles = [
            chart["slice_name"]
            for path, chart in _of_kind(bundle, "charts").items()
            if path.startswith(f"charts/{spec.key}/")
        ]
        assert len(titles) == len(set(titles)), spec.slug


def test_charts_follow_the_registry_omitted_until_their_kpis_are_declared(project_marts: dict[str, MartModel]) -> None:
    registry = load_registry()
    target = DatabaseTarget(PORTABLE_DUCKDB_URI, DUCKDB)
    assert "tickets_created" in registry.ids
    without = Registry(registry.dimension_sets, tuple(k for k in registry.kpis if k.id != "tickets_created"))
    full, reduced = generate_bundle(project_marts, registry, target), generate_bundle(project_marts, without, target)

    def charts_naming(bundle: Bundle, kpi_id: str) -> list[str]:
        return [path for path, chart in _of_kind(bundle, "charts").items() if kpi_id in chart["query_context"]]

    assert charts_naming(full, "tickets_created")
    assert charts_naming(reduced, "tickets_created") == []
    assert "tickets_created" in reduced.notes["support-overview"]
    overview = reduced.documents["dashboards/support_overview.yaml"]["position"]
    assert "`tickets_created`" in overview["MARKDOWN-note"]["meta"]["code"]
    assert not any(
        m["metric_name"] == "tickets_created"
        for m in reduced.documents["datasets/Support_KPIs/fct_tickets.yaml"]["metrics"]
    )


def test_a_new_kpi_on_an_existing_model_becomes_a_metric_without_code_changes(
    project_marts: dict[str, MartModel],
) -> None:
    registry = load_registry()
    new = dataclasses.replace(
        registry.kpi("tickets_created"), id="tickets_created_by_email", name="Email tickets", where="channel = 'email'"
    )
    grown = Registry(registry.dimension_sets, (*registry.kpis, new))
    bundle = generate_bundle(project_marts, grown, DatabaseTarget(PORTABLE_DUCKDB_URI, DUCKDB))
    metrics = {m["metric_name"]: m for m in bundle.documents["datasets/Support_KPIs/fct_tickets.yaml"]["metrics"]}
    assert metrics["tickets_created_by_email"]["expression"] == "count(case when (channel = 'email') then 1 end)"
    stored = {m["metric_name"]: m for m in bundle.documents["datasets/Support_KPIs/kpi_values.yaml"]["metrics"]}
    assert stored["tickets_created_by_email"]["expression"] == (
        "sum(case when kpi_id = 'tickets_created_by_email' then value end)"
    )


def test_trends_draw_the_target_of_a_kpi_with_a_shipped_target_and_only_theirs(bundle: Bundle) -> None:
    with (PROJECT_ROOT / "seeds" / "kpi_targets.csv").open(newline="", encoding="utf-8") as handle:
        seeded = {row["kpi_id"] for row in csv.DictReader(handle)}
    charts = _of_kind(bundle, "charts")
    assert charts["charts/customer_experience/trend__csat_pct__month.yaml"]["params"]["metrics"] == [
        "csat_pct",
        "csat_pct__target",
    ]
    assert charts["charts/business_impact/trend__mrr__month.yaml"]["params"]["metrics"] == ["mrr"]
    drawn = 0
    for path, chart in charts.items():
        metrics = chart["params"].get("metrics") or []
        targets = [m for m in metrics if isinstance(m, str) and m.endswith("__target")]
        kpis = [m for m in metrics if isinstance(m, str) and not m.endswith("__target")]
        if chart["params"]["viz_type"] != "echarts_timeseries_line" or chart["params"].get("groupby"):
            assert not targets, path
            continue
        assert targets == [f"{kpi}__target" for kpi in kpis if kpi in seeded], path
        drawn += len(targets)
    assert drawn >= 10


# ---------------------------------------------------------------- REST client errors and versions


def test_versions_are_read_from_the_bootstrap_data_and_checked() -> None:
    page = '<div data-bootstrap="{&#34;version_string&#34;: &#34;6.1.0&#34;, &#34;x&#34;: 1}"></div>'
    assert parse_version(page) == (6, 1)
    assert parse_version('"version_string": "4.1.2"') == (4, 1)
    assert parse_version("<html>no version</html>") is None
    assert [is_supported(v) for v in [(3, 1), (4, 0), (4, 1), (5, 0), (6, 1), (7, 0)]] == [
        False,
        False,
        True,
        True,
        True,
        False,
    ]


def test_an_unreachable_superset_is_one_clear_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound but not listening: nothing answers there
        client = SupersetClient(f"http://127.0.0.1:{port}", timeout=5)
        with pytest.raises(UserError, match=r"cannot reach Superset at http://127\.0\.0\.1:\d+"):
            client.login("admin", "admin")


def test_columns_are_labelled_in_words_with_their_unit() -> None:
    assert column_label("csat_pct") == "CSAT (%)"
    assert column_label("first_response_median_minutes") == "First response median (minutes)"
    assert column_label("agent_name") == "Agent"
    assert column_label("is_ranked") == "Ranked"
    assert column_label("ticket_id") == "Ticket ID"
    assert column_label("status_at_as_of") == "Status at the as-of time"
    # A bare unit word is a name, not a unit.
    assert column_label("days") == "Days"


def test_every_dataset_column_has_a_label(bundle: Bundle) -> None:
    for path, dataset in _of_kind(bundle, "datasets").items():
        for column in dataset["columns"]:
            assert column["verbose_name"] == column_label(column["column_name"]), (path, column["column_name"])


def test_coded_values_are_written_in_words_by_the_sql_as_by_the_rule() -> None:
    # Every listed word, and values the sentence-case rule writes.
    values = [*WORDS, "feature_request", "how-to", "first_response", "on_hold", "x"]
    assert [value_label(v) for v in ["feature_request", "mid_market", "smb", "how-to", "on_hold", "*"]] == [
        "Feature request",
        "Mid-market",
        "SMB",
        "How-to",
        "On hold",
        "Any",
    ]
    rows = duckdb.sql(
        f"select code, {label_expression('code')} from (select unnest(?) as code union all select null)",
        params=[values],
    ).fetchall()
    assert sorted(rows, key=str) == sorted([(v, value_label(v)) for v in values] + [(None, None)], key=str)


def test_charts_tables_and_filters_show_coded_columns_in_words(bundle: Bundle) -> None:
    datasets = {doc["table_name"]: doc for doc in _of_kind(bundle, "datasets").values()}
    shown_in_words = 0
    for path, chart in _of_kind(bundle, "charts").items():
        params = chart["params"]
        named = [params.get("x_axis"), *params.get("groupby", []), *params.get("all_columns", [])]
        for column in named:
            assert column not in CODED_COLUMNS, (path, column)
        shown_in_words += sum(isinstance(c, str) and c.endswith("_label") for c in named)
    assert shown_in_words >= 10
    for name, dataset in datasets.items():
        calculated = {c["column_name"]: c for c in dataset["columns"] if c.get("expression")}
        for column in CODED_COLUMNS:
            present = any(c["column_name"] == column for c in dataset["columns"])
            assert (label_column(column) in calculated) == present, (name, column)
