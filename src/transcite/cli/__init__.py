"""The ``transcite`` command line: a thin shell over the library.

Each command lives in its own module and registers itself on :data:`app`. Exit status, the same
for every command: 0 done (warnings allowed), 1 some input could not be used (the problems are
printed to stderr with file and line; the rest was processed), 2 wrong usage, 3 a network
service was unreachable or refused; ``--strict`` makes warnings exit 1; ``check`` exits 1 when
it reports anything. A closed output pipe (``| head``) ends the run quietly with 141.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="transcite",
    help="Read bibliographies in any common form, keep Cyrillic, romanised and translated forms "
         "side by side, and format them in any CSL style.\n\nExit status: 0 done (warnings "
         "allowed), 1 some input could not be used, 2 wrong usage, 3 a network service was "
         "unreachable or refused.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)



def _version(value: bool) -> None:
    if value:
        from ._about import version_text

        typer.echo(version_text())
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", "-V", is_eager=True, callback=_version,
                       help="Show the versions of transcite, Python and the CSL data, and "
                       "stop.")] = False,
) -> None:
    """The options of ``transcite`` itself (--version; typer adds the completion options)."""


# Commands register themselves on import (kept in separate modules to stay small).
from . import (  # noqa: E402,F401
    batch,
    check,
    config,
    convert,
    enrich,
    format,
    lookup,
    normalize,
    parse,
    profiles,
    serve,
    styles,
    translit,
)


def main() -> None:
    """Console-script entry point."""
    import gc

    # A run builds one large, long-lived library; the collector's full passes over it found no
    # garbage yet cost ~20% of a 10,000-entry format. Young cycles are still collected.
    gc.set_threshold(100_000, 50, 100)
    from .. import progress

    progress.enable()       # bars on a terminal only
    try:
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
    os._exit(code or 0)
