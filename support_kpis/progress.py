"""Progress lines for long steps, on stderr so stdout stays clean for results."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def step(message: str) -> Iterator[None]:
    say(f"==> {message}")
    started = time.perf_counter()
    yield
    say(f"    done in {time.perf_counter() - started:.1f}s")
