"""Agents needed to answer a queue of contacts within a service-level target (Erlang C).

The model: contacts arrive at random (Poisson) at a steady rate through an interval, each takes an exponentially
distributed handle time, and waiting contacts are answered first come, first served by any free agent. Erlang C
then gives the share of contacts answered within a threshold for N agents; the answer is the smallest N that
meets the target (and, when set, keeps occupancy under its ceiling), raised by shrinkage (breaks, training,
absence) to the agents to schedule. pyworkforce computes it; tests/planning checks it against published values and
a discrete-event simulation (ciw).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyworkforce.queuing import ErlangC


@dataclass(frozen=True)
class Demand:
    """One interval's contacts and the service they should get."""

    contacts: float  # arriving in the interval
    handle_minutes: float  # average handle time
    answer_within_minutes: float  # the service level's threshold ("80% within 20 s": 1/3 minute)
    service_level: float  # the share to answer within it, 0 to 1
    interval_minutes: int = 60
    shrinkage: float = 0.0  # the share of paid time an agent cannot answer
    max_occupancy: float = 1.0


@dataclass(frozen=True)
class Staffing:
    agents: int  # answering at once
    scheduled: int  # on the rota, shrinkage included
    service_level: float  # expected with `agents`
    occupancy: float  # expected share of an answering agent's time spent on contacts


def agents_required(demand: Demand) -> Staffing:
    if demand.contacts <= 0:
        return Staffing(agents=0, scheduled=0, service_level=1.0, occupancy=0.0)
    erlang = ErlangC(
        transactions=demand.contacts,
        aht=demand.handle_minutes,
        # pyworkforce names the service level's threshold `asa`; it enters its formula as that threshold.
        asa=demand.answer_within_minutes,
        interval=demand.interval_minutes,
        shrinkage=demand.shrinkage,
    )
    result = erlang.required_positions(service_level=demand.service_level, max_occupancy=demand.max_occupancy)
    agents = int(result["raw_positions"])
    # Rounded up here rather than taken from pyworkforce, whose scaling floors the productive share.
    scheduled = math.ceil(agents / (1 - demand.shrinkage) - 1e-9)
    return Staffing(
        agents=agents,
        scheduled=scheduled,
        service_level=float(erlang.service_level(agents)),
        occupancy=float(erlang.achieved_occupancy(agents)),
    )
