"""Which file in the input folder feeds which contract table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from support_kpis.contract import TABLES
from support_kpis.errors import DataError, UserError

FileFormat = Literal["csv", "parquet"]
FORMATS: dict[str, FileFormat] = {".csv": "csv", ".parquet": "parquet"}


@dataclass(frozen=True)
class SourceFile:
    table: str
    path: Path
    format: FileFormat

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Discovery:
    files: dict[str, SourceFile | None]  # contract table -> its file, None when absent
    ignored: tuple[str, ...]  # data files in the folder that match no contract table
    empty: tuple[str, ...] = ()  # 0-byte files of optional tables, taken as absent


def discover(folder: Path) -> Discovery:
    """Match `<table>.csv` / `<table>.parquet` (case-insensitively) to the contract's tables.

    A 0-byte file of an optional table counts as absent; of a required table it is an error.
    """
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    candidates: dict[str, list[Path]] = {}
    ignored: list[str] = []
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in FORMATS:
            continue
        stem = path.stem.lower()
        if stem in TABLES:
            candidates.setdefault(stem, []).append(path)
        else:
            ignored.append(path.name)

    files: dict[str, SourceFile | None] = {}
    empty: list[str] = []
    for table in TABLES.values():
        found = candidates.get(table.name, [])
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise DataError(f"each holds table {table.name}, which is ambiguous: keep exactly one", file=names)
        if not found:
            if table.required:
                raise DataError(
                    f"required file not found in {folder} ({table.name}.parquet would do too)",
                    file=f"{table.name}.csv",
                )
            files[table.name] = None
            continue
        path = found[0]
        if path.stat().st_size == 0:
            # An export job that failed or had nothing to write leaves a 0-byte file: for an optional table
            # that says no more than an absent file. A required table needs at least its header.
            if table.required:
                raise DataError(
                    "the file is empty (0 bytes); a table without rows still needs its header row", file=path.name
                )
            empty.append(path.name)
            files[table.name] = None
            continue
        files[table.name] = SourceFile(table.name, path, FORMATS[path.suffix.lower()])
    return Discovery(files, tuple(ignored), tuple(empty))
