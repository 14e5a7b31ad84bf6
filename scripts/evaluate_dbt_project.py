"""Run dbt Labs' dbt-project-evaluator on this project and print its findings.

The evaluator is a dbt package that reads the project's graph (models, tests, sources, docs) and reports what
departs from dbt Labs' best practices. It is not a dependency of support-kpis: this script copies the dbt project
into a throw-away folder, installs the evaluator there as a `local:` package, builds it against a throw-away DuckDB
(holding a tiny generated sample: the project's on-run-start hook refuses a warehouse without raw data) and prints
one line per rule (the evaluator's fct_ tables) with the number of findings, then the findings.

    git clone https://github.com/dbt-labs/dbt-project-evaluator /somewhere/dbt-project-evaluator
    DBT_PROJECT_EVALUATOR_PATH=/somewhere/dbt-project-evaluator .venv/bin/python scripts/evaluate_dbt_project.py

`dbt deps` resolves the evaluator's own dependency (dbt-utils) from dbt Hub unless its packages.yml says otherwise.
Findings the project keeps on purpose are listed, with the reason, in scripts/dbt_project_evaluator_exceptions.csv
(the evaluator's exceptions seed; it lives here, not in seeds/, so `dbt build` never loads it into a warehouse).
Exit status: 0 when the evaluator ran (1 with --strict when any finding remains), 2 when it could not run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS_FILE = Path(__file__).resolve().with_name("dbt_project_evaluator_exceptions.csv")
EXCEPTIONS_SEED = "dbt_project_evaluator_exceptions"
EVALUATOR_PACKAGE = "dbt_project_evaluator"
ENV_VAR = "DBT_PROJECT_EVALUATOR_PATH"
HOW_TO_GET_IT = (
    f"dbt-project-evaluator is not installed with support-kpis. Clone it and point {ENV_VAR} (or --evaluator) at it:\n"
    "    git clone https://github.com/dbt-labs/dbt-project-evaluator\n"
    f"    {ENV_VAR}=$PWD/dbt-project-evaluator .venv/bin/python scripts/evaluate_dbt_project.py"
)
# The evaluator's own summary tables: one row of percentages, a finding only when under the target.
COVERAGE_RULES = {"fct_test_coverage": "test_coverage_pct", "fct_documentation_coverage": "documentation_coverage_pct"}


def primary_key_test_macros(project_name: str) -> list[list[str]]:
    """unique + not_null on one column, or the project's own unique_combination_of_columns (it uses no packages,
    so not dbt_utils'), as the evaluator's var primary_key_test_macros."""
    return [["dbt.test_unique", "dbt.test_not_null"], [f"{project_name}.test_unique_combination_of_columns"]]


class EvaluatorError(Exception):
    """The evaluator could not run; the message says why."""


@dataclass(frozen=True)
class Rule:
    name: str
    findings: int
    detail: str
    rows: list[dict[str, Any]]


def evaluator_path(given: str | None) -> Path:
    raw = given or os.environ.get(ENV_VAR)
    if not raw:
        raise EvaluatorError(HOW_TO_GET_IT)
    path = Path(raw).expanduser().resolve()
    project_file = path / "dbt_project.yml"
    if not project_file.is_file() or yaml.safe_load(project_file.read_text()).get("name") != EVALUATOR_PACKAGE:
        problem = f"{path} is not a dbt-project-evaluator clone (no dbt_project.yml named {EVALUATOR_PACKAGE})"
        raise EvaluatorError(f"{problem}.\n{HOW_TO_GET_IT}")
    return path


def copy_project(scratch: Path) -> Path:
    """Copy what dbt reads (project file, profile, the dbt paths it names) into scratch/project."""
    project = scratch / "project"
    project.mkdir()
    config = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    for name in ("dbt_project.yml", "profiles.yml", "packages.yml", "dependencies.yml"):
        if (PROJECT_ROOT / name).is_file():
            shutil.copy2(PROJECT_ROOT / name, project / name)
    for key in ("model-paths", "macro-paths", "seed-paths", "test-paths", "analysis-paths", "snapshot-paths"):
        for folder in config.get(key, []):
            if (PROJECT_ROOT / folder).is_dir():
                shutil.copytree(PROJECT_ROOT / folder, project / folder)
    return project


def configure_copy(project: Path, evaluator: Path) -> None:
    """Add the evaluator as a local package, its DuckDB dispatch, our primary-key macros and our exceptions."""
    packages_file = project / "packages.yml"
    packages = yaml.safe_load(packages_file.read_text()) if packages_file.exists() else None
    packages = packages or {"packages": []}
    packages["packages"].append({"local": str(evaluator)})
    packages_file.write_text(yaml.safe_dump(packages, sort_keys=False))

    config_file = project / "dbt_project.yml"
    config = yaml.safe_load(config_file.read_text())
    # DuckDB needs the evaluator's versions of a few dbt macros (its README).
    config.setdefault("dispatch", []).append({"macro_namespace": "dbt", "search_order": [EVALUATOR_PACKAGE, "dbt"]})
    evaluator_vars = {"primary_key_test_macros": primary_key_test_macros(config["name"])}
    config.setdefault("vars", {})[EVALUATOR_PACKAGE] = evaluator_vars
    seed_paths = config.get("seed-paths", ["seeds"])
    shutil.copy2(EXCEPTIONS_FILE, project / seed_paths[0] / f"{EXCEPTIONS_SEED}.csv")
    seeds = config.setdefault("seeds", {})
    seeds.setdefault(EVALUATOR_PACKAGE, {})[EXCEPTIONS_SEED] = {"+enabled": False}
    # Ours replaces the package's empty one; it belongs to the evaluation, not to the product's config schema.
    text = {column: "varchar" for column in ("fct_name", "column_name", "id_to_exclude", "comment")}
    seeds.setdefault(config["name"], {})[EXCEPTIONS_SEED] = {"+schema": EVALUATOR_PACKAGE, "+column_types": text}
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))


def executable(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise EvaluatorError(f"`{name}` not found: run this with the project's virtualenv (.venv/bin/python)")
    return found


def run(command: Sequence[str], *, cwd: Path, env: dict[str, str], log: Path) -> None:
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"$ {' '.join(command)}\n")
        handle.flush()
        result = subprocess.run(command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-40:])
        raise EvaluatorError(f"`{' '.join(command[:2])} ...` failed (exit {result.returncode}); log {log}:\n{tail}")


def build_evaluator(project: Path, scratch: Path) -> Path:
    """Load a tiny generated sample (the project's on-run-start guard wants raw data), then build the evaluator."""
    warehouse = scratch / "evaluator.duckdb"
    log = scratch / "evaluator.log"
    env = dict(os.environ)
    env.update(
        SUPPORT_KPIS_DUCKDB=str(warehouse),
        DBT_TARGET_PATH=str(project / "target"),
        DBT_LOG_PATH=str(project / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    cli = executable("support-kpis")
    run([cli, "generate", "--tickets", "20", "--out", str(scratch / "data")], cwd=project, env=env, log=log)
    run([cli, "load", str(scratch / "data"), "--warehouse", str(warehouse)], cwd=project, env=env, log=log)
    dbt = [executable("dbt")]
    dirs = ["--project-dir", str(project), "--profiles-dir", str(project)]
    run([*dbt, "deps", *dirs], cwd=project, env=env, log=log)
    selection = ["--select", f"package:{EVALUATOR_PACKAGE}", EXCEPTIONS_SEED]
    run([*dbt, "build", *selection, *dirs], cwd=project, env=env, log=log)
    return warehouse


def read_rules(project: Path, warehouse: Path) -> list[Rule]:
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    statuses = {result["unique_id"]: result["status"] for result in results}
    evaluator_models = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == EVALUATOR_PACKAGE
    ]
    # The rules are the evaluator's fct_ models: each row is a finding (coverage models aside).
    tables = {
        node["name"]: f'"{node["schema"]}"."{node["alias"]}"'
        for node in evaluator_models
        if node["name"].startswith("fct_")
    }
    # A coverage rule is broken when its test (a minimum on the percentage) is not passing.
    failing_tests = {
        parent.split(".")[-1]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and statuses.get(node["unique_id"]) in ("warn", "fail", "error")
        for parent in node["depends_on"]["nodes"]
    }
    rules = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name, relation in sorted(tables.items()):
            cursor = con.execute(f"select * from {relation}")
            columns = [column[0] for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            if name in COVERAGE_RULES:
                pct = rows[0][COVERAGE_RULES[name]] if rows else None
                findings = 1 if name in failing_tests else 0
                rules.append(Rule(name, findings, f"{pct}%", rows))
            else:
                rules.append(Rule(name, len(rows), "", rows))
    return rules


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def report(rules: list[Rule]) -> str:
    width = max(len(rule.name) for rule in rules)
    lines = [f"{'rule':<{width}}  findings", f"{'-' * width}  --------"]
    lines += [f"{rule.name:<{width}}  {rule.findings:>8}  {rule.detail}".rstrip() for rule in rules]
    lines.append(f"{'total':<{width}}  {sum(rule.findings for rule in rules):>8}")
    for rule in rules:
        if not rule.findings:
            continue
        lines += ["", f"== {rule.name} ({rule.findings})"]
        for row in rule.rows:
            lines.append("  " + "  ".join(f"{key}={_cell(value)}" for key, value in row.items() if value is not None))
    return "\n".join(lines)


def kept_findings() -> list[dict[str, str]]:
    with EXCEPTIONS_FILE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def report_kept(kept: list[dict[str, str]]) -> str:
    lines = ["", f"Kept on purpose ({EXCEPTIONS_FILE.relative_to(PROJECT_ROOT)}, not counted above):"]
    for row in kept:
        lines.append(f"  {row['fct_name']}: {row['column_name']} like {row['id_to_exclude']}: {row['comment']}")
    return "\n".join(lines)


def evaluate(evaluator: Path, scratch: Path) -> list[Rule]:
    """Copy the project into `scratch`, build the evaluator there and read its rules."""
    project = copy_project(scratch)
    configure_copy(project, evaluator)
    warehouse = build_evaluator(project, scratch)
    return read_rules(project, warehouse)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluator", metavar="PATH", help=f"dbt-project-evaluator clone (default: ${ENV_VAR})")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy and say where it is")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any finding remains")
    args = parser.parse_args(argv)
    try:
        evaluator = evaluator_path(args.evaluator)
    except EvaluatorError as error:
        print(f"evaluate_dbt_project: {error}", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="support-kpis-evaluator-"))
    try:
        rules = evaluate(evaluator, scratch)
    except EvaluatorError as error:
        print(f"evaluate_dbt_project: {error}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"scratch copy kept in {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print(report(rules))
    print(report_kept(kept_findings()))
    return 1 if args.strict and any(rule.findings for rule in rules) else 0


if __name__ == "__main__":
    sys.exit(main())
