"""The users' docs live in the repository, are generated where they restate code, and point nowhere outside it."""

from __future__ import annotations

import re
import subprocess

from support_kpis.contract import TABLES
from support_kpis.contract_docs import CONTRACT_DOC, render
from support_kpis.settings import PROJECT_ROOT


def test_the_data_contract_page_is_current_and_names_every_table_and_column() -> None:
    text = CONTRACT_DOC.read_text(encoding="utf-8")
    assert text == render(), "docs/data-contract.md is stale: run `python -m support_kpis.contract_docs`"
    for table in TABLES.values():
        assert f"\n### {table.name}\n" in text
        for column in table.columns:
            assert f"| `{column.name}` |" in text


def test_nothing_in_the_repository_points_outside_it() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    # Spelled in pieces so that this line does not point outside itself.
    outside = re.compile(r"\.\./" + "shared" + "|" + "shared" + "/spec")
    pointing = []
    for name in tracked:
        path = PROJECT_ROOT / name
        if not path.is_file() or path.suffix not in (".md", ".py", ".sql", ".yml", ".yaml", ".json", ".txt", ""):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        pointing += [f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1) if outside.search(line)]
    assert pointing == []
