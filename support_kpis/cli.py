"""The `support-kpis` command line: one module per command, errors as one readable line."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType, ModuleType

from support_kpis.errors import UserError

# Command name -> module exposing `add_arguments(parser)` and `run(args) -> int`;
# the module docstring's first line is the command's help.
COMMANDS: dict[str, str] = {
    "generate": "support_kpis.commands.generate",
    "load": "support_kpis.commands.load",
    "validate": "support_kpis.commands.validate",
    "build": "support_kpis.commands.build",
    "publish": "support_kpis.commands.publish",
    "demo": "support_kpis.commands.demo",
    "superset": "support_kpis.commands.superset",
    "bench": "support_kpis.commands.bench",
}
# Set to 1 to see Python's traceback of an unexpected error instead of the one-line summary.
DEBUG_ENV = "SUPPORT_KPIS_DEBUG"


def _command_module(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="support-kpis",
        description="Customer-support KPIs from raw helpdesk data (dbt + Great Expectations + Superset).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = _command_module(name)
        summary = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
        command_parser = sub.add_parser(name, help=summary, description=module.__doc__)
        module.add_arguments(command_parser)
    return parser


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
