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

__all__ = ["ListSettings", "Profile", "ReferencesSettings", "broken_profiles", "default_places",
           "get_profile", "load_profile", "profile_dirs", "profiles"]


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


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


def load_profile(path: str | os.PathLike[str]) -> Profile:
    """Read and validate a profile file. Raises :class:`DataError`: one line naming the file
    and the problem (TOML syntax, text that is not UTF-8, nesting past what TOML readers
    manage, a setting the schema refuses, a scheme or style transcite does not know)."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{p}: invalid TOML: {_one_line(str(exc))}") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    except RecursionError:
        raise DataError(f"{p}: nested too deeply to be a profile") from None
    except OSError as exc:
        raise DataError(f"{p}: cannot read the profile: {exc.strerror or exc}") from None
    try:
        errors = schema_errors(data, _schema(), text)
    except RecursionError:
        raise DataError(f"{p}: nested too deeply to be a profile") from None
    if errors:
        first = errors[0]
        where = ".".join(str(x) for x in first.absolute_path) or "(top level)"
        raise DataError(f"{p}: {where}: {_one_line(first.message)}")
    refs = dict(data["references"])
    places = {**default_places(), **refs.pop("places", {})}
    try:
        profile = Profile(
            name=data.get("name", p.stem),
            title=data["title"],
            description=data.get("description", ""),
            journal=data.get("journal"),
            aliases=tuple(data.get("aliases", ())),
            original=ListSettings(**data["original"]),
            references=ReferencesSettings(**refs, places=places),
            path=p,
        )
    except (TypeError, ValueError, KeyError) as exc:
        raise DataError(f"{p}: {_one_line(str(exc))}") from None
    _check_names(profile, p)
    return profile


def _check_names(profile: Profile, path: Path) -> None:
    """The schemes and styles a profile names must exist (styles are looked for as
    ``--style`` looks, relative paths from the profile's folder)."""
    from .registry import UnknownName
    from .render.styles import UnknownStyle, resolve_style

    r = profile.references
    for key, scheme in (("references.scheme", r.scheme), ("references.name_scheme",
                                                           r.name_scheme)):
        if scheme is None:
            continue
        try:
            registry.entry("scheme", scheme)
        except UnknownName as exc:
            raise DataError(f"{path}: {key}: {exc}") from None
    for key, style in (("original.style", profile.original.style),
                       ("references.style", r.style)):
        local = path.parent / style
        try:
            resolve_style(local if style.endswith(".csl") and local.is_file() else style)
        except UnknownStyle as exc:
            raise DataError(f"{path}: {key}: {_one_line(str(exc), 300)}") from None


def profile_dirs() -> list[Path]:
    """Where profiles are found: ``$TRANSCITE_PROFILES``, the user folder, the shipped folder."""
    dirs = [Path(x) for x in os.environ.get("TRANSCITE_PROFILES", "").split(os.pathsep) if x]
    dirs.append(config_dir() / "profiles")
    dirs.append(shipped_dir("styles") / "profiles")
    return dirs


#: Profile files that did not load, with the reason (one line each), from the last scan.
_BROKEN: dict[str, str] = {}


def _register_profiles(reg: Registry) -> None:
    """Register every profile that loads; a broken file is remembered (see
    :func:`broken_profiles`) and skipped, so it neither breaks the others nor hides a shipped
    profile of the same name."""
    _BROKEN.clear()
    for folder in reversed(profile_dirs()):  # user folders are registered last and win
        try:
            paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        except OSError:
            continue
        for path in paths:
            try:
                profile = load_profile(path)
            except DataError as exc:
                _BROKEN[path.stem] = str(exc)
                continue
            _BROKEN.pop(path.stem, None)
            reg.register("profile", path.stem, path, aliases=profile.aliases, replace=True,
                         description=str(path), profile=profile)


def broken_profiles() -> list[str]:
    """Why each profile file that did not load was skipped (one line each)."""
    registry.entries("profile")
    return list(_BROKEN.values())


registry.add_loader("profile", _register_profiles)


def get_profile(name: str | os.PathLike[str]) -> Profile:
    """A profile by name, alias or file path. Raises :class:`UnknownName` or :class:`DataError`."""
    text = os.fspath(name)
    if text.endswith(".toml") or os.sep in text:
        return load_profile(text)
    entry = registry.find("profile", text)
    if entry is None:
        registry.entries("profile")
        if text in _BROKEN:
            raise DataError(_BROKEN[text])
        entry = registry.entry("profile", text)
    loaded = entry.meta.get("profile")
    return loaded if isinstance(loaded, Profile) else load_profile(entry.load())


def profiles() -> list[Profile]:
    """Every profile that loads (see :func:`broken_profiles` for those that do not)."""
    out = []
    for e in registry.entries("profile"):
        loaded = e.meta.get("profile")
        out.append(loaded if isinstance(loaded, Profile) else load_profile(e.load()))
    return out

