"""Business time by testing instants one step at a time.

Exact when every boundary (the endpoints, the schedule's open/close instants and the zone's offset changes)
falls on a multiple of the step from the start: then each step is wholly open or wholly closed, and its
first instant says which. Seconds always qualify for whole-second inputs; minutes qualify for whole-minute
endpoints, schedules in HH:MM and today's time zones.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from reference_business.schedule import Schedule, is_open


def business_seconds_by_walking(schedule: Schedule, start: datetime, end: datetime, step_seconds: int = 1) -> int:
    """Open seconds in [start, end), start <= end, counted step by step."""
    if end < start:
        raise ValueError("walking counts forwards only: start must not be after end")
    step = timedelta(seconds=step_seconds)
    open_steps = 0
    instant = start
    while instant < end:
        if is_open(schedule, instant):
            open_steps += 1
        instant += step
    if instant != end:
        raise ValueError("the span must be a whole number of steps")
    return open_steps * step_seconds


def deadline_by_walking(
    schedule: Schedule,
    start: datetime,
    target_seconds: int,
    step_seconds: int = 1,
    limit: timedelta = timedelta(days=60),
) -> datetime | None:
    """The earliest instant at which target_seconds of business time have passed since start, step by step.

    Exact under the same alignment as business_seconds_by_walking, with target_seconds a whole number of steps.
    None when it takes longer than `limit`.
    """
    if target_seconds % step_seconds:
        raise ValueError("the target must be a whole number of steps")
    counted = 0
    instant = start
    step = timedelta(seconds=step_seconds)
    while counted < target_seconds:
        if instant - start >= limit:
            return None
        if is_open(schedule, instant):
            counted += step_seconds
        instant += step
    return instant
