"""The ``transcite`` command line: a thin shell over the library.

Each command lives in its own module and registers itself on :data:`app` (typer's application,
made in :mod:`transcite.cli._app` when first asked for). ``format`` written in its usual forms
is run without typer (:mod:`transcite.cli._fast`): importing it costs ~20 ms, a tenth of
formatting a 300-entry list. Exit status, the same
for every command: 0 done (warnings allowed), 1 some input could not be used (the problems are
printed to stderr with file and line; the rest was processed), 2 wrong usage, 3 a network
service was unreachable or refused; ``--strict`` makes warnings exit 1; ``check`` exits 1 when
it reports anything. A closed output pipe (``| head``) ends the run quietly with 141.
"""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING, Any

from ..memo import FEWER_COLLECTIONS

if TYPE_CHECKING:
    from ._app import app

# A run builds one large, long-lived library; the collector's full passes over it found no
# garbage yet cost ~20% of a 10,000-entry format (young cycles are still collected). Set
# before the command line's own imports, which it also slowed.
gc.set_threshold(*FEWER_COLLECTIONS)

__all__ = ["COMMANDS", "app", "main"]

#: Every command and the module that defines it. A run imports only the module of the command
#: it runs (``--help`` and a mistyped name import them all): each module registers itself on
#: :data:`app` when imported. A new command is a module here and a line in this table.
COMMANDS = {
    "batch": "batch", "check": "check", "config": "config", "convert": "convert",
    "enrich": "enrich", "format": "format", "lookup": "lookup", "normalize": "normalize",
    "normalise": "normalize", "parse": "parse", "profiles": "profiles", "serve": "serve",
    "styles": "styles", "translit": "translit",
}


def __getattr__(name: str) -> Any:
    if name == "app":       # (typer is imported only by a run that parses with it)
        from ._app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point."""
    gc.set_threshold(*FEWER_COLLECTIONS)   # (see above: main may run in another process)
    from .. import memo, progress
    from ._fast import run_fast

    progress.enable()       # bars on a terminal only
    memo.ends_after_command()   # (see _exit below)
    try:
        run_fast(sys.argv[1:])      # returns when typer must parse the command line
        from ._app import app

        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    except BrokenPipeError:
        _pipe_closed()
    except SystemExit as exc:
        if _broken_pipe():
            _pipe_closed()
        _exit(exc)
        raise
    except OSError as exc:      # the system refused a write (a full disk, a closed pipe...)
        _os_error(exc)


def _os_error(exc: OSError) -> None:
    """One line for an error the system gave (nothing for a reader that went away), then
    leave with status 1 without flushing standard output again."""
    import errno
    import os

    if exc.errno != errno.EPIPE:
        where = f"{exc.filename}: " if exc.filename else "standard output: " if exc.errno in (
            errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT) else ""
        try:
            sys.stderr.write(f"transcite: error: {where}{exc.strerror or exc}\n")
            sys.stderr.flush()
        except OSError:
            pass
    os._exit(1)


def _broken_pipe() -> bool:
    """Whether the command stopped because its output pipe closed (click then swaps stdout
    for a wrapper that swallows the error)."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def _pipe_closed() -> None:
    """The reader of our output has gone (``transcite format x | head``): stop at once,
    without a message, with SIGPIPE's status, as the tools around us do."""
    import os

    from ._common import EXIT_PIPE

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)     # nothing more reaches the closed pipe
    except OSError:
        pass
    os._exit(EXIT_PIPE)


def _exit(exc: SystemExit) -> None:
    """Leave at once with the command's status once its output is out: freeing a large
    library object by object takes a tenth of a second, and nothing in transcite waits for
    interpreter shutdown (no atexit handlers, files are closed when written). Statuses that
    are not numbers, and output that cannot be flushed, take the normal way out."""
    import os

    code = exc.code
    if code is not None and not isinstance(code, int):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    cache = sys.modules.get("transcite.compiled")
    if cache is not None:
        cache.finish_writing()      # a library still being kept by a forked process
    os._exit(code or 0)
