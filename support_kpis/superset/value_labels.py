"""Words for the values of coded columns (`feature_request` → "Feature request", `smb` → "SMB").

The marts keep the codes: `kpi_values.dimension_value`, dbt tests and every query outside Superset match on them.
Superset shows words instead through a calculated column per coded column (`channel_label` beside `channel`),
which charts group by, tables list and select filters offer. A value is written as a sentence-case phrase
(underscores become spaces), except the few whose code is an acronym; a value a user's data brings that is not
listed here gets the same rule, so nothing is left as a code.
"""

from __future__ import annotations

from collections.abc import Iterable

LABEL_SUFFIX = "_label"

# Coded columns of the marts charts and tables show: contract enums, and the dimensions users fill with codes.
CODED_COLUMNS: tuple[str, ...] = (
    "channel",
    "priority",
    "category",
    "team",
    "product",
    "segment",
    "region",
    "status",
    "status_at_as_of",
    "sla_metric",
    "target_source",
    "sla_policy_priority",
    "sla_policy_channel",
)

# Values not written by the sentence-case rule.
WORDS: dict[str, str] = {
    "smb": "SMB",
    "mid_market": "Mid-market",
    "emea": "EMEA",
    "apac": "APAC",
    "latam": "LATAM",
    # An SLA policy for every channel.
    "*": "Any",
}


def label_column(column: str) -> str:
    return f"{column}{LABEL_SUFFIX}"


def value_label(value: str) -> str:
    """The words for `value`: what the SQL of `label_expression` computes, for tests and docs."""
    if value in WORDS:
        return WORDS[value]
    spaced = value.replace("_", " ")
    return spaced[:1].upper() + spaced[1:]


def label_expression(column: str) -> str:
    """Portable SQL (DuckDB, Postgres) for `value_label` of `column`; null stays null."""
    listed = " ".join(f"when '{code}' then '{words}'" for code, words in WORDS.items())
    sentence = f"upper(substr({column}, 1, 1)) || replace(substr({column}, 2), '_', ' ')"
    return f"case {column} {listed} else {sentence} end"


def coded_columns(columns: Iterable[str]) -> list[str]:
    present = set(columns)
    return [column for column in CODED_COLUMNS if column in present]


def shown_column(column: str, dataset_columns: Iterable[str]) -> str:
    """The column a chart shows for `column`: its label column when the dataset has one."""
    labelled = label_column(column)
    return labelled if column in CODED_COLUMNS and labelled in set(dataset_columns) else column
