"""Finding transcite's data: package tables (``transcite/data``) and the shipped folders.

``styles/`` (CSL styles and journal profiles) and ``references/`` (journal registry, examples) are
top-level folders of the repository that the wheel installs as ``transcite/_shipped/``. One
resolver finds them in either place, so a source checkout and an installed package behave alike.
User folders come first: ``TRANSCITE_STYLES`` / ``TRANSCITE_PROFILES`` style path lists (see the
callers), then the user's config folder, then the shipped ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["DataError", "config_dir", "data_path", "default_cache_dir", "journal_registry_paths",
           "load_data", "schema_errors", "shipped_dir", "shipped_valid", "validity_key"]

_PKG = Path(__file__).resolve().parent


class DataError(ValueError):
    """A data file (scheme, profile, journal table) is malformed; the message names the file."""


def data_path(name: str) -> Path:
    """Path of a table inside the package's ``data`` folder."""
    return _PKG / "data" / name


@cache
def load_data(name: str) -> Any:
    """Load and cache a JSON table from the package's ``data`` folder.

    Every table must be a JSON object; keys starting with ``$`` are comments and are dropped.
    """
    path = data_path(name)
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(value, dict):
        raise DataError(f"{path}: expected a JSON object at the top level")
    return {k: v for k, v in value.items() if not k.startswith("$")}


@cache
def shipped_dir(name: str) -> Path:
    """The shipped ``styles`` or ``references`` folder (installed or in a source checkout)."""
    installed = _PKG / "_shipped" / name
    if installed.is_dir():
        return installed
    checkout = _PKG.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise DataError(f"transcite's {name}/ folder is missing from this installation "
                    f"(looked in {installed} and {checkout})")


def config_dir() -> Path:
    """The user's transcite folder: ``$TRANSCITE_HOME`` or ``$XDG_CONFIG_HOME/transcite``."""
    home = os.environ.get("TRANSCITE_HOME")
    if home:
        return Path(home)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "transcite"


def journal_registry_paths(paths: Iterable[str | Path] = ()) -> list[Path]:
    """The user's journal registry files in priority order: ``paths``, then
    ``$TRANSCITE_JOURNALS`` (a path list), then ``journals.json`` and ``journals/*.json`` in
    the user's config folder (see :mod:`transcite.journals`)."""
    out = [Path(p) for p in paths]
    env = os.environ.get("TRANSCITE_JOURNALS")
    if env:
        out += [Path(p) for p in env.split(os.pathsep) if p]
    home = config_dir()
    if (home / "journals.json").is_file():
        out.append(home / "journals.json")
    if (home / "journals").is_dir():
        out += sorted((home / "journals").glob("*.json"))
    return out


def default_cache_dir() -> Path:
    """``$TRANSCITE_CACHE``, else ``$TRANSCITE_HOME/cache``, else ``$XDG_CACHE_HOME/transcite``,
    else ``~/.cache/transcite``."""
    env = os.environ.get("TRANSCITE_CACHE")
    if env:
        return Path(env)
    if os.environ.get("TRANSCITE_HOME"):
        return config_dir() / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "transcite"


def validity_key(schema: dict[str, Any], text: str) -> str:
    """The hash that names ``text`` found valid against ``schema`` (both in full)."""
    from .compiled import sha256

    return sha256(json.dumps(schema, sort_keys=True).encode("utf-8") + b"\0"
                          + text.encode("utf-8")).hexdigest()


@cache
def shipped_valid() -> frozenset[str]:
    """The :func:`validity_key` of every data file transcite ships (journal registry,
    profiles), from ``data/validated.json``: written by ``tools/validated.py`` after validating
    each file with jsonschema, and checked against the shipped files by the test suite. A
    shipped file edited after installation has another key, so it is validated as any other."""
    try:
        keys = load_data("validated.json").get("keys", [])
    except (OSError, DataError):
        return frozenset()
    return frozenset(k for k in keys if isinstance(k, str))


def schema_errors(data: Any, schema: dict[str, Any], text: str) -> list[Any]:
    """jsonschema's errors for ``data`` (parsed from ``text``) against ``schema``, sorted by
    place (each has ``absolute_path`` and ``message``); empty when valid.

    A text found valid against a schema is remembered (by :func:`validity_key`): the files
    transcite ships are listed in the package (:func:`shipped_valid`), any other is remembered
    in the cache folder (an empty file named by the key) once validated. Loading an unchanged
    file again costs a hash instead of importing jsonschema (~50 ms) and validating: half of a
    one-entry run. Invalid texts are never remembered.
    """
    key = validity_key(schema, text)
    if key in shipped_valid():
        return []
    memo = default_cache_dir() / "valid" / key
    if memo.exists():
        return []
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        try:
            memo.parent.mkdir(parents=True, exist_ok=True)
            memo.touch()
        except OSError:
            pass        # a read-only cache only costs the validation next time
    return errors
