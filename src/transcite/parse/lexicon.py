"""The parser's word lists (``data/parse.json``), validated on load."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..resources import DataError, data_path, load_data

__all__ = ["lexicon", "tables"]

_LISTS = ("headings", "ru_places", "latin_places", "russian_markers", "translation_excludes",
          "abbreviations", "given_names")


@cache
def tables() -> dict[str, Any]:
    """The whole table, checked: every list holds strings, every mapping maps to lists."""
    where = data_path("parse.json")
    t: dict[str, Any] = load_data("parse.json")
    for key in ("lexicon", "type_words"):
        value = t.get(key)
        if not isinstance(value, dict):
            raise DataError(f"{where}: '{key}' must be an object")
        for cls, words in value.items():
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise DataError(f"{where}: '{key}.{cls}' must be a list of strings")
    for key in _LISTS:
        value = t.get(key)
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise DataError(f"{where}: '{key}' must be a list of strings")
    return t


@cache
def lexicon() -> dict[str, str]:
    """Lower-cased word -> class name (the first class listing the word wins)."""
    out: dict[str, str] = {}
    for cls, words in tables()["lexicon"].items():
        for w in words:
            out.setdefault(w.lower(), cls)
    return out
