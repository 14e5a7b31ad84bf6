"""The `support-kpis` command line: one module per command, errors as one readable line."""

from __future__ import annotations

import argparse
import importlib
import sys
from types import ModuleType

from support_kpis.errors import UserError

# Command name -> module exposing `add_arguments(parser)` and `run(args) -> int`;
# the module docstring's first line is the command's help.
COMMANDS: dict[str, str] = {
    "generate": "support_kpis.generate",
    "load": "support_kpis.load",
    "validate": "support_kpis.validate",
    "build": "support_kpis.build",
    "demo": "support_kpis.demo",
    "superset": "support_kpis.superset_command",
    "bench": "support_kpis.bench",
}


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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(_command_module(args.command).run(args) or 0)
    except UserError as exc:
        print(f"support-kpis {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"support-kpis {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
