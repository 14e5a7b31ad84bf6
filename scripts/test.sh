#!/usr/bin/env bash
# The whole test suite: lint, then pytest (real dbt builds on DuckDB, the real
# GX checkpoint, a real Superset and a real headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests drive Debian's Chromium; a test tool's own browser download
# cannot work here.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "==> installing chromium and chromium-driver (Debian packages)"
  if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi

echo "==> ruff"
ruff check .
ruff format --check .
echo "==> sqlfluff"
bash scripts/lint_sql.sh
# The sample ends 2026-10-31: --as-of keeps the freshness warning quiet.
echo "==> data quality gate (Great Expectations) on a generated sample"
support-kpis generate --tickets 5000 --out test-artifacts/dq-sample >/dev/null
support-kpis validate --data test-artifacts/dq-sample --report-dir test-artifacts/validation \
  --as-of 2026-11-01 --fail-on-quarantine
# Most of the suite's time is dbt's single-threaded Python, so the test files are shared out among one worker per
# core (pytest-xdist; a file's tests stay together, so a module's warehouse is built once). At most 4: each worker
# can hold a Spark driver and a Superset. SUPPORT_KPIS_TEST_WORKERS=1 runs them one after another.
cores="$(nproc 2>/dev/null || echo 1)"
workers="${SUPPORT_KPIS_TEST_WORKERS:-$(( cores < 4 ? cores : 4 ))}"
echo "==> pytest ($workers workers)"
# --no-loadscope-reorder: xdist would otherwise re-sort the files by their number of tests and undo the
# longest-first order that tests/conftest.py gives them.
exec pytest -n "$workers" --dist loadfile --no-loadscope-reorder "$@"
