"""Peak memory of a process tree, sampled: for work done by other processes than the one we wait for (a Postgres
server's backends, the JVM PySpark starts), where wait4's own high-water mark does not reach.

Each sample sums the proportional set size (Pss, /proc/PID/smaps_rollup) of the tree, so memory that processes
share (Postgres' shared buffers) counts once, not once per backend. Linux only; elsewhere it reports nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

PROC = Path("/proc")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in (PROC / str(pid) / "task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(roots: Iterable[int]) -> list[int]:
    pending, seen = list(roots), []
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.append(pid)
        pending += _children(pid)
    return seen


def pss_kib(pid: int) -> int:
    try:
        text = (PROC / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


class PeakSampler:
    """Samples the summed Pss of the trees under `roots()` every `interval` seconds until stopped."""

    def __init__(self, roots: Callable[[], list[int]], interval: float = 0.5) -> None:
        self._roots, self._interval = roots, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_kib = 0

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(pss_kib(pid) for pid in tree(self._roots()))
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(self._interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float:
        return self.peak_kib / 1024
