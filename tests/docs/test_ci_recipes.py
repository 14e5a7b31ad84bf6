"""The CI recipes users copy (docs/ci/): both run the same steps, every `support-kpis` line parses with the real
CLI, and the steps, run as the pipeline runs them (one after the other, stopping at the first failure), pass a
generated sample through load -> validate -> build and stop a broken folder at the data-quality gate."""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml

from support_kpis.cli import build_parser, main
from support_kpis.settings import PROJECT_ROOT, published_path

RECIPES = PROJECT_ROOT / "docs" / "ci"
CLI = "support-kpis"


@dataclass(frozen=True)
class Recipe:
    name: str
    variables: dict[str, str]
    lines: list[str]  # every shell line the pipeline runs, in order
    report_artifact_always: bool  # the validation report is uploaded even when a step failed
    artifacts: list[str]  # uploaded paths, variables expanded

    @property
    def cli_lines(self) -> list[str]:
        return [line for line in self.lines if line.split()[0] == CLI]

    def expand(self, text: str) -> str:
        """${{ env.X }} (GitHub), $X and ${X} (shell, GitLab) with the recipe's variables."""
        text = re.sub(r"\$\{\{\s*env\.(\w+)\s*\}\}", lambda m: self.variables[m[1]], text)
        return re.sub(r"\$\{?(\w+)\}?", lambda m: self.variables.get(m[1], m[0]), text)


def _shell_lines(script: str) -> list[str]:
    return [line.strip() for line in script.splitlines() if line.strip() and not line.strip().startswith("#")]


def github_recipe() -> Recipe:
    workflow = yaml.safe_load((RECIPES / "github-actions.yml").read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    variables = {key: str(value) for key, value in workflow["env"].items()}
    lines = [line for step in steps if "run" in step for line in _shell_lines(step["run"])]
    uploads = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    recipe = Recipe("github", variables, lines, False, [])
    report = [u for u in uploads if recipe.expand(u["with"]["path"]).rstrip("/") == variables["REPORT_DIR"]]
    return Recipe(
        "github",
        variables,
        lines,
        bool(report) and all(u.get("if") == "always()" for u in report),
        sorted(recipe.expand(u["with"]["path"]).rstrip("/") for u in uploads),
    )


def gitlab_recipe() -> Recipe:
    pipeline = yaml.safe_load((RECIPES / "gitlab-ci.yml").read_text(encoding="utf-8"))
    variables = {key: str(value) for key, value in pipeline["variables"].items()}
    (job,) = [value for key, value in pipeline.items() if isinstance(value, dict) and "script" in value]
    lines = [line for part in ("before_script", "script") for item in job.get(part, []) for line in _shell_lines(item)]
    recipe = Recipe("gitlab", variables, lines, False, [])
    artifacts = job["artifacts"]
    return Recipe(
        "gitlab",
        variables,
        lines,
        artifacts.get("when") == "always",
        sorted(recipe.expand(path).rstrip("/") for path in artifacts["paths"]),
    )


RECIPE_FILES = {"github": github_recipe, "gitlab": gitlab_recipe}


def test_both_recipes_run_the_same_steps_and_keep_the_report() -> None:
    github, gitlab = github_recipe(), gitlab_recipe()
    # The same support-kpis commands, word for word, in the same order: load, then the gate, then dbt build.
    assert github.cli_lines == gitlab.cli_lines
    assert [line.split()[1] for line in github.cli_lines] == ["load", "validate", "build"]
    # The same install (from the checkout, pinned by its constraints, with the validation extra) ...
    installs = [[line for line in recipe.lines if "pip install" in line] for recipe in (github, gitlab)]
    assert installs[0] == installs[1]
    assert any("-c .support-kpis/constraints.txt" in line and "[validation]" in line for line in installs[0])
    # ... of the same checkout: GitHub's checkout step and GitLab's clone put support-kpis in .support-kpis.
    workflow = yaml.safe_load((RECIPES / "github-actions.yml").read_text(encoding="utf-8"))
    checkouts = [s for job in workflow["jobs"].values() for s in job["steps"] if "repository" in s.get("with", {})]
    assert [step["with"]["path"] for step in checkouts] == [".support-kpis"]
    assert [line.split()[-1] for line in gitlab.lines if line.startswith("git clone")] == [".support-kpis"]
    # ... with the same settings, apart from how each CI names the support-kpis repository.
    shared = ("SUPPORT_KPIS_REF", "DATA_DIR", "WAREHOUSE", "REPORT_DIR")
    assert {key: github.variables[key] for key in shared} == {key: gitlab.variables[key] for key in shared}
    # Both keep the validation report even when the gate fails, and the published results.
    assert github.report_artifact_always and gitlab.report_artifact_always
    published = published_path(Path(github.variables["WAREHOUSE"])).as_posix()
    assert github.artifacts == gitlab.artifacts == sorted([github.variables["REPORT_DIR"], published])


@pytest.mark.parametrize("name", sorted(RECIPE_FILES))
def test_every_command_line_parses_with_the_real_cli(name: str) -> None:
    recipe = RECIPE_FILES[name]()
    parser = build_parser()
    parsed = {}
    for line in recipe.cli_lines:
        argv = shlex.split(recipe.expand(line))[1:]
        try:
            parsed[argv[0]] = parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"{name}: `{line}` does not parse with support-kpis' argument parser")
    warehouse = Path(recipe.variables["WAREHOUSE"])
    assert parsed["load"].dir == Path(recipe.variables["DATA_DIR"])
    assert parsed["load"].warehouse == parsed["validate"].warehouse == parsed["build"].warehouse == warehouse
    # Errors fail the pipeline, rows set aside by an error rule included; warnings do not (no flag for them).
    assert parsed["validate"].fail_on_quarantine and not parsed["validate"].no_quarantine
    assert parsed["validate"].report_dir == Path(recipe.variables["REPORT_DIR"])


# ---------------------------------------------------------------- running the steps


@dataclass(frozen=True)
class StepRun:
    line: str
    exit_code: int
    output: str


def run_pipeline(recipe: Recipe, workspace: Path) -> list[StepRun]:
    """Run the recipe's support-kpis lines in `workspace` as CI does: its variables in the environment, each line in
    a shell, stopping at the first that fails. The install lines are left out: this environment has support-kpis."""
    environment = {
        **os.environ,
        **recipe.variables,
        # dbt's target folder of this run, not the repository's (other tests may be building).
        "SUPPORT_KPIS_DBT_TARGET": str(workspace / "dbt-target"),
    }
    # `support-kpis` is this interpreter's CLI, whatever is on PATH.
    define = f'{CLI}() {{ {shlex.quote(sys.executable)} -m support_kpis.cli "$@"; }}'
    runs: list[StepRun] = []
    for line in recipe.cli_lines:
        done = subprocess.run(
            ["bash", "-c", f"{define}\n{line}"],
            cwd=workspace,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
        )
        runs.append(StepRun(line, done.returncode, done.stdout + done.stderr))
        if done.returncode != 0:
            break
    return runs


def _workspace(tmp_path: Path, name: str, recipe: Recipe, data: Path) -> Path:
    """A checkout of the user's repository: their data folder where the recipe's DATA_DIR says."""
    workspace = tmp_path / name
    shutil.copytree(data, workspace / recipe.variables["DATA_DIR"])
    return workspace


def _break(folder: Path) -> None:
    """Append an event of a ticket that does not exist: an error-level rule (orphan_event) sets it aside."""
    path = folder / "ticket_events.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    orphan = {**rows[-1], "event_id": "ci-recipe-orphan", "ticket_id": "NO-SUCH-TICKET"}
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(rows[0])).writerow(orphan)


def test_the_recipe_builds_good_data_and_stops_broken_data_at_the_gate(tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    assert main(["generate", "--tickets", "300", "--seed", "7", "--out", str(sample)]) == 0
    github, gitlab = github_recipe(), gitlab_recipe()

    good = _workspace(tmp_path, "good", github, sample)
    runs = run_pipeline(github, good)
    assert [(run.line, run.exit_code) for run in runs] == [(line, 0) for line in github.cli_lines], runs[-1].output
    published = good / published_path(Path(github.variables["WAREHOUSE"]))
    with duckdb.connect(str(published), read_only=True) as con:
        (tickets,) = con.execute("select count(*) from fct_tickets").fetchone()
        (kpi_rows,) = con.execute("select count(*) from kpi_values").fetchone()
    assert tickets == 300 and kpi_rows > 0
    result = json.loads((good / github.variables["REPORT_DIR"] / "result.json").read_text(encoding="utf-8"))
    assert result  # the artifact the recipe uploads
    assert (good / github.variables["REPORT_DIR"] / "data_docs" / "index.html").is_file()

    broken = _workspace(tmp_path, "broken", gitlab, sample)
    _break(broken / gitlab.variables["DATA_DIR"])
    runs = run_pipeline(gitlab, broken)
    # load passes (the row is read), the gate fails the pipeline with exit 1, and dbt build never runs.
    assert [run.exit_code for run in runs] == [0, 1]
    assert runs[-1].line.split()[1] == "validate"
    assert "orphan_event" in runs[-1].output
    assert not (broken / published_path(Path(gitlab.variables["WAREHOUSE"]))).exists()
    # The report is there to upload all the same.
    assert (broken / gitlab.variables["REPORT_DIR"] / "result.json").is_file()
