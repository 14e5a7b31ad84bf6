"""What a load did, per table: the numbers behind raw.table_inventory and the printed summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class TableLoad:
    table: str
    source_file: str | None  # None: no file for this table
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate_exact: int = 0
    rows_superseded: int = 0
    extra_columns: tuple[str, ...] = ()

    @property
    def is_present(self) -> bool:
        return self.source_file is not None

    @property
    def reconciles(self) -> bool:
        """Every row read is accounted for exactly once."""
        accounted = self.rows_loaded + self.rows_quarantined + self.rows_duplicate_exact + self.rows_superseded
        return self.rows_read == accounted


@dataclass(frozen=True)
class LoadReport:
    folder: Path
    warehouse: Path
    source_timezone: str
    loaded_at: datetime  # naive UTC
    tables: tuple[TableLoad, ...]

    def table(self, name: str) -> TableLoad:
        for load in self.tables:
            if load.table == name:
                return load
        raise KeyError(name)

    @property
    def rows_quarantined(self) -> int:
        return sum(t.rows_quarantined for t in self.tables)

    def summary(self) -> str:
        header = ("table", "file", "read", "loaded", "quarantined", "duplicates", "superseded")
        rows = [header]
        for t in self.tables:
            counts = (t.rows_read, t.rows_loaded, t.rows_quarantined, t.rows_duplicate_exact, t.rows_superseded)
            rows.append((t.table, t.source_file or "(absent)", *(f"{n:,}" for n in counts)))
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        # Names left-aligned, counts right-aligned.
        lines = [
            "  ".join(_cell(cell, w, i < 2) for i, (cell, w) in enumerate(zip(r, widths, strict=True))) for r in rows
        ]
        present = sum(t.is_present for t in self.tables)
        lines.append(f"Loaded {present} of {len(self.tables)} tables into {self.warehouse} (schema raw).")
        if self.rows_quarantined:
            lines.append(f"{self.rows_quarantined:,} rows broke a rule and are in the quarantine schema.")
        return "\n".join(lines)


def _cell(text: str, width: int, left: bool) -> str:
    return text.ljust(width) if left else text.rjust(width)
