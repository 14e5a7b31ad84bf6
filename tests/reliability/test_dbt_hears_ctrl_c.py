"""dbt must hear the CLI's Ctrl-C even when the CLI itself runs with SIGINT ignored.

A command started in the background of a non-interactive shell (`support-kpis build &` in a script, a CI step)
inherits SIGINT ignored, and an exec'd child keeps it so: dbt would then run on after the CLI, stopped with
SIGTERM, asks it to cancel, and could even record a success the CLI never publishes. The CLI resets SIGINT in the
child before exec, so Python in dbt installs its KeyboardInterrupt handler as in a terminal.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys

from support_kpis.dbt_runner import _die_with_parent

CHILD = "import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"


def _child_hears_ctrl_c(preexec_fn: functools.partial[None] | None) -> bool:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a background job of a script starts
    try:
        result = subprocess.run(
            [sys.executable, "-c", CHILD], preexec_fn=preexec_fn, capture_output=True, text=True, check=True
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    return result.stdout.strip() == "True"


def test_a_child_started_like_dbt_hears_ctrl_c_although_the_cli_ignores_it() -> None:
    assert not _child_hears_ctrl_c(None), "an ignored SIGINT should be inherited (else this test proves nothing)"
    assert _child_hears_ctrl_c(functools.partial(_die_with_parent, os.getpid()))
