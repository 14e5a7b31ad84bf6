"""Events collected as integer-coded numpy columns, one `add` per kind of event and turn."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from support_kpis.contract import ACTOR_TYPES, EVENT_TYPES, STATUSES
from support_kpis.sample import vocab

MESSAGE, STATUS_CHANGE, ASSIGNMENT, ESCALATION = (EVENT_TYPES.index(t) for t in EVENT_TYPES)
CUSTOMER, AGENT, BOT, SYSTEM = (ACTOR_TYPES.index(a) for a in ACTOR_TYPES)
NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED = (STATUSES.index(s) for s in STATUSES)
assert EVENT_TYPES == ("message", "status_change", "assignment", "escalation")
assert ACTOR_TYPES == ("customer", "agent", "bot", "system")
assert STATUSES == ("new", "open", "pending", "on_hold", "solved", "closed")

_BODY_KINDS = {
    "customer": vocab.CUSTOMER_MESSAGES,
    "agent": vocab.AGENT_REPLIES,
    "outbound": vocab.OUTBOUND_MESSAGES,
    "note": vocab.INTERNAL_NOTES,
    "handover": vocab.HANDOVER_NOTES,
    "bot": vocab.BOT_MESSAGES,
}
BODIES: tuple[str, ...] = tuple(text for texts in _BODY_KINDS.values() for text in texts)
_BODY_FIRST = dict(zip(_BODY_KINDS, np.cumsum([0, *map(len, _BODY_KINDS.values())])[:-1].tolist(), strict=True))

FIELDS = (
    "ticket",
    "time",
    "event_type",
    "actor_type",
    "actor",
    "is_public",
    "new_status",
    "new_assignee",
    "new_team",
    "new_tier",
    "handle",
    "body",
)


def bodies(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Codes into BODIES of random texts of one kind."""
    return _BODY_FIRST[kind] + rng.integers(0, len(_BODY_KINDS[kind]), n)


@dataclass
class EventArrays:
    """All events of a chunk; -1 means null in every coded column."""

    ticket: np.ndarray
    time: np.ndarray
    event_type: np.ndarray
    actor_type: np.ndarray
    actor: np.ndarray
    is_public: np.ndarray
    new_status: np.ndarray
    new_assignee: np.ndarray
    new_team: np.ndarray
    new_tier: np.ndarray
    handle: np.ndarray
    body: np.ndarray

    def __len__(self) -> int:
        return len(self.ticket)

    def take(self, rows: np.ndarray) -> EventArrays:
        return EventArrays(**{name: getattr(self, name)[rows] for name in FIELDS})


class EventBuffer:
    def __init__(self) -> None:
        self._parts: dict[str, list[np.ndarray]] = {name: [] for name in FIELDS}

    def add(
        self,
        ticket: np.ndarray,
        time: np.ndarray,
        event_type: int,
        actor_type: int,
        *,
        actor: np.ndarray | int = -1,
        is_public: np.ndarray | int = -1,
        new_status: np.ndarray | int = -1,
        new_assignee: np.ndarray | int = -1,
        new_team: np.ndarray | int = -1,
        new_tier: np.ndarray | int = -1,
        handle: np.ndarray | int = -1,
        body: np.ndarray | int = -1,
    ) -> None:
        n = len(ticket)
        if n == 0:
            return
        values = {
            "ticket": ticket,
            "time": time,
            "event_type": event_type,
            "actor_type": actor_type,
            "actor": actor,
            "is_public": is_public,
            "new_status": new_status,
            "new_assignee": new_assignee,
            "new_team": new_team,
            "new_tier": new_tier,
            "handle": handle,
            "body": body,
        }
        for name, value in values.items():
            # Copies: callers keep mutating their state arrays after handing them over.
            column = np.full(n, value, dtype=np.int64) if np.isscalar(value) else np.array(value, dtype=np.int64)
            self._parts[name].append(column)

    def arrays(self) -> EventArrays:
        return EventArrays(
            **{name: np.concatenate(parts) if parts else np.empty(0, np.int64) for name, parts in self._parts.items()}
        )
