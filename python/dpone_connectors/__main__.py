"""The ``dpone-connectors`` command (also ``python -m dpone_connectors``): the same command
line as the Rust binary, run in this process."""

from __future__ import annotations

import signal
import sys

from . import _native

__all__ = ["main"]


def main() -> int:
    """Runs the command line with this process's arguments; returns the exit status."""
    # Behave like the binary: Ctrl-C ends the command at once (Python would otherwise wait
    # for the Rust call to return before raising KeyboardInterrupt).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # Started with stdout or stderr closed, Python has no stream there (None); the command
    # line puts the null device on the missing descriptors and reports the lost output.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    return _native.run_cli(["dpone-connectors", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
