"""A DuckDB transaction whose failure is reported as it happened, never as a failed rollback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

import duckdb


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction: committed at its end, rolled back when it (or the commit) fails."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        # A COMMIT that fails (a full disk, a file size limit) has already ended the transaction, and DuckDB ends
        # it itself on some errors: ROLLBACK then raises "no transaction is active", which must not replace the
        # error that matters.
        with suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
