"""``transcite config``: the effective settings and where each came from."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from . import app


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


@app.command(epilog="Examples:  transcite config  |  transcite config --files")
def config(
    files: Annotated[bool, typer.Option("--files", help="Only list the files that are read, "
                                        "weakest first.")] = False,
) -> None:
    """Print the effective settings as TOML, each with the file it came from.

    Settings are read from the user's file ($TRANSCITE_CONFIG, else config.toml in
    ~/.config/transcite or $TRANSCITE_HOME) and a project's transcite.toml in the current
    folder or the nearest parent, which overrides the user's; options on the command line
    override both. Keys: style, profile, view, locale, scheme, to, and the [crossref] table
    (mailto, base_url, timeout, retries...).
    """
    from .. import config as cfg
    from ..resources import DataError
    from ._common import fail_usage

    user, project = cfg.config_path(), cfg.project_path()
    if files:
        typer.echo(f"{user}\t{'user' if user.is_file() else 'user (not found)'}")
        typer.echo(f"{project}\tproject" if project else
                   f"(no {cfg.PROJECT_FILE} in this folder or a parent)\tproject")
        return
    try:
        settings = cfg.effective()
        crossref = _crossref(settings)
    except DataError as exc:
        fail_usage(str(exc))
        return
    typer.echo(f"# user file:    {user}{'' if user.is_file() else ' (not found)'}")
    typer.echo(f"# project file: {project or f'none ({cfg.PROJECT_FILE} not found)'}")
    for key, what in cfg.DEFAULTS.items():
        s = settings[key]
        if s.value is None:
            typer.echo(f"# {key} = (not set)".ljust(40) + f"  # {what}")
        else:
            typer.echo(f"{key} = {_toml(s.value)}".ljust(40) + f"  # from {s.file}")
    typer.echo("\n[crossref]")
    for key, (value, source) in crossref.items():
        line = f"{key} = {_toml(value)}" if value is not None else f"# {key} = (not set)"
        typer.echo(line.ljust(40) + f"  # {source}")


def _crossref(settings: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    """The Crossref client's effective settings, each with its source: the environment, a
    file, or transcite's default."""
    import dataclasses
    import os

    from ..lookup.crossref import CrossrefSettings

    try:
        effective = CrossrefSettings.from_config()
    except (ValueError, TypeError) as exc:
        from ..resources import DataError

        raise DataError(f"[crossref]: {exc}") from None
    env = {"base_url": "TRANSCITE_CROSSREF_URL", "mailto": "TRANSCITE_MAILTO",
           "cache_dir": "TRANSCITE_CACHE"}
    out: dict[str, tuple[Any, str]] = {}
    for f in dataclasses.fields(CrossrefSettings):
        value = getattr(effective, f.name)
        if f.name in env and os.environ.get(env[f.name]):
            source = f"from ${env[f.name]}"
        elif f"crossref.{f.name}" in settings:
            source = f"from {settings[f'crossref.{f.name}'].file}"
        else:
            source = "default"
        out[f.name] = (str(value) if f.name == "cache_dir" and value is not None else value,
                       source)
    return out
