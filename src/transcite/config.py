"""Configuration files: the user's ``config.toml`` and a project's ``transcite.toml``.

Two files are read, the second overriding the first key by key:

* the user's file: ``$TRANSCITE_CONFIG``, else ``config.toml`` in the transcite folder
  (:func:`transcite.resources.config_dir`: ``$TRANSCITE_HOME`` or ``~/.config/transcite``);
* the project's file: ``transcite.toml`` in the current folder or the nearest parent holding one.

Both hold defaults for the command line's options and one table per feature::

    style = "gost-r-7-0-5-2008"       # --style of format and check
    profile = "scopus"                # --profile of format and normalize
    view = "dual"                     # --view of format
    locale = "ru-RU"                  # --locale of format
    scheme = "bsi"                    # --scheme of translit
    to = "html"                       # --to of format (its output format)

    [crossref]
    mailto = "editor@example.org"     # sent in the User-Agent (Crossref's "polite pool")
    base_url = "https://api.crossref.org"
    timeout = 10
    retries = 3

Options given on the command line win over both files. A missing file is an empty
configuration; a malformed one (bad TOML, an unknown key, a value of the wrong kind) raises
:class:`~transcite.resources.DataError` with a one-line message naming the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .resources import DataError, config_dir

__all__ = ["DEFAULTS", "PROJECT_FILE", "Setting", "config_path", "effective", "load_config",
           "project_path", "section", "setting"]

#: The name of a project's configuration file.
PROJECT_FILE = "transcite.toml"

#: The top-level settings: name -> what it sets (each is a default for the option of that name).
DEFAULTS: dict[str, str] = {
    "style": "CSL style of format and check (default: gost-r-7-0-5-2008, or the profile's)",
    "profile": "journal profile of format (both lists) and normalize",
    "view": "view of format: original, romanised, references or dual",
    "locale": "CSL locale of format (ru-RU, en-US...)",
    "scheme": "romanisation scheme of translit (default: bsi)",
    "to": "output format of format (default: text; html, markdown, latex, csl-json, docx...)",
}
#: Tables and who checks their keys (``None``: any key).
TABLES = ("crossref",)
_VIEWS = ("original", "romanised", "references", "dual")


@dataclass(frozen=True, slots=True)
class Setting:
    """One effective setting: its value and where it came from (a file, or ``None``)."""

    key: str
    value: Any
    file: Path | None

    @property
    def source(self) -> str:
        """``"<file>"`` or ``"not set"``."""
        return str(self.file) if self.file is not None else "not set"


def config_path() -> Path:
    """The user's configuration file: ``$TRANSCITE_CONFIG`` or ``config.toml`` in the config
    folder."""
    env = os.environ.get("TRANSCITE_CONFIG")
    return Path(env) if env else config_dir() / "config.toml"


def project_path(start: str | Path | None = None) -> Path | None:
    """The nearest ``transcite.toml`` in ``start`` (default: the current folder) or a parent."""
    try:
        here = Path(start) if start is not None else Path.cwd()
    except OSError:         # the current folder was removed
        return None
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def _read(file: Path) -> dict[str, Any]:
    """One file's table, validated (``{}`` when the file does not exist)."""
    try:
        data = file.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as exc:
        raise DataError(f"{file}: cannot read the configuration: {exc.strerror}") from None
    import tomllib

    try:
        table = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(f"{file}: the configuration must be UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{file}: {exc}") from None
    _validate(table, file)
    return table


def _validate(table: dict[str, Any], file: Path) -> None:
    for key, value in table.items():
        if key in TABLES:
            if not isinstance(value, dict):
                raise DataError(f"{file}: [{key}] must be a table")
            if key == "crossref":
                from .lookup.crossref import CrossrefSettings

                known = sorted(CrossrefSettings.__dataclass_fields__)
                for sub in value:
                    if sub not in known:
                        raise DataError(f"{file}: [crossref]: unknown setting {sub!r} (known: "
                                        f"{', '.join(known)})")
        elif key in DEFAULTS:
            if not isinstance(value, str) or not value.strip():
                raise DataError(f"{file}: {key} must be a non-empty string, not {value!r}")
            if key == "view" and value not in _VIEWS:
                raise DataError(f"{file}: view must be one of {', '.join(_VIEWS)}, not "
                                f"{value!r}")
            if key == "to":
                from .registry import UnknownName, registry

                try:
                    registry.entry("output", value)
                except UnknownName as exc:
                    raise DataError(f"{file}: to: {exc}") from None
        else:
            import difflib

            close = difflib.get_close_matches(key, [*DEFAULTS, *TABLES], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise DataError(f"{file}: unknown setting {key!r}{hint} (known: "
                            f"{', '.join([*DEFAULTS, *(f'[{t}]' for t in TABLES)])})")


def _files() -> list[Path]:
    """The files that are read, weakest first (the user's, then the project's)."""
    files = [config_path()]
    project = project_path()
    if project is not None and project.resolve() != files[0].resolve():
        files.append(project)
    return files


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """The configuration: of one file when ``path`` is given, else the user's file with the
    project's laid over it key by key (``{}`` when there is neither)."""
    if path is not None:
        return _read(Path(path))
    merged: dict[str, Any] = {}
    for file in _files():
        for key, value in _read(file).items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            else:
                merged[key] = value
    return merged


def section(name: str, path: str | Path | None = None) -> dict[str, Any]:
    """One table of the configuration (``{}`` when absent); a non-table is a DataError."""
    value = load_config(path).get(name, {})
    if not isinstance(value, dict):
        raise DataError(f"{path or config_path()}: [{name}] must be a table")
    return value


def effective() -> dict[str, Setting]:
    """Every setting the files make, keyed ``style``, ``crossref.mailto``..., each with the file
    it came from (the project's beats the user's). Top-level settings that no file makes are
    present with value None."""
    out: dict[str, Setting] = {k: Setting(k, None, None) for k in DEFAULTS}
    for file in _files():
        for key, value in _read(file).items():
            if isinstance(value, dict):
                for sub, v in value.items():
                    out[f"{key}.{sub}"] = Setting(f"{key}.{sub}", v, file)
            else:
                out[key] = Setting(key, value, file)
    return out


def setting(key: str) -> Setting:
    """One top-level setting (see :data:`DEFAULTS`) with where it came from."""
    return effective().get(key, Setting(key, None, None))
