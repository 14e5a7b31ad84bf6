"""scripts/evaluate_dbt_project.py: dbt-project-evaluator on a scratch copy of the project.

The evaluator is not a dependency and CI cannot download it, so these tests check the script's contract (how to get
the evaluator, a reason for every kept finding); its findings are run by hand (`--strict` exits 1 on any finding left).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from types import ModuleType

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
