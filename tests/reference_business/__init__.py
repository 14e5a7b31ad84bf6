"""An independent Python reference for business time (kpi-catalog.md, "Business minutes").

Definition, from which everything here follows: an instant is OPEN for a schedule when its wall-clock time
in the schedule's zone lies in [start, end) of one of the schedule's rows for its local weekday, and its local
date is not one of the schedule's holidays. Business seconds between instants a <= b are the measure of the
open instants in [a, b). Instants are naive UTC datetimes, as the warehouse stores them.

Two independent implementations: `walking` tests instants one step at a time (obviously right, slow) and
`interval_arithmetic` works with whole intervals (fast enough for spans of years). Tests cross-check them.
"""

from reference_business.interval_arithmetic import business_seconds, deadline, open_pieces
from reference_business.schedule import OpeningRow, Schedule, is_open
from reference_business.walking import business_seconds_by_walking, deadline_by_walking

__all__ = [
    "OpeningRow",
    "Schedule",
    "business_seconds",
    "business_seconds_by_walking",
    "deadline",
    "deadline_by_walking",
    "is_open",
    "open_pieces",
]
