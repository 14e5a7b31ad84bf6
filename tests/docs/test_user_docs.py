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


LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:, ...


def _unfenced(text: str) -> str:
    """The Markdown outside fenced code blocks."""
    return re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.MULTILINE | re.DOTALL)


def _prose(text: str) -> str:
    """The Markdown outside fenced code blocks and inline code, where a link is a link."""
    return re.sub(r"`[^`\n]*`", "", _unfenced(text))


def anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2... for repeats."""
    seen: dict[str, int] = {}
    result = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", _unfenced(text), flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def test_anchor_slugs_follow_github() -> None:
    text = "# What is not in them (yet)\n## Open them\n## Open them\n```\n# not a heading\n```\n### `kpi_values`\n"
    assert anchors(text) == {"what-is-not-in-them-yet", "open-them", "open-them-1", "kpi_values"}


def test_every_link_in_the_docs_resolves_inside_the_repository() -> None:
    docs = sorted((PROJECT_ROOT / "docs").rglob("*.md"))
    assert {"README.md", "ci.md", "dashboards.md"} <= {path.name for path in docs}
    broken = []
    for page in docs:
        text = page.read_text(encoding="utf-8")
        for target in LINK.findall(_prose(text)):
            if EXTERNAL.match(target):
                continue
            path_part, _, anchor = target.partition("#")
            linked = (page.parent / path_part).resolve() if path_part else page
            where = f"{page.relative_to(PROJECT_ROOT)}: ({target})"
            if not linked.is_relative_to(PROJECT_ROOT):
                broken.append(f"{where} points outside the repository")
            elif not linked.exists():
                broken.append(f"{where} names a file that does not exist")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text(encoding="utf-8")):
                broken.append(f"{where} names a heading that does not exist")
    assert broken == []
