"""Journal profiles: how a journal wants its two reference lists.

A profile is a TOML file (``styles/profiles/NAME.toml``, or a user folder) validated against
``styles/profiles/profile.schema.json`` on load. It names the CSL style, heading and sort of the
original ("Список литературы") list, and for the romanised "References" list the style, the
romanisation schemes for text and names, how titles and container titles are shown, the language
marker ("(In Russ.)"), the suffix after publishers ("Publ.") and city names ("М." -> "Moscow").

Users add a profile by dropping a file into ``$TRANSCITE_PROFILES`` (a path list) or
``~/.config/transcite/profiles``; a file given by path works too.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .registry import Registry, registry
from .resources import DataError, config_dir, load_data, schema_errors, shipped_dir

__all__ = ["ListSettings", "Profile", "ReferencesSettings", "default_places", "get_profile",
           "load_profile", "profile_dirs", "profiles"]


@dataclass(frozen=True, slots=True)
class ListSettings:
    """How the original-script list is rendered."""

    style: str
    heading: str = "Список литературы"
    locale: str | None = None
    item_locale: bool = True
    sort: str = "style"


@dataclass(frozen=True, slots=True)
class ReferencesSettings:
    """How the romanised References list is built and rendered."""

    style: str
    scheme: str
    heading: str = "References"
    locale: str | None = None
    name_scheme: str | None = None
    title: str = "romanised+translated"
    container: str = "romanised"
    marker: str = "(In Russ.)"
    marker_position: str = "end"
    publisher_suffix: str = "Publ."
    missing_translation: str = "warn"
    keep_user_romanised_names: bool = True
    places: dict[str, str] = field(default_factory=dict)

    @property
    def names_scheme(self) -> str:
        """The scheme for personal names (the text scheme unless set)."""
        return self.name_scheme or self.scheme


@dataclass(frozen=True, slots=True)
class Profile:
    """A journal profile: settings for both lists, and where it was loaded from."""

    name: str
    title: str
    original: ListSettings
    references: ReferencesSettings
    description: str = ""
    journal: str | None = None
    aliases: tuple[str, ...] = ()
    path: Path | None = None


@cache
def _schema() -> dict[str, Any]:
    path = shipped_dir("styles") / "profiles" / "profile.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@cache
def default_places() -> dict[str, str]:
    """The shipped table of city abbreviations and names -> their English form."""
    table: dict[str, str] = load_data("places.json")["places"]
    return table


def load_profile(path: str | os.PathLike[str]) -> Profile:
    """Read and validate a profile file. Raises :class:`DataError` naming the file and problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{p}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise DataError(f"{p}: cannot read the profile: {exc.strerror}") from None
    errors = schema_errors(data, _schema(), text)
    if errors:
        first = errors[0]
        where = ".".join(str(x) for x in first.absolute_path) or "(top level)"
        raise DataError(f"{p}: {where}: {first.message}")
    refs = dict(data["references"])
    places = {**default_places(), **refs.pop("places", {})}
    return Profile(
        name=data.get("name", p.stem),
        title=data["title"],
        description=data.get("description", ""),
        journal=data.get("journal"),
        aliases=tuple(data.get("aliases", ())),
        original=ListSettings(**data["original"]),
        references=ReferencesSettings(**refs, places=places),
        path=p,
    )


def profile_dirs() -> list[Path]:
    """Where profiles are found: ``$TRANSCITE_PROFILES``, the user folder, the shipped folder."""
    dirs = [Path(x) for x in os.environ.get("TRANSCITE_PROFILES", "").split(os.pathsep) if x]
    dirs.append(config_dir() / "profiles")
    dirs.append(shipped_dir("styles") / "profiles")
    return dirs


def _register_profiles(reg: Registry) -> None:
    for folder in reversed(profile_dirs()):  # user folders are registered last and win
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            aliases: tuple[str, ...] = ()
            try:
                head = tomllib.loads(path.read_text(encoding="utf-8"))
                aliases = tuple(a for a in head.get("aliases", ()) if isinstance(a, str))
            except (tomllib.TOMLDecodeError, OSError):
                pass  # reported in full when the profile is asked for
            reg.register("profile", path.stem, path, aliases=aliases, replace=True,
                         description=str(path))


registry.add_loader("profile", _register_profiles)


def get_profile(name: str | os.PathLike[str]) -> Profile:
    """A profile by name, alias or file path. Raises :class:`UnknownName` or :class:`DataError`."""
    text = os.fspath(name)
    if text.endswith(".toml") or os.sep in text:
        return load_profile(text)
    entry = registry.entry("profile", text)
    return load_profile(entry.load())


def profiles() -> list[Profile]:
    """Every profile that loads; a broken file raises :class:`DataError`."""
    return [load_profile(e.load()) for e in registry.entries("profile")]

