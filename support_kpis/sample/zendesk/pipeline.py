"""Write every Zendesk table into one folder, streaming the ticket tables in chunks.

The account's configuration (brands, groups, organizations, users, schedules, holidays, time
zones, SLA policies) is written first; tickets then arrive along the same activity curve as
the contract sample and are simulated one chunk at a time, so memory stays flat however many
tickets are asked for. Each chunk has its own random stream: the output depends on the seed
and the chunk size only, never on timing or on the machine.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from support_kpis.progress import say, step
from support_kpis.sample.arrivals import make_curve
from support_kpis.sample.config import SampleConfig
from support_kpis.sample.randomness import stream
from support_kpis.sample.writers import FileFormat, fill_sinks
from support_kpis.sample.zendesk import calendars, columns, ids, sla
from support_kpis.sample.zendesk.directory import make_directory
from support_kpis.sample.zendesk.lifecycle import ChunkBuilder
from support_kpis.sample.zendesk.open_hours import OpenHours
from support_kpis.sample.zendesk.sinks import ZendeskSink


def _python_random(seed: int, name: str, index: int = 0) -> random.Random:
    # Python's scalar draws are several times faster than numpy's one at a time; seed it from the
    # project's named streams so that components stay independent.
    return random.Random(int(stream(seed, name, index).integers(2**63)))


def generate_zendesk_sample(config: SampleConfig, out_dir: Path, file_format: FileFormat) -> dict[str, int]:
    """Write one file per Zendesk table into `out_dir`; returns rows written per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sinks = {table: ZendeskSink(out_dir, table, file_format) for table in columns.TABLES}
    return fill_sinks(sinks, lambda filled: _generate(config, filled))


def _generate(config: SampleConfig, sinks: dict[str, ZendeskSink]) -> None:
    seed, synced = config.seed, config.end_ts
    years = range(config.start.year - 1, config.end.year + 2)
    with step("account: brands, groups, organizations, users, schedules, holidays, time zones, SLA policies"):
        directory = make_directory(config, _python_random(seed, "zendesk-directory"), synced)
        for table, rows in directory.tables.items():
            sinks[table].write(rows)
        sinks["schedule"].write(calendars.schedule_table(synced))
        sinks["schedule_holiday"].write(calendars.holiday_table(years, synced))
        sinks["time_zone"].write(calendars.time_zone_table(synced, config.end.year))
        sinks["daylight_time"].write(calendars.daylight_time_table(years, synced))
        sinks["sla_policy_metric_history"].write(sla.metric_history_table(config, synced))

    curve = make_curve(config)
    hours = OpenHours(config.start - dt.timedelta(days=7), config.end + dt.timedelta(days=30))
    change = sla.change_instant(config)
    with step(
        f"tickets, comments, field history, schedules and tags ({config.tickets:,} tickets; "
        f"SLA targets change {dt.datetime.fromtimestamp(change, dt.UTC):%Y-%m-%d})"
    ):
        arrivals = stream(seed, "zendesk-arrivals")
        created = curve.sample(config.tickets, arrivals)
        region = curve.regions_at(created, arrivals)
        n, size = config.tickets, config.tickets_per_chunk
        for chunk, first in enumerate(range(0, n, size)):
            stop = min(n, first + size)
            rnd = _python_random(seed, "zendesk-tickets", chunk)
            first_comment = ids.COMMENT + sinks["ticket_comment"].rows
            builder = ChunkBuilder(directory, hours, change, config.end_ts, synced, first_comment)
            for i in range(first, stop):
                builder.add(ids.TICKET + i, int(created[i]), int(region[i]), rnd)
            for table, rows in builder.tables().items():
                sinks[table].write(rows)
            say(f"    {stop:,}/{n:,} tickets, {sinks['ticket_comment'].rows:,} comments")
