"""``transcite profiles``: list the journal profiles."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app


@app.command(epilog="Examples:  transcite profiles  |  transcite profiles npe")
def profiles(
    name: Annotated[str | None, typer.Argument(help="Show one profile.")] = None,
    details: Annotated[bool, typer.Option("--details", "-d", help="Show every setting.")
                       ] = False,
) -> None:
    """List journal profiles (shipped, and yours in ~/.config/transcite/profiles or
    $TRANSCITE_PROFILES): the styles and romanisation each uses for its two lists."""
    from ..profiles import get_profile
    from ..profiles import profiles as all_profiles
    from ..registry import UnknownName
    from ..resources import DataError

    try:
        found = [get_profile(name)] if name else all_profiles()
    except (UnknownName, DataError) as exc:
        typer.echo(f"transcite: error: {exc}", err=True)
        raise typer.Exit(2 if isinstance(exc, UnknownName) else 1) from None
    for p in found:
        r = p.references
        also = f" (also: {', '.join(p.aliases)})" if p.aliases else ""
        typer.echo(f"{p.name}{also}: {p.title}")
        typer.echo(f"  original:   {p.original.style} ({p.original.heading}, "
                   f"sort {p.original.sort})")
        typer.echo(f"  references: {r.style} ({r.heading}), scheme {r.scheme}"
                   + (f", names {r.name_scheme}" if r.name_scheme else "")
                   + f", marker {r.marker!r}")
        if details or name:
            typer.echo(f"  title: {r.title}; container: {r.container}; publisher suffix: "
                       f"{r.publisher_suffix!r}; missing translation: {r.missing_translation}")
            typer.echo(f"  file: {p.path}")
