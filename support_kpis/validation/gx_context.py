"""The Great Expectations side of a run: an ephemeral context, one checkpoint per table, Data Docs on disk.

Nothing GX needs is kept in the repository besides the suites: stores live in memory for the run, and the only
files written are the Data Docs site.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import great_expectations as gx
from great_expectations.checkpoint import Checkpoint
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from support_kpis.validation.suites import Suite

DATASOURCE = "raw"
BATCH_DEFINITION = "batch"
DATA_DOCS_SITE = "support_kpis"
# Every failing row, named by where it came from, so it can be set aside; no pandas query string. A file row
# repeats across appended batches: `_loaded_at` (the batch) and `_source_row` name one raw row (outcome.RowId).
RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": ["_source_file", "_source_row", "_loaded_at"],
    "return_unexpected_index_query": False,
    "partial_unexpected_count": 5,
}


def open_context(data_docs_dir: Path) -> AbstractDataContext:
    """A fresh ephemeral context whose Data Docs site is `data_docs_dir` (emptied first)."""
    if data_docs_dir.exists():
        shutil.rmtree(data_docs_dir)
    data_docs_dir.mkdir(parents=True)
    defaults = InMemoryStoreBackendDefaults(init_temp_docs_sites=False)
    stores = dict(defaults.stores)
    stores[defaults.validation_results_store_name] = {
        "class_name": "TrimmedValidationResultsStore",
        "module_name": "support_kpis.validation.results_store",
    }
    config = DataContextConfig(
        store_backend_defaults=defaults,
        stores=stores,
        data_docs_sites={
            DATA_DOCS_SITE: {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    # GX rejects a relative base directory.
                    "base_directory": str(data_docs_dir.resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.data_sources.add_pandas(DATASOURCE)
    return context


def add_checkpoint(context: AbstractDataContext, suite: Suite) -> Checkpoint:
    """The table's checkpoint: its suite over a dataframe batch of raw.<table>, handed in at run time."""
    datasource = context.data_sources.get(DATASOURCE)
    asset = datasource.add_dataframe_asset(suite.name)  # type: ignore[attr-defined]
    batch_definition = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
    gx_suite = context.suites.add(suite.to_gx())
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
    )
    return context.checkpoints.add(
        Checkpoint(name=suite.name, validation_definitions=[definition], actions=[], result_format=RESULT_FORMAT)
    )


def build_data_docs(context: AbstractDataContext, data_docs_dir: Path) -> Path:
    context.build_data_docs(site_names=[DATA_DOCS_SITE])
    return data_docs_dir / "index.html"
