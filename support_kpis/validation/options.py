"""What a validation run can be told: tolerances, freshness, batch size and where reports go."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support_kpis.settings import dbt_target_dir

DEFAULT_EVENT_TOLERANCE_MINUTES = 5.0
DEFAULT_FRESHNESS_DAYS = 7
# Rows handed to Great Expectations at once: bounds memory (about 300 MB of pandas for ticket_events).
DEFAULT_BATCH_ROWS = 500_000


def default_report_dir() -> Path:
    return dbt_target_dir() / "validation"


@dataclass(frozen=True)
class ValidationOptions:
    report_dir: Path = field(default_factory=default_report_dir)
    event_tolerance_minutes: float = DEFAULT_EVENT_TOLERANCE_MINUTES
    freshness_days: float = DEFAULT_FRESHNESS_DAYS
    as_of: datetime | None = None  # naive UTC reference for freshness; None: now
    batch_rows: int = DEFAULT_BATCH_ROWS
    quarantine: bool = True  # move rows breaking error-level row rules to quarantine
    fail_on_quarantine: bool = False  # any row in quarantine fails the run (CI on data that must be clean)

    @property
    def data_docs_dir(self) -> Path:
        return self.report_dir / "data_docs"

    @property
    def result_path(self) -> Path:
        return self.report_dir / "result.json"

    def freshness_window(self) -> tuple[datetime, datetime]:
        """(reference time, the oldest latest event that is still fresh), naive UTC to the second."""
        reference = self.as_of or datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        return reference, reference - timedelta(days=self.freshness_days)
