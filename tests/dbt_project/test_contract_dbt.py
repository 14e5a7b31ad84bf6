"""The staging YAML and the sources are generated from the data contract, and the contract's facts hold together."""

from __future__ import annotations

from support_kpis.contract import TABLES
from support_kpis.contract_dbt import COMMAND, rendered_files, staging_column, staging_document
from support_kpis.settings import PROJECT_ROOT


def test_the_generated_dbt_yaml_is_current() -> None:
    for path, text in rendered_files().items():
        name = path.relative_to(PROJECT_ROOT)
        assert path.read_text(encoding="utf-8") == text, f"{name} is stale: run `{COMMAND}`"


def test_every_foreign_key_references_a_primary_key() -> None:
    for table in TABLES.values():
        for key in table.foreign_keys:
            assert key.column in table.column_names, f"{table.name}.{key.column}"
            assert TABLES[key.table].primary_key == (key.references,), f"{table.name}.{key.column} -> {key.table}"


def test_tables_with_events_say_which_columns_date_them() -> None:
    for table in TABLES.values():
        dated = table.delivery != "snapshot"
        assert bool(table.recency_columns) == dated, table.name
        assert not (dated and table.is_configuration), table.name
        for name in table.recency_columns:
            assert table.column(name).type in ("timestamp", "date", "month"), f"{table.name}.{name}"


def test_every_staging_model_tests_its_primary_key_and_its_references() -> None:
    models = {model["name"]: model for model in staging_document()["models"]}
    for table in TABLES.values():
        model = models[f"stg_{table.name}"]
        tests = {column["name"]: column.get("data_tests", []) for column in model["columns"]}
        names = {name: [t if isinstance(t, str) else next(iter(t)) for t in found] for name, found in tests.items()}
        if len(table.primary_key) == 1:
            (key,) = table.primary_key
            assert {"unique", "not_null"} <= set(names[staging_column(table.name, key)]), model["name"]
        else:
            (compound,) = model["data_tests"]
            assert "unique_combination_of_columns" in compound, model["name"]
        references = sum(1 for found in names.values() for name in found if name.startswith("relationships"))
        assert references == len(table.foreign_keys), model["name"]
