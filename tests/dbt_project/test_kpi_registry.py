"""The KPI registry rejects what its readers would misread, in Python and in dbt, and custom models name no KPI id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support_kpis.kpi_registry import REGISTRY_FILE, RegistryError, load_registry, parse_registry
from support_kpis.settings import PROJECT_ROOT
from tests.dbt_project.dbt_projects import dbt, scratch_copy

REGISTRY_TEXT = REGISTRY_FILE.read_text(encoding="utf-8")
TYPO_KPI = "resolved_within_target_pct"


def _with_typo(text: str) -> str:
    """The registry with `denominator:` of one KPI misspelt `denominater:`."""
    start = text.index(f"  - id: {TYPO_KPI}\n")
    at = text.index('    denominator: "1"\n', start)
    return text[:at] + '    denominater: "1"\n' + text[at + len('    denominator: "1"\n') :]


def _edited(old: str, new: str) -> str:
    assert REGISTRY_TEXT.count(old) == 1, old
    return REGISTRY_TEXT.replace(old, new)


def test_the_committed_registry_parses() -> None:
    registry = load_registry()
    assert len(registry.kpis) >= 50
    # Shared measures reach every KPI naming them, fully spelled out.
    shared = [kpi for kpi in registry.kpis if kpi.measure == "first_response_minutes"]
    assert {kpi.aggregation for kpi in shared} == {"median", "mean", "p90"}
    assert {(kpi.model, kpi.attributed_at, kpi.where, kpi.value) for kpi in shared} == {
        (
            "fct_tickets",
            "created_at",
            "not is_agent_initiated and first_response_at is not null",
            "first_response_minutes",
        )
    }


def test_python_rejects_an_unknown_key_naming_the_kpi_and_the_key() -> None:
    with pytest.raises(RegistryError, match=rf"KPI {TYPO_KPI} has unknown key\(s\) denominater"):
        parse_registry(_with_typo(REGISTRY_TEXT))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    value: first_resolution_hours\n\nkpis:",
            "    value: first_resolution_hours\n    wher: true\n\nkpis:",
            r"measure first_resolution_hours has unknown key\(s\) wher",
        ),
        (
            "    aggregation: p90\n    measure: first_response_minutes\n",
            "    aggregation: p90\n    measure: first_response_minutes\n    where: true\n",
            r"KPI first_response_time_p90_minutes sets where, which its measure first_response_minutes already",
        ),
        (
            "    aggregation: p90\n    measure: first_response_minutes\n",
            "    aggregation: p90\n    measure: first_response_minute\n",
            r"KPI first_response_time_p90_minutes names an unknown measure first_response_minute",
        ),
        (
            "    distinct: agent_id\n",
            "",
            r"KPI active_agents \(count_distinct\) needs distinct",
        ),
        (
            "    value: live_articles\n    sample: live_articles\n    custom_because: >-\n",
            "    value: live_articles\n    sample: live_articles\n    formula_note: >-\n",
            r"KPI kb_articles_live has unknown key\(s\) formula_note",
        ),
        (
            "    plus: public_agent_reply_count > 3\n",
            "    plus: public_agent_reply_count > 3\n    value: public_agent_reply_count\n",
            r"KPI ces_interaction_net: value do\(es\) not apply to aggregation net",
        ),
        (
            "\nmeasures:\n",
            "\nmeasure:\n",
            r"the registry has unknown key\(s\) measure",
        ),
        (
            "    needs: [bot_replies]\n",
            "    needs: [bot_reply]\n",
            r"KPI bot_resolution_pct needs unknown input\(s\) bot_reply",
        ),
        (
            "    bot_replies: Zendesk ticket comments",
            "    bot_messages: Zendesk ticket comments",
            r"source_gaps.zendesk names unknown input\(s\) bot_messages",
        ),
    ],
    ids=[
        "measure-typo",
        "measure-repeated",
        "unknown-measure",
        "missing-field",
        "custom-typo",
        "unused",
        "section",
        "unknown-need",
        "unknown-gap",
    ],
)
def test_python_rejects_what_it_would_misread(old: str, new: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_registry(_edited(old, new))


def test_a_source_gap_makes_exactly_the_kpis_needing_it_unavailable() -> None:
    registry = load_registry()
    bot = registry.kpi("bot_resolution_pct")
    assert registry.unavailable_reason(bot, "zendesk") == registry.source_gaps["zendesk"]["bot_replies"]
    assert registry.unavailable_reason(bot, "contract") is None
    assert registry.unavailable_reason(registry.kpi("csat_pct"), "zendesk") is None


def _scratch_project(tmp_path: Path, registry_text: str) -> Path:
    """A copy of the dbt project (no data, no target) with another registry."""
    project = scratch_copy(tmp_path / "project")
    (project / REGISTRY_FILE.relative_to(PROJECT_ROOT)).write_text(registry_text, encoding="utf-8")
    return project


def test_dbt_parse_rejects_an_unknown_key_naming_the_kpi_and_the_key(tmp_path: Path) -> None:
    # `dbt parse` renders every model, so the macro's check runs without a warehouse or a build.
    project = _scratch_project(tmp_path, _with_typo(REGISTRY_TEXT))
    result = dbt(project, "parse", warehouse=project / "unused.duckdb", target_dir=project / "target")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"KPI {TYPO_KPI} has unknown key(s) denominater" in output


def _custom_model_files() -> dict[str, Path]:
    models = {kpi.model for kpi in load_registry().kpis if kpi.aggregation == "custom"}
    files = {path.stem: path for path in (PROJECT_ROOT / "models").glob("**/*.sql") if path.stem in models}
    assert set(files) == models, f"custom models without a SQL file: {sorted(models - set(files))}"
    return files


def test_custom_models_name_no_kpi_id() -> None:
    """The registry maps a custom model's columns to its KPIs: the model's SQL never spells a KPI id."""
    ids = load_registry().ids
    problems = []
    for name, path in sorted(_custom_model_files().items()):
        sql = path.read_text(encoding="utf-8")
        for kpi_id in ids:
            if re.search(rf"""['"`]{re.escape(kpi_id)}['"`]""", sql):
                problems.append(f"{name}: '{kpi_id}'")
    assert not problems, "KPI ids as string literals in custom models (map columns in the registry):\n" + "\n".join(
        problems
    )
