"""Independent random streams per component, so adding draws to one table never shifts another."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str, index: int = 0) -> np.random.Generator:
    # crc32, not hash(): Python salts str hashes per process, which would break reproducibility.
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(key, index)))
