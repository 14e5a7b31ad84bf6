#!/usr/bin/env bash
# The whole test suite: lint, then pytest (which runs the real dbt build, GX and Superset).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> ruff"
ruff check .
echo "==> pytest"
exec pytest "$@"
