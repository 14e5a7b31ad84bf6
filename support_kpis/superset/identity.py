"""Deterministic uuids: the same name always gives the same uuid, so re-importing updates in place."""

from __future__ import annotations

import uuid

# Fixed forever: changing it would duplicate every asset already imported somewhere.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "superset.support-kpis")


def stable_uuid(kind: str, *names: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join((kind, *names))))
