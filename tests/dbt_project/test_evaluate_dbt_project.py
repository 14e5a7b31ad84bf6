"""scripts/evaluate_dbt_project.py: dbt-project-evaluator on a scratch copy of the project.

The evaluator is not a dependency: without a clone the script says how to get one, and the check of its findings
runs only where DBT_PROJECT_EVALUATOR_PATH points at a clone.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from support_kpis.settings import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "evaluate_dbt_project.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evaluate_dbt_project", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_without_the_evaluator_it_says_how_to_get_it() -> None:
    env = {key: value for key, value in os.environ.items() if key != "DBT_PROJECT_EVALUATOR_PATH"}
    result = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "git clone https://github.com/dbt-labs/dbt-project-evaluator" in result.stderr


def test_every_kept_finding_says_why() -> None:
    kept = _script().kept_findings()
    assert kept and all(len(row["comment"]) > 40 for row in kept)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("DBT_PROJECT_EVALUATOR_PATH"), reason="needs a dbt-project-evaluator clone")
def test_nothing_is_left_to_fix_in_sources_staging_and_intermediate(tmp_path: Path) -> None:
    script = _script()
    rules = {rule.name: rule for rule in script.evaluate(script.evaluator_path(None), tmp_path)}
    found = []
    for rule in rules.values():
        if rule.name in script.COVERAGE_RULES:
            continue
        for row in rule.rows:
            subject = str(row.get("resource_name") or row.get("child") or "")
            if subject.startswith(("stg_", "int_", "raw.")):
                found.append(f"{rule.name}: {row}")
    assert found == []
    (coverage,) = rules["fct_test_coverage"].rows
    assert coverage["staging_test_coverage_pct"] == coverage["intermediate_test_coverage_pct"] == 100
