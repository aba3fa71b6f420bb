"""The ``transcite`` command line's typer application: its group, which imports a command's
module when the command is asked for, and the options of ``transcite`` itself.

Imported when typer parses the command line (see :func:`transcite.cli.main`: ``format`` in its
usual forms runs without it) and by the command modules, which register themselves on
:data:`app`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import COMMANDS

__all__ = ["app"]


class _Commands(dict[str, Any]):
    """The group's commands, each made (its module imported, its click command built) when it
    is first looked up; listing them makes them all."""

    def __init__(self, group: _LazyGroup, made: Mapping[str, Any]) -> None:
        super().__init__(made)
        self.group = group

    def _make(self, name: str | None) -> None:
        self.group.load(name)

    def get(self, name: str, default: Any = None) -> Any:
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

    def keys(self) -> Any:
        """Every command name."""
        self._make(None)
        return dict.keys(self)

    def values(self) -> Any:
        """Every command."""
        self._make(None)
        return dict.values(self)

    def items(self) -> Any:
        """Every command by name."""
        self._make(None)
        return dict.items(self)


class _LazyGroup(TyperGroup):
    """transcite's click group: a command's module is imported when the command is asked
    for (typer's own group imports and builds every command before running one)."""

    commands: _Commands         # (made so in __init__)

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
            importlib.import_module(f"{__package__}.{mod}")
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
