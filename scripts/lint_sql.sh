#!/usr/bin/env bash
# SQL lint: sqlfluff with the dbt templater over the project's dbt SQL (rules in .sqlfluff; what it
# skips in .sqlfluffignore). Quiet when clean; on a violation, prints each file, line and rule, and
# exits non-zero.
#   scripts/lint_sql.sh              lint (what ./run test runs)
#   scripts/lint_sql.sh --fix        let sqlfluff fix what it can, then lint
#   scripts/lint_sql.sh [--fix] PATH...   only these files or folders
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/sqlfluff ] && export PATH="$PWD/.venv/bin:$PATH"

fix=false
if [ "${1:-}" = "--fix" ]; then
  fix=true
  shift
fi
[ $# -gt 0 ] || set -- .

# The dbt templater compiles every model and opens a dbt connection, but reads no data: an in-memory
# DuckDB serves it, so linting needs no warehouse, never creates one, and is not blocked by a build
# holding the warehouse's lock.
export SUPPORT_KPIS_DUCKDB=":memory:"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
# Each process loads the dbt project (~15 s of CPU): two pay off on two cores, more would not.
processes=2

if $fix; then
  sqlfluff fix --processes "$processes" "$@" || true
fi
if ! report=$(sqlfluff lint --nocolor --processes "$processes" "$@" 2>&1); then
  printf '%s\n' "$report" | grep -v -e '^=== \[dbt templater\]' -e 'resource_tracker' >&2
  echo "sqlfluff: SQL style violations above. scripts/lint_sql.sh --fix fixes most of them;" \
    ".sqlfluff says why each rule is set." >&2
  exit 1
fi
