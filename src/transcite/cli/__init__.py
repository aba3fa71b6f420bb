"""The ``transcite`` command line: a thin shell over the library.

Each command lives in its own module and registers itself on :data:`app`. Exit status, the same
for every command: 0 done (warnings allowed), 1 some input could not be used (the problems are
printed to stderr with file and line; the rest was processed), 2 wrong usage, 3 a network
service was unreachable or refused; ``--strict`` makes warnings exit 1; ``check`` exits 1 when
it reports anything. A closed output pipe (``| head``) ends the run quietly with 141.
"""

from __future__ import annotations

import gc
import sys
from typing import Annotated, Any

from ..memo import FEWER_COLLECTIONS

# A run builds one large, long-lived library; the collector's full passes over it found no
# garbage yet cost ~20% of a 10,000-entry format (young cycles are still collected). Set
# before the command line's own imports, which it also slowed.
gc.set_threshold(*FEWER_COLLECTIONS)

import typer  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

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


class _Commands(dict[str, Any]):
    """The group's commands, each made (its module imported, its click command built) when it
    is first looked up; listing them makes them all."""

    def __init__(self, group: _LazyGroup, made: dict[str, Any]) -> None:
        super().__init__(made)
        self.group = group

    def _make(self, name: str | None) -> None:
        self.group.load(name)

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        """The command ``name`` (made on first use)."""
        if not dict.__contains__(self, name):
            self._make(name)
        return dict.get(self, name, default)

    def __getitem__(self, name: str) -> Any:
        if not dict.__contains__(self, name):
            self._make(name)
        return dict.__getitem__(self, name)

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str) and not dict.__contains__(self, name):
            self._make(name)
        return dict.__contains__(self, name)

    def __iter__(self) -> Any:
        self._make(None)
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._make(None)
        return dict.__len__(self)

    def keys(self) -> Any:  # type: ignore[override]
        """Every command name."""
        self._make(None)
        return dict.keys(self)

    def values(self) -> Any:  # type: ignore[override]
        """Every command."""
        self._make(None)
        return dict.values(self)

    def items(self) -> Any:  # type: ignore[override]
        """Every command by name."""
        self._make(None)
        return dict.items(self)


class _LazyGroup(TyperGroup):
    """transcite's click group: a command's module is imported when the command is asked
    for (typer's own group imports and builds every command before running one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands(self, self.commands)
        self._made: set[int] = set()

    def load(self, name: str | None) -> None:
        """Import the module of command ``name`` (None, or a name no module has: all of
        them) and add the commands it registered."""
        import importlib

        import typer.main

        module = COMMANDS.get(name) if name is not None else None
        for mod in [module] if module else sorted(set(COMMANDS.values())):
            importlib.import_module(f"{__name__}.{mod}")
        for info in app.registered_commands:
            if id(info) in self._made:
                continue
            self._made.add(id(info))
            command = typer.main.get_command_from_info(
                command_info=info, pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode)
            if command.name:
                dict.__setitem__(self.commands, command.name, command)


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
    cls=_LazyGroup,
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



def main() -> None:
    """Console-script entry point."""
    gc.set_threshold(*FEWER_COLLECTIONS)   # (see above: main may run in another process)
    from .. import memo, progress

    progress.enable()       # bars on a terminal only
    memo.ends_after_command()   # (see _exit below)
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
