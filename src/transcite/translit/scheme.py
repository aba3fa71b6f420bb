"""Romanisation schemes: JSON tables (iuliia's format) loaded, validated and applied to words.

A scheme file holds a letter ``mapping`` plus optional context rules in iuliia's format:
``prev_mapping`` (a letter after a given letter, or at the start of a word when the key is one
letter), ``next_mapping`` (a letter before a given letter) and ``ending_mapping`` (the last two
letters of a word longer than two letters). ``samples`` are Cyrillic/Latin pairs that the tests
check. ``schemes.json`` lists the files with their names, aliases and flags.

Case follows the source letter: a capital gives a capitalised value (``Ж`` -> ``Zh``), and a
word of two or more capitals gives an all-capital value (``ЖКХ`` -> ``ZHKKH``). Cyrillic letters a
scheme does not list fall back to ISO 9 (``cyrillic_fallback.json``), so romanised output never
holds a Cyrillic letter, and it is NFC.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..resources import DataError, data_path

__all__ = [
    "CYRILLIC_LETTER",
    "LOADED",
    "Scheme",
    "SchemeInfo",
    "default_scheme_name",
    "fallback_letter",
    "has_cyrillic",
    "load_scheme_file",
    "read_json",
    "register_schemes",
    "scheme_index",
]

#: A Cyrillic letter (basic, supplement, extended-A/B/C blocks).
CYRILLIC_LETTER = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_FOLDER = "translit"


def has_cyrillic(text: str) -> bool:
    """True when *text* holds at least one Cyrillic character."""
    return CYRILLIC_LETTER.search(text) is not None


@dataclass(frozen=True, slots=True)
class SchemeInfo:
    """What ``schemes()`` lists: a scheme's names, description and one example."""

    name: str
    aliases: tuple[str, ...]
    description: str
    example: tuple[str, str]
    reversible: bool


def _fail(path: Path, message: str) -> DataError:
    return DataError(f"{path}: {message}")


def _check_table(path: Path, key: str, table: Any, *, key_len: tuple[int, ...]) -> dict[str, str]:
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise _fail(path, f"'{key}' must be an object mapping Cyrillic to Latin")
    out: dict[str, str] = {}
    for k, v in table.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise _fail(path, f"'{key}': {k!r} -> {v!r}: keys and values must be strings")
        if len(k) not in key_len:
            raise _fail(path, f"'{key}': key {k!r} must have {' or '.join(map(str, key_len))} "
                              "letter(s)")
        if k != k.lower():
            raise _fail(path, f"'{key}': key {k!r} must be lower case")
        if has_cyrillic(v):
            raise _fail(path, f"'{key}': {k!r} -> {v!r} leaves a Cyrillic letter in Latin output")
        if unicodedata.normalize("NFC", v) != v:
            raise _fail(path, f"'{key}': {k!r} -> {v!r} is not NFC (decomposed diacritics)")
        out[k] = v
    return out


@dataclass(frozen=True, eq=False)
class Scheme:
    """One romanisation scheme; :meth:`word` romanises a single word, :meth:`romanise` text."""

    name: str
    description: str
    mapping: Mapping[str, str]
    prev: Mapping[str, str] = field(default_factory=dict)
    next: Mapping[str, str] = field(default_factory=dict)
    ending: Mapping[str, str] = field(default_factory=dict)
    samples: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    url: str = ""
    reversible: bool = False
    exceptions: bool = True
    lang: str = "ru"
    source: str = ""
    comments: tuple[str, ...] = ()
    example: str = ""

    # -- romanising -----------------------------------------------------------------------
    def _letter(self, prev: str, cur: str, nxt: str) -> str:
        if self.prev:
            value = self.prev.get(prev + cur)
            if value is not None:
                return value
        if self.next and nxt:
            value = self.next.get(cur + nxt)
            if value is not None:
                return value
        value = self.mapping.get(cur)
        if value is not None:
            return value
        return fallback_letter(cur) if has_cyrillic(cur) else cur

    def word(self, word: str) -> str:
        """Romanise one word (a run of letters); non-Cyrillic characters pass through."""
        low = word.lower()
        n = len(low)
        if len(word) != n:  # a letter whose case mapping changes length: go letter by letter
            return "".join(self.word(ch) if has_cyrillic(ch) else ch for ch in word)
        caps = n > 1 and word.isupper()
        tail = ""
        stem_len = n
        if self.ending and n > 2:
            end = low[-2:]
            value = self.ending.get(end)
            if value is not None and (word[-2:] == end or word[-2:] == end.upper()):
                tail = value if word[-2:] == end else value.upper()
                stem_len = n - 2
        out: list[str] = []
        prev = ""
        for i in range(stem_len):
            cur = low[i]
            nxt = low[i + 1] if i + 1 < stem_len else ""
            value = self._letter(prev, cur, nxt)
            src = word[i]
            if src != cur:  # upper case in the source
                value = value.upper() if caps else value.capitalize()
            out.append(value)
            prev = cur
        out.append(tail)
        return "".join(out)

    def romanise(self, text: str, *, kind: str = "title", exceptions: bool | None = None) -> str:
        """Romanise *text* (see :func:`transcite.translit.romanise`)."""
        from .roman import romanise_text

        return romanise_text(text, self, kind=kind, exceptions=exceptions)

    def info(self) -> SchemeInfo:
        """The listing entry for this scheme, with the example phrase romanised by it."""
        phrase = self.example or _example_phrase()
        example = (phrase, self.romanise(phrase, exceptions=False))
        return SchemeInfo(self.name, self.aliases, self.description, example, self.reversible)

    # -- the inverse of a reversible scheme --------------------------------------------------
    @property
    def inverse(self) -> dict[str, str]:
        """Latin -> Cyrillic letters of a reversible scheme (lower case; raises otherwise)."""
        if not self.reversible:
            raise ValueError(f"scheme {self.name!r} is not reversible")
        return _inverse(self)


@cache
def _inverse(scheme: Scheme) -> dict[str, str]:
    inv: dict[str, str] = {}
    for cyr, lat in scheme.mapping.items():
        if lat in inv and inv[lat] != cyr:
            raise DataError(f"{scheme.source}: scheme {scheme.name!r} is marked reversible but "
                            f"{inv[lat]!r} and {cyr!r} both give {lat!r}")
        inv[lat] = cyr
    return inv


@cache
def _fallback_table() -> dict[str, str]:
    data = read_json(data_path(f"{_FOLDER}/cyrillic_fallback.json"))
    return _check_table(data_path(f"{_FOLDER}/cyrillic_fallback.json"), "letters",
                        data.get("letters"), key_len=(1,))


def fallback_letter(ch: str) -> str:
    """ISO 9 for a Cyrillic letter that a scheme does not list (always Latin, never Cyrillic)."""
    low = ch.lower()
    table = _fallback_table()
    value = table.get(low)
    if value is None:
        base = unicodedata.normalize("NFD", low)
        if base[0] != low and not has_cyrillic(base[1:]):
            iso: Scheme = LOADED.gost_779  # ISO 9 for the base letter
            value = unicodedata.normalize("NFC", iso.word(base[0]) + base[1:])
        else:
            value = _name_fallback(low)
    if ch != low:
        value = value.capitalize()
    return value


def _name_fallback(ch: str) -> str:
    name = unicodedata.name(ch, "")
    word = name.rsplit(" LETTER ", 1)[-1] if " LETTER " in name else ""
    word = word.split(" ")[-1].lower() if word else ""
    return word if word.isascii() and word.isalpha() else "?"


def read_json(path: Path) -> dict[str, Any]:
    """Read a JSON object from a data file; errors name the file."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: file is missing") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(value, dict):
        raise DataError(f"{path}: expected a JSON object at the top level")
    return value


def load_scheme_file(path: Path, *, name: str | None = None, aliases: tuple[str, ...] = (),
                     description: str | None = None, reversible: bool = False,
                     exceptions: bool = True, lang: str = "ru", example: str = "") -> Scheme:
    """Load and validate one scheme file; every error names the file."""
    data = read_json(path)
    for key in ("name", "mapping", "samples"):
        if key not in data:
            raise _fail(path, f"missing '{key}'")
    mapping = _check_table(path, "mapping", data["mapping"], key_len=(1,))
    prev = _check_table(path, "prev_mapping", data.get("prev_mapping"), key_len=(1, 2))
    nxt = _check_table(path, "next_mapping", data.get("next_mapping"), key_len=(2,))
    ending = _check_table(path, "ending_mapping", data.get("ending_mapping"), key_len=(2,))
    samples = data["samples"]
    if not isinstance(samples, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p)
            for p in samples):
        raise _fail(path, "'samples' must be a list of [Cyrillic, Latin] pairs")
    for _, lat in samples:
        if has_cyrillic(lat):
            raise _fail(path, f"sample {lat!r} leaves a Cyrillic letter in Latin output")
        if unicodedata.normalize("NFC", lat) != lat:
            raise _fail(path, f"sample {lat!r} is not NFC")
    comments = data.get("comments") or []
    return Scheme(
        name=name or str(data["name"]),
        description=description or str(data.get("description", "")),
        mapping=mapping, prev=prev, next=nxt, ending=ending,
        samples=tuple((c, lt) for c, lt in samples),
        aliases=aliases, url=str(data.get("url", "")), reversible=reversible,
        exceptions=exceptions, lang=lang, source=str(path),
        comments=tuple(str(c) for c in comments), example=example,
    )


@cache
def scheme_index() -> tuple[dict[str, Any], ...]:
    """The entries of ``schemes.json`` (validated), in listing order."""
    path = data_path(f"{_FOLDER}/schemes.json")
    data = read_json(path)
    entries = data.get("schemes")
    if not isinstance(entries, list):
        raise _fail(path, "'schemes' must be a list")
    seen: set[str] = set()
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) \
                or not isinstance(entry.get("file"), str):
            raise _fail(path, f"scheme #{i + 1} needs a 'name' and a 'file'")
        if entry["name"] in seen:
            raise _fail(path, f"scheme {entry['name']!r} is listed twice")
        seen.add(entry["name"])
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise _fail(path, f"scheme {entry['name']!r}: 'aliases' must be a list of strings")
        out.append(entry)
    return tuple(out)


@cache
def _example_phrase() -> str:
    return str(read_json(data_path(f"{_FOLDER}/schemes.json")).get("example", "Юлия"))


@cache
def default_scheme_name() -> str:
    """The scheme used when none is named (``default`` in schemes.json)."""
    return str(read_json(data_path(f"{_FOLDER}/schemes.json")).get("default", "bsi"))


@cache
def _load_by_name(name: str) -> Scheme:
    for entry in scheme_index():
        if entry["name"] == name:
            return load_scheme_file(
                data_path(f"{_FOLDER}/{entry['file']}"), name=name,
                aliases=tuple(entry.get("aliases", ())), description=entry.get("title"),
                reversible=bool(entry.get("reversible", False)),
                exceptions=bool(entry.get("exceptions", True)), lang=entry.get("lang", "ru"),
                example=str(entry.get("example", "")))
    raise KeyError(name)


class _Loaded:
    """Attribute access loads a scheme by its canonical name: ``LOADED.bgn_pcgn``."""

    def __getattr__(self, name: str) -> Scheme:
        try:
            return _load_by_name(name)
        except KeyError:
            raise AttributeError(name) from None


#: Schemes by canonical name, loaded on first access (the registry's targets point here).
LOADED = _Loaded()


def register_schemes(registry: Any) -> None:
    """Registry loader: register every scheme of ``schemes.json`` under kind ``"scheme"``."""
    for entry in scheme_index():
        registry.register(
            "scheme", entry["name"], f"transcite.translit.scheme:LOADED.{entry['name']}",
            aliases=tuple(entry.get("aliases", ())), description=entry.get("title", ""),
            reversible=bool(entry.get("reversible", False)), file=entry["file"])
