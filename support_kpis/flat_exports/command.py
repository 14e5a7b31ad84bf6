"""`support-kpis load --mapping FILE.yml EXPORT.csv` and `support-kpis load --source flat DIR`: finding the mapping
and the export, loading, and the printed report."""

from __future__ import annotations

from pathlib import Path

from support_kpis.errors import UserError
from support_kpis.flat_exports.loader import FlatLoadReport, load_flat_export
from support_kpis.flat_exports.mapping import read_mapping

MAPPING_NAMES = ("mapping.yml", "mapping.yaml")


def find_in_folder(folder: Path) -> tuple[Path, Path]:
    """The mapping file (mapping.yml) and the export (the mapping's `export`, else the folder's only CSV file)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(
            f"{folder}: not a folder; with --source flat give the folder holding mapping.yml and the export"
        )
    mappings = [folder / name for name in MAPPING_NAMES if (folder / name).is_file()]
    if not mappings:
        raise UserError(f"{folder}: no mapping.yml; write one (docs/flat-exports.md) or pass --mapping FILE.yml")
    mapping_path = mappings[0]
    mapping = read_mapping(mapping_path)
    if mapping.export:
        return mapping_path, folder / mapping.export
    exports = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if len(exports) != 1:
        found = ", ".join(p.name for p in exports) or "none"
        raise UserError(
            f"{mapping_path}: export: missing, and {folder} does not hold exactly one CSV file (found: {found}); "
            "name the export file under `export`"
        )
    return mapping_path, exports[0]


def load(mapping_path: Path, export: Path | None, warehouse: Path, default_time_zone: str = "UTC") -> FlatLoadReport:
    """Load `export` (None: the mapping's `export`, next to the mapping file) as the mapping file says."""
    mapping = read_mapping(mapping_path, default_time_zone)
    if export is None:
        if not mapping.export:
            raise UserError(f"{mapping.name}: export: missing; name the export file, or give it after --mapping FILE")
        export = Path(mapping_path).parent / mapping.export
    if Path(export).is_dir():
        raise UserError(f"{export}: a folder; with --mapping give the export file itself (e.g. tickets.csv)")
    return load_flat_export(Path(export), mapping, warehouse)
