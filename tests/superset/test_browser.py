"""The dashboards in a real headless Chromium (Debian's `chromium` and `chromium-driver`), logged in to a real Superset.

Every dashboard renders every chart without an error and without a legend cut into pages; a screenshot of each is
saved to test-artifacts/superset/. And the numbers the overview shows for one
channel and one month, set through its native filters, are the kpi_values ones.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Iterator
from typing import Any

import prison
import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from support_kpis.settings import PROJECT_ROOT
from support_kpis.superset.dashboard_specs import DASHBOARDS
from support_kpis.superset.value_labels import value_label
from tests.superset.server import RunningSuperset
from tests.warehouses import query

pytestmark = pytest.mark.slow

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "superset"
RENDER_SECONDS = 120
WIDTH = 1600
MAX_HEIGHT = 9000

# True once no chart is loading and each shows either its visualization or an error.
_ALL_RENDERED = """
const charts = Array.from(document.querySelectorAll('[data-test="chart-grid-component"]'));
if (document.querySelector('[data-test="loading-indicator"]')) return -1;
const done = charts.filter(c => c.querySelector('[data-test="slice-container"]') || c.querySelector('[role="alert"]'));
return done.length === charts.length ? charts.length : -1;
"""

_CHART_PROBLEMS = """
return Array.from(document.querySelectorAll('[data-test="chart-grid-component"]')).flatMap(chart => {
  const name = chart.getAttribute('data-test-chart-name');
  const alert = chart.querySelector('[role="alert"]');
  if (alert) return [name + ': ' + alert.innerText.replace(/\\s+/g, ' ').slice(0, 300)];
  const text = chart.innerText;
  if (/No results were returned|No data/.test(text)) return [name + ': no data'];
  const drawn = chart.querySelector('canvas, svg, table, .header-line, [data-test="slice-container"] *');
  return drawn ? [] : [name + ': nothing drawn'];
});
"""

_CHART_TEXTS = """
return Array.from(document.querySelectorAll('[data-test="chart-grid-component"]')).map(chart => {
  const body = chart.querySelector('[data-test="slice-container"]');
  return [chart.getAttribute('data-test-chart-name'), body ? body.innerText : null];
});
"""


# Superset 6.1 draws a "plain" legend only while it fits in two lines; otherwise it falls back to a scrolling one,
# which cuts names and pages them ("1/4"). The option it hands ECharts is on the chart's React props.
_PAGED_LEGENDS = """
return Array.from(document.querySelectorAll('[data-test="chart-grid-component"]')).flatMap(chart => {
  const name = chart.getAttribute('data-test-chart-name');
  return Array.from(chart.querySelectorAll('[_echarts_instance_]')).flatMap(element => {
    const key = Object.keys(element).find(k => k.startsWith('__reactFiber$'));
    let fiber = key ? element[key] : null;
    while (fiber && !(fiber.memoizedProps && fiber.memoizedProps.echartOptions)) fiber = fiber.return;
    if (!fiber) return [name + ': no ECharts options found'];
    const legend = [].concat(fiber.memoizedProps.echartOptions.legend || []);
    return legend.filter(l => l.show && l.type === 'scroll').map(() => name);
  });
});
"""


@pytest.fixture(scope="module")
def browser(superset_server: RunningSuperset) -> Iterator[webdriver.Chrome]:
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        pytest.fail("headless Chromium is needed: apt-get install -y chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--window-size={WIDTH},1200",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        _log_in(driver, superset_server)
        yield driver
    finally:
        driver.quit()


def _log_in(driver: webdriver.Chrome, server: RunningSuperset) -> None:
    driver.get(f"{server.url}/login/")
    wait = WebDriverWait(driver, 60)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "input#username"))
    driver.find_element(By.CSS_SELECTOR, "input#username").send_keys(server.username)
    driver.find_element(By.CSS_SELECTOR, "input#password").send_keys(server.password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: "/login" not in d.current_url)


def _open_and_render(driver: webdriver.Chrome, url: str, expected_charts: int) -> None:
    """Open a dashboard, make the window as tall as the page (so every chart is laid out), wait for the charts."""
    driver.set_window_size(WIDTH, 1200)
    driver.get(url)
    deadline = time.monotonic() + RENDER_SECONDS
    WebDriverWait(driver, RENDER_SECONDS).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-test="chart-grid-component"]')) >= expected_charts
    )
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WIDTH, min(MAX_HEIGHT, max(1200, int(height) + 200)))
    rendered = -1
    while time.monotonic() < deadline:
        try:
            rendered = driver.execute_script(_ALL_RENDERED)
        except WebDriverException:
            rendered = -1
        if rendered == expected_charts:
            time.sleep(1.5)  # let ECharts finish its entry animation before the screenshot
            return
        time.sleep(0.5)
    raise AssertionError(f"{url}: {rendered} of {expected_charts} charts rendered within {RENDER_SECONDS}s")


def _charts_in(server: RunningSuperset, dashboard_key: str) -> list[dict[str, Any]]:
    position = server.bundle.documents[f"dashboards/{dashboard_key}.yaml"]["position"]
    return [node for node in position.values() if isinstance(node, dict) and node["type"] == "CHART"]


@pytest.mark.parametrize("spec", DASHBOARDS, ids=[spec.slug for spec in DASHBOARDS])
def test_the_dashboard_renders_every_chart_without_an_error(
    superset_server: RunningSuperset,
    browser: webdriver.Chrome,
    spec: Any,
) -> None:
    charts = _charts_in(superset_server, spec.key)
    _open_and_render(browser, f"{superset_server.url}/superset/dashboard/{spec.slug}/", len(charts))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{spec.slug}.png"))
    shown = [name for name, _ in browser.execute_script(_CHART_TEXTS)]
    assert sorted(shown) == sorted(node["meta"]["sliceName"] for node in charts)
    problems = browser.execute_script(_CHART_PROBLEMS)
    assert not problems, "\n".join(problems)
    paged = browser.execute_script(_PAGED_LEGENDS)
    assert not paged, f"legends cut and paged: {paged}"


def _shown_tile(text: str) -> tuple[str, float]:
    """A big number tile as displayed: the period it names ('August 2026'), then the number ('1,234', '−3.2')."""
    period, number = text.strip().splitlines()[:2]
    return period, float(number.replace(",", "").replace("−", "-"))


def test_the_overview_shows_kpi_values_for_one_channel_and_month(
    superset_server: RunningSuperset,
    browser: webdriver.Chrome,
) -> None:
    warehouse = superset_server.warehouse
    months = [
        row[0]
        for row in query(
            warehouse,
            "select period_start from kpi_values where kpi_id = 'tickets_created' and grain = 'month' "
            "and dimension = 'all' order by period_start",
        )
    ]
    month: dt.date = months[-3]
    next_month = months[-2]
    ((channel,),) = query(
        warehouse,
        "select dimension_value from kpi_values where kpi_id = 'tickets_created' and grain = 'month' "
        "and dimension = 'channel' and period_start = ? order by value desc limit 1",
        [month],
    )
    time_range = f"{month.isoformat()} : {next_month.isoformat()}"
    native_filters = prison.dumps(
        {
            "NATIVE_FILTER-channel": {
                "id": "NATIVE_FILTER-channel",
                # The filter offers channels in words ("Email"), from their label column.
                "extraFormData": {"filters": [{"col": "channel_label", "op": "IN", "val": [value_label(channel)]}]},
                "filterState": {"value": [value_label(channel)]},
                "ownState": {},
            },
            "NATIVE_FILTER-time_range": {
                "id": "NATIVE_FILTER-time_range",
                "extraFormData": {"time_range": time_range},
                "filterState": {"value": time_range},
                "ownState": {},
            },
        }
    )
    charts = _charts_in(superset_server, "support_overview")
    url = f"{superset_server.url}/superset/dashboard/support-overview/?native_filters={native_filters}"
    _open_and_render(browser, url, len(charts))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"support-overview-{channel}-{month:%Y-%m}.png"))
    shown = dict(browser.execute_script(_CHART_TEXTS))
    titles = {node["meta"]["uuid"]: node["meta"]["sliceName"] for node in charts}
    documents = {doc["uuid"]: path for path, doc in superset_server.bundle.documents.items() if "uuid" in doc}
    checked = 0
    for kpi_id, decimals in (
        ("tickets_created", 0),
        ("first_response_time_median_minutes", 1),
        ("first_contact_resolution_pct", 1),
        ("csat_pct", 1),
    ):
        uuid = next((u for u in titles if documents[u].endswith(f"/number__{kpi_id}.yaml")), None)
        if uuid is None:
            continue
        rows = query(
            warehouse,
            "select value from kpi_values where kpi_id = ? and grain = 'month' and period_start = ? "
            "and dimension = 'channel' and dimension_value = ?",
            [kpi_id, month, channel],
        )
        if not rows:  # e.g. no survey answered about this channel that month
            continue
        assert _shown_tile(shown[titles[uuid]]) == (f"{month:%B %Y}", round(float(rows[0][0]), decimals)), kpi_id
        checked += 1
    assert checked >= 3
