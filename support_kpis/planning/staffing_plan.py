"""Agents needed per channel and hour over the forecast horizon.

Each day's forecast arrivals of a channel are split over the day's hours by that channel's observed intraday
profile for the same weekday (the share of its arrivals that came in each hour), and each hour is staffed by
Erlang C (staffing.agents_required) for the channel's average handle time and service target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from support_kpis.planning.staffing import Demand, agents_required

HOURS = range(24)


@dataclass(frozen=True)
class ServiceTarget:
    service_level: float  # the share of contacts to answer within the threshold
    answer_within_minutes: float


@dataclass(frozen=True)
class ForecastDay:
    day: dt.date
    channel: str
    contacts: float


@dataclass(frozen=True)
class HourNeed:
    day: dt.date
    hour: int
    channel: str
    contacts: float
    agents: int
    scheduled: int
    service_level: float
    occupancy: float


def intraday_profile(arrivals: Iterable[tuple[str, int, int, int]]) -> dict[tuple[str, int], list[float]]:
    """From (channel, ISO weekday, hour, tickets) counts: per channel and weekday, each hour's share of arrivals."""
    counts: dict[tuple[str, int], list[float]] = {}
    for channel, weekday, hour, tickets in arrivals:
        counts.setdefault((channel, weekday), [0.0] * 24)[hour] += tickets
    return {key: [count / sum(hours) for count in hours] for key, hours in counts.items() if sum(hours) > 0}


def staffing_plan(
    forecast: Iterable[ForecastDay],
    profile: Mapping[tuple[str, int], list[float]],
    handle_minutes: Mapping[str, float],
    targets: Mapping[str, ServiceTarget],
    shrinkage: float,
) -> list[HourNeed]:
    """One row per channel, day and hour of the forecast; a channel without a target or a handle time is left out
    (there is nothing to staff it to), and a weekday never seen gets no arrivals."""
    needs: list[HourNeed] = []
    for day in forecast:
        target = targets.get(day.channel)
        handle = handle_minutes.get(day.channel)
        shares = profile.get((day.channel, day.day.isoweekday()))
        if target is None or handle is None or shares is None:
            continue
        for hour in HOURS:
            contacts = day.contacts * shares[hour]
            staffing = agents_required(
                Demand(
                    contacts=contacts,
                    handle_minutes=handle,
                    answer_within_minutes=target.answer_within_minutes,
                    service_level=target.service_level,
                    shrinkage=shrinkage,
                )
            )
            needs.append(
                HourNeed(
                    day=day.day,
                    hour=hour,
                    channel=day.channel,
                    contacts=contacts,
                    agents=staffing.agents,
                    scheduled=staffing.scheduled,
                    service_level=staffing.service_level,
                    occupancy=staffing.occupancy,
                )
            )
    return needs
