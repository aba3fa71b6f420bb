"""Established spellings (``exceptions.json``): places, people, organisations and journals whose
usual Latin form is not what a scheme would give (Хоккайдо -> Hokkaido, Абэ -> Abe).

The same table serves both directions: :func:`romanise_matcher` finds Cyrillic entries in text
being romanised, :func:`latin_matcher` finds Latin spellings (the main one and the ``also`` list)
in text being turned back into Cyrillic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..resources import DataError, data_path
from .scheme import has_cyrillic, read_json

__all__ = ["Established", "entries", "latin_matcher", "match_case", "romanise_matcher"]

_KINDS = {"title", "name", "place"}
_PATH = "translit/exceptions.json"


@dataclass(frozen=True, slots=True)
class Established:
    """One established spelling."""

    cyrillic: str
    latin: str
    also: tuple[str, ...]
    type: str
    romanise: frozenset[str]


@cache
def entries() -> tuple[Established, ...]:
    """All entries of the exceptions table, validated."""
    path = data_path(_PATH)
    data = read_json(path)
    raw = data.get("entries")
    if not isinstance(raw, list):
        raise DataError(f"{path}: 'entries' must be a list")
    out = []
    for i, item in enumerate(raw, 1):
        where = f"{path}: entry #{i}"
        if not isinstance(item, dict):
            raise DataError(f"{where}: must be an object")
        cyr, lat = item.get("cyrillic"), item.get("latin")
        if not isinstance(cyr, str) or not has_cyrillic(cyr):
            raise DataError(f"{where}: 'cyrillic' must be Cyrillic text")
        if not isinstance(lat, str) or not lat or has_cyrillic(lat):
            raise DataError(f"{where} ({cyr}): 'latin' must be Latin text")
        also = item.get("also", [])
        if not isinstance(also, list) or not all(isinstance(a, str) and a and not has_cyrillic(a)
                                                 for a in also):
            raise DataError(f"{where} ({cyr}): 'also' must be a list of Latin spellings")
        kinds = item.get("romanise", sorted(_KINDS))
        if not isinstance(kinds, list) or not set(kinds) <= _KINDS:
            raise DataError(f"{where} ({cyr}): 'romanise' must list kinds among "
                            f"{sorted(_KINDS)}")
        out.append(Established(cyr, lat, tuple(also), str(item.get("type", "")),
                              frozenset(kinds)))
    return tuple(out)


def _pattern(phrases: list[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alts = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alts})(?![^\W\d_])", re.IGNORECASE)


@cache
def romanise_matcher(kind: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A regex finding Cyrillic entries that apply to ``kind``, and lower-case Cyrillic -> Latin."""
    table = {e.cyrillic.lower(): e.latin for e in entries() if kind in e.romanise}
    return _pattern(list(table)), table


@cache
def latin_matcher() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A regex finding Latin spellings of entries, and lower-case Latin -> Cyrillic."""
    table: dict[str, str] = {}
    for e in entries():
        for lat in (e.latin, *e.also):
            table.setdefault(lat.lower(), e.cyrillic)
    return _pattern(list(table)), table


def match_case(source: str, target: str) -> str:
    """Give *target* the case pattern of *source*: all capitals, lower case, or as written."""
    letters = [c for c in source if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        caps = sum(1 for c in target if c.isupper())
        return target if caps > 1 else target.upper()
    if letters and letters[0].islower() and all(c.islower() for c in letters):
        return target.lower()
    return target
