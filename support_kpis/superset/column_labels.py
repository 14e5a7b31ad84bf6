"""The label Superset shows for a column (its `verbose_name`): words a support lead reads, from the column name.

Table headers, axis titles, tooltips and filter pickers show the label; queries, filters and the API keep the
column name. Acronyms are spelled as support teams write them, a unit at the end of the name becomes a
parenthesised unit, and `is_` / `_name` / `_label` wrappers are dropped ("is_ranked" → "Ranked", "agent_name" → "Agent",
"change_label" → "Change").
"""

from __future__ import annotations

from support_kpis.superset.metrics import UNIT_LABELS

ACRONYMS: dict[str, str] = {
    "id": "ID",
    "csat": "CSAT",
    "nps": "NPS",
    "ces": "CES",
    "sla": "SLA",
    "fcr": "FCR",
    "kb": "KB",
    "mrr": "MRR",
    "arpa": "ARPA",
    "kpi": "KPI",
    "utc": "UTC",
    "p90": "p90",
}
# Unit words a column name ends with, written as the charts write units ("leaderboard_score" names a score: not one).
UNITS: dict[str, str] = {word: UNIT_LABELS[word] for word in ("pct", "minutes", "hours", "days")} | {
    "seconds": "seconds"
}


def column_label(name: str) -> str:
    words = [word for word in name.split("_") if word]
    if len(words) > 1 and words[0] in ("is", "has"):
        words = words[1:]
    if len(words) > 1 and words[-1] in ("name", "label"):
        words = words[:-1]
    unit = UNITS.get(words[-1]) if len(words) > 1 else None
    if unit:
        words = words[:-1]
    shown = [ACRONYMS.get(word, word) for word in words]
    # "status_at_as_of": the state at the as-of time.
    text = " ".join(shown).replace(" as of", " the as-of time")
    text = text[0].upper() + text[1:] if text else name
    return f"{text} ({unit})" if unit else text
