"""Publishing a build: what readers (Superset, the demo's headline table, users) see changes only here, in one
step, and only to the results of a complete, successful build."""

from support_kpis.publishing.duckdb_file import BUILD_TABLE, PublishedBuild, publish_duckdb
from support_kpis.publishing.run_log import NothingToPublish

__all__ = ["BUILD_TABLE", "NothingToPublish", "PublishedBuild", "publish_duckdb"]
