"""The few SQL spellings that differ between the warehouses the bundle targets.

Metric SQL is written once (see `metrics`); what differs between DuckDB and
Postgres lives here, so another warehouse is one more `Dialect`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str
    # sqlglot's name for it (the bundle tests parse every metric with it).
    sqlglot_name: str
    # Column types as Superset shows them; the generic kind is what matters to it.
    type_names: dict[str, str]
    # 'N Day' and a zero-padded hour, so that an alphabetical sort is the natural order.
    weekday_template: str
    hour_template: str

    def percentile(self, fraction: float, expression: str) -> str:
        # The ordered-set aggregate form is standard SQL, valid in DuckDB and Postgres.
        return f"percentile_cont({fraction}) within group (order by {expression})"

    def weekday(self, timestamp_column: str) -> str:
        return self.weekday_template.format(column=timestamp_column)

    def hour(self, timestamp_column: str) -> str:
        return self.hour_template.format(column=timestamp_column)

    def type_name(self, kind: str) -> str:
        return self.type_names[kind]


# A weekday as that day of one Monday-to-Sunday week (2024-01-01 was a Monday): a timestamp that charts write as
# "Mon" and order Monday first, where a text weekday needs a sort prefix ("1 Mon").
WEEKDAY_IN_REFERENCE_WEEK = (
    "cast(date '2024-01-01' + (cast(extract(isodow from {column}) as integer) - 1) as timestamp)"
)

DUCKDB = Dialect(
    name="duckdb",
    sqlglot_name="duckdb",
    type_names={
        "timestamp": "TIMESTAMP",
        "date": "DATE",
        "boolean": "BOOLEAN",
        "integer": "BIGINT",
        "number": "DOUBLE",
        "string": "VARCHAR",
    },
    weekday_template=WEEKDAY_IN_REFERENCE_WEEK,
    hour_template="strftime({column}, '%H')",
)

POSTGRES = Dialect(
    name="postgres",
    sqlglot_name="postgres",
    type_names={
        "timestamp": "TIMESTAMP WITHOUT TIME ZONE",
        "date": "DATE",
        "boolean": "BOOLEAN",
        "integer": "BIGINT",
        "number": "DOUBLE PRECISION",
        "string": "TEXT",
    },
    weekday_template=WEEKDAY_IN_REFERENCE_WEEK,
    hour_template="to_char({column}, 'HH24')",
)

DIALECTS: dict[str, Dialect] = {dialect.name: dialect for dialect in (DUCKDB, POSTGRES)}


def dialect_named(name: str) -> Dialect:
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"unknown dialect {name!r} (known: {', '.join(DIALECTS)})") from None
