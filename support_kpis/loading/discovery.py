"""Which file in the input folder feeds which contract table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from support_kpis.contract import Table
from support_kpis.errors import DataError, UserError
from support_kpis.loading.registry import CONTRACT, Registry

FileFormat = Literal["csv", "parquet"]
FORMATS: dict[str, FileFormat] = {".csv": "csv", ".parquet": "parquet"}


@dataclass(frozen=True)
class SourceFile:
    table: str
    path: Path
    format: FileFormat
    declared: Table | None = None  # the table's declaration (None: the contract's table of that name)

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Discovery:
    files: dict[str, SourceFile | None]  # table of the first registry -> its file, None when absent
    ignored: tuple[str, ...]  # data files in the folder that match no table
    empty: tuple[str, ...] = ()  # 0-byte files of optional tables, taken as absent
    # every registry's tables -> their files, by registry source name (`files` is the first registry's)
    by_source: dict[str, dict[str, SourceFile | None]] | None = None


def discover(folder: Path, registries: tuple[Registry, ...] = (CONTRACT,)) -> Discovery:
    """Match `<table>.csv` / `<table>.parquet` (case-insensitively) to the registries' tables.

    A 0-byte file of an optional table counts as absent; of a required table it is an error. A table name must
    belong to one registry only.
    """
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    candidates: dict[str, list[Path]] = {}
    ignored: list[str] = []
    known = {name for registry in registries for name in registry.tables}
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in FORMATS:
            continue
        stem = path.stem.lower()
        if stem in known:
            candidates.setdefault(stem, []).append(path)
        else:
            ignored.append(path.name)

    by_source: dict[str, dict[str, SourceFile | None]] = {}
    empty: list[str] = []
    for registry in registries:
        by_source[registry.source] = _match(folder, registry, candidates, empty)
    return Discovery(by_source[registries[0].source], tuple(ignored), tuple(empty), by_source)


def _match(
    folder: Path, registry: Registry, candidates: dict[str, list[Path]], empty: list[str]
) -> dict[str, SourceFile | None]:
    files: dict[str, SourceFile | None] = {}
    for table in registry.tables.values():
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
        files[table.name] = SourceFile(table.name, path, FORMATS[path.suffix.lower()], table)
    return files
