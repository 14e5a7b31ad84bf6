"""The `support-kpis` command line: one module per command, errors as one readable line."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import tempfile
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType, ModuleType

from support_kpis.errors import UserError
from support_kpis.extras import SUPERSET, VALIDATION, Extra, MissingExtra, is_installed, require


@dataclass(frozen=True)
class Command:
    """A module exposing `add_arguments(parser)` and `run(args) -> int`; its docstring's first line is the help."""

    module: str
    extra: Extra | None = None  # the optional extra it needs; without it the module is never imported


COMMANDS: dict[str, Command] = {
    "generate": Command("support_kpis.commands.generate"),
    "load": Command("support_kpis.commands.load"),
    "validate": Command("support_kpis.commands.validate", VALIDATION),
    "build": Command("support_kpis.commands.build"),
    "publish": Command("support_kpis.commands.publish"),
    "demo": Command("support_kpis.commands.demo", VALIDATION),
    "superset": Command("support_kpis.commands.superset", SUPERSET),
    "bench": Command("support_kpis.commands.bench"),
}
# Set to 1 to see Python's traceback of an unexpected error instead of the one-line summary.
DEBUG_ENV = "SUPPORT_KPIS_DEBUG"


def _command_module(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name].module)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="support-kpis",
        description="Customer-support KPIs from raw helpdesk data (dbt + Great Expectations + Superset).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        extra = command.extra
        if extra is not None and not is_installed(extra):
            # Listed but not imported: its module would import the missing libraries (main() stops before parsing).
            sub.add_parser(name, help=f"(needs the optional {extra.name!r} extra: {extra.install_hint()})")
            continue
        module = _command_module(name)
        summary = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
        command_parser = sub.add_parser(name, help=summary, description=module.__doc__)
        module.add_arguments(command_parser)
    return parser


def _requested(argv: list[str]) -> str | None:
    """The command named on the command line, if any: the first word (the only top-level option is --help)."""
    return next((word for word in argv if not word.startswith("-")), None)


def _missing_extra(argv: list[str]) -> int | None:
    """Exit code 2 and one line when the requested command needs an extra that is not installed.

    Checked before argparse sees the command's arguments: they are defined by the module that cannot be imported.
    """
    name = _requested(argv)
    command = COMMANDS.get(name or "")
    if command is None or command.extra is None:
        return None
    try:
        require(command.extra)
    except MissingExtra as exc:
        print(f"support-kpis {name}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    return None


def _terminated(signum: int, frame: FrameType | None) -> None:
    # `kill` stops a command as cleanly as Ctrl-C: child processes (dbt) are stopped, transactions roll back.
    raise KeyboardInterrupt


def _environment_error(exc: OSError) -> str:
    """An operating-system error (disk full, permissions, a path that cannot exist) as one line."""
    reason = exc.strerror or type(exc).__name__
    names = [str(name) for name in (exc.filename, exc.filename2) if name]
    return f"{reason}: {' -> '.join(names)}" if names else reason


def _unexpected(exc: BaseException) -> str:
    """One line for a bug; the traceback goes to a file the line names (or to stderr with SUPPORT_KPIS_DEBUG=1)."""
    summary = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = "".join(traceback.format_exception(exc))
    log = Path(tempfile.gettempdir()) / f"support-kpis-error-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}.log"
    try:
        log.write_text(text, encoding="utf-8")
        where = f"the traceback is in {log}"
    except OSError:
        where = f"set {DEBUG_ENV}=1 to see the traceback"
    return f"unexpected {type(exc).__name__}: {summary} ({where}; please report it)"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    missing = _missing_extra(argv)
    if missing is not None:
        return missing
    parser = build_parser()
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminated)
    prefix = f"support-kpis {args.command}: error:"
    try:
        return int(_command_module(args.command).run(args) or 0)
    except UserError as exc:
        print(f"{prefix} {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"support-kpis {args.command}: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"{prefix} {_environment_error(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        print(f"{prefix} {_unexpected(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
