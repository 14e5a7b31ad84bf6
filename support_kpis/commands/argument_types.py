"""Argument types shared by the commands: a bad value is argparse's one-line usage error."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type accepting integers >= minimum."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"must be 0 or more: {value}" if minimum == 0 else f"must be at least {minimum}: {value}"
            )
        return value

    return parse
