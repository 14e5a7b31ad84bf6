"""One module per `support-kpis` command, registered in support_kpis/cli.py.

Each exposes `add_arguments(parser)` and `run(args) -> int`, and its docstring's first line is the command's help.
Commands read arguments and print results; the work is done by the library packages beside them (sample, loading,
validation, publishing, superset).
"""
