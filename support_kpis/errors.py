"""Errors a user can act on: printed as one line, never as a stack trace."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or set-up, explained in one line."""

    exit_code = 2


class DataError(UserError):
    """Input data that cannot be used: names the file, row and rule."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None, rule: str | None = None):
        parts = [p for p in (file, f"row {row}" if row is not None else None, rule) if p]
        prefix = ": ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)
        self.file, self.row, self.rule = file, row, rule
