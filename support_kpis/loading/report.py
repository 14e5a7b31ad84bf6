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
    # Loaded, but left out by the adapter's dbt models (Zendesk: deleted tickets and their rows).
    rows_left_out: int = 0
    left_out_detail: str = ""
    # Appending: rows already in raw that a row of this batch replaced (a later version). Not rows of this read.
    rows_replaced: int = 0

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
    source: str = "contract"  # the dbt var `source` this data feeds
    beside: tuple[TableLoad, ...] = ()  # an adapter's load: the contract tables loaded into raw.* next to it
    batch_id: str = ""  # content hash of the files read (raw.load_batches)
    appended: bool = False  # added to raw (load --append) rather than replacing it
    already_loaded_at: datetime | None = None  # appending a batch loaded before: nothing was done

    def table(self, name: str) -> TableLoad:
        for load in (*self.tables, *self.beside):
            if load.table == name:
                return load
        raise KeyError(name)

    @property
    def rows_quarantined(self) -> int:
        return sum(t.rows_quarantined for t in self.tables)

    @property
    def rows_left_out(self) -> int:
        return sum(t.rows_left_out for t in self.tables)

    def summary(self) -> str:
        if self.already_loaded_at is not None:
            when = self.already_loaded_at.strftime("%Y-%m-%d %H:%M:%S")
            return f"Batch {self.batch_id[:12]} ({self.folder}) was already loaded at {when} UTC: nothing changed."
        if self.source != "contract":
            return self._adapter_summary()
        if self.appended:
            return self._append_lines()
        return self._table_lines(self.tables) + "\n" + self._totals_lines(self.tables, "raw")

    def _append_lines(self) -> str:
        supplied = tuple(t for t in self.tables if t.is_present)
        lines = [self._table_lines(supplied, replaced=True)] if supplied else []
        lines.append(
            f"Appended batch {self.batch_id[:12]} ({len(supplied)} tables) to {self.warehouse} (schema raw); "
            "tables it lacks are unchanged."
        )
        if self.rows_quarantined:
            lines.append(f"{self.rows_quarantined:,} rows broke a rule and are in the quarantine schema.")
        return "\n".join(lines)

    def _adapter_summary(self) -> str:
        beside = [t for t in self.beside if t.is_present]
        lines = [self._table_lines(self.tables)]
        lines.append(
            f"Loaded {sum(t.is_present for t in self.tables)} of {len(self.tables)} {self.source} tables "
            f"into {self.warehouse} (schema {self.source})."
        )
        if beside:
            lines.append(self._table_lines(tuple(beside)))
            lines.append(f"Loaded {len(beside)} contract tables beside them (schema raw).")
        else:
            lines.append("No contract tables beside them: raw.* holds empty contract tables.")
        for t in self.tables:
            if t.rows_left_out:
                detail = f" ({t.left_out_detail})" if t.left_out_detail else ""
                lines.append(f"{t.table}: {t.rows_read:,} read, {t.rows_left_out:,} left out by the adapter{detail}")
        quarantined = self.rows_quarantined + sum(t.rows_quarantined for t in self.beside)
        if quarantined:
            lines.append(f"{quarantined:,} rows broke a rule and are in the quarantine schema.")
        return "\n".join(lines)

    def _totals_lines(self, tables: tuple[TableLoad, ...], schema: str) -> str:
        present = sum(t.is_present for t in tables)
        lines = [f"Loaded {present} of {len(tables)} tables into {self.warehouse} (schema {schema})."]
        if self.rows_quarantined:
            lines.append(f"{self.rows_quarantined:,} rows broke a rule and are in the quarantine schema.")
        return "\n".join(lines)

    @staticmethod
    def _table_lines(tables: tuple[TableLoad, ...], replaced: bool = False) -> str:
        header: tuple[str, ...] = ("table", "file", "read", "loaded", "quarantined", "duplicates", "superseded")
        if replaced:
            header = (*header, "replaced")  # rows already in raw that a newer version from this batch replaced
        rows = [header]
        for t in tables:
            counts = [t.rows_read, t.rows_loaded, t.rows_quarantined, t.rows_duplicate_exact, t.rows_superseded]
            if replaced:
                counts.append(t.rows_replaced)
            rows.append((t.table, t.source_file or "(absent)", *(f"{n:,}" for n in counts)))
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        # Names left-aligned, counts right-aligned.
        lines = [
            "  ".join(_cell(cell, w, i < 2) for i, (cell, w) in enumerate(zip(r, widths, strict=True))) for r in rows
        ]
        return "\n".join(lines)


def _cell(text: str, width: int, left: bool) -> str:
    return text.ljust(width) if left else text.rjust(width)
