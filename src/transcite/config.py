"""The user's configuration file: ``config.toml`` in the transcite folder.

The folder is :func:`transcite.resources.config_dir` (``$TRANSCITE_HOME`` or
``$XDG_CONFIG_HOME/transcite``); ``$TRANSCITE_CONFIG`` names another file. Each feature reads its
own table, for example::

    [crossref]
    mailto = "editor@example.org"     # sent in the User-Agent (Crossref's "polite pool")
    base_url = "https://api.crossref.org"
    timeout = 10
    retries = 3

A missing file is an empty configuration; a malformed one raises
:class:`~transcite.resources.DataError` naming the file and line.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from .resources import DataError, config_dir

__all__ = ["config_path", "load_config", "section"]


def config_path() -> Path:
    """The configuration file: ``$TRANSCITE_CONFIG`` or ``config.toml`` in the config folder."""
    env = os.environ.get("TRANSCITE_CONFIG")
    return Path(env) if env else config_dir() / "config.toml"


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """The whole configuration (``{}`` when there is no file)."""
    file = Path(path) if path is not None else config_path()
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise DataError(f"{file}: cannot read the configuration: {exc.strerror}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(f"{file}: the configuration must be UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{file}: {exc}") from None


def section(name: str, path: str | Path | None = None) -> dict[str, Any]:
    """One table of the configuration (``{}`` when absent); a non-table is a DataError."""
    value = load_config(path).get(name, {})
    if not isinstance(value, dict):
        raise DataError(f"{path or config_path()}: [{name}] must be a table")
    return value
