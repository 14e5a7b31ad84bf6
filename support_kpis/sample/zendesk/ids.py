"""Where each kind of Zendesk id starts: disjoint ranges, so an id alone says what it points at.

Zendesk ids are account-wide integers; keeping the kinds apart makes a wrong join in an adapter
fail loudly (no user has a ticket's id) instead of matching by accident.
"""

from __future__ import annotations

TICKET = 1
COMMENT = 10_000_000_001
BRAND = 360_000_001
GROUP = 360_100_001
SCHEDULE = 360_200_001
HOLIDAY = 360_300_001
SLA_POLICY = 360_400_001
TICKET_FORM = 360_500_001
ORGANIZATION = 370_000_001
ADMIN = 380_000_001
AGENT = 380_100_001
END_USER = 390_000_001
