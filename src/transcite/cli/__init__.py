"""The ``transcite`` command line: a thin shell over the library.

Each command lives in its own module and registers itself on :data:`app`. Exit status: 0 when
all went well, 1 when the input had errors (they are printed to stderr with file and line), 2 for
wrong usage.
"""

from __future__ import annotations

import sys

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="transcite",
    help="Read bibliographies in any common form, keep Cyrillic, romanised and translated forms "
         "side by side, and format them in any CSL style.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Commands register themselves on import (kept in separate modules to stay small).
from . import (  # noqa: E402,F401
    batch,
    check,
    convert,
    enrich,
    format,
    lookup,
    normalize,
    parse,
    profiles,
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
    except SystemExit as exc:
        _exit(exc)
        raise


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
