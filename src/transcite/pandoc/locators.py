"""Locators in citation suffixes: ``[@key, p. 71]``, ``[@key, С. 71]``, ``[@key, 33-35, 38]``.

Pandoc's AST keeps what follows the key as the citation's *suffix*; as Pandoc's own citeproc
does, the filter reads a locator from its start: an optional label (any form of a locator term
of the shipped CSL locales - English and Russian - or a spelling listed in
``transcite/data/locators.json``) and a value (numbers, ranges, lists, Roman numerals, or
anything in ``{braces}``). A bare value is a page. The rest stays the suffix, formatting and all.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..resources import DataError, data_path, load_data, shipped_dir
from .ast import str_

__all__ = ["Locator", "labels", "parse_locator", "split_suffix"]

_CSL = "{http://purl.org/net/xbiblio/csl}"


@dataclass(frozen=True, slots=True)
class Locator:
    """A locator read from a suffix: its CSL label (``page``, ``chapter``...) and value."""

    label: str
    value: str


@cache
def labels() -> dict[str, str]:
    """Every recognised label spelling (lower case) -> its CSL locator term."""
    table = load_data("locators.json")
    path = data_path("locators.json")
    terms = table.get("terms")
    extra = table.get("extra", {})
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise DataError(f"{path}: 'terms' must be a list of CSL term names")
    if not isinstance(extra, dict) or not all(
            isinstance(v, list) and all(isinstance(s, str) for s in v) for v in extra.values()):
        raise DataError(f"{path}: 'extra' must map term names to lists of spellings")
    unknown = sorted(set(extra) - set(terms))
    if unknown:
        raise DataError(f"{path}: 'extra' names terms not in 'terms': {', '.join(unknown)}")
    wanted = set(terms)
    out: dict[str, str] = {}
    folder = shipped_dir("styles") / "locales"
    for locale in sorted(folder.glob("locales-*.xml")):
        try:
            root = ET.parse(locale).getroot()
        except ET.ParseError as exc:
            raise DataError(f"{locale}: invalid XML: {exc}") from None
        for term in root.iter(f"{_CSL}term"):
            name = term.get("name")
            if name is None or name not in wanted:
                continue
            texts = [term.text or ""] + [(child.text or "") for child in term]
            for text in texts:
                text = text.strip().lower()
                if text and text not in out:
                    out[text] = name
    for name, spellings in extra.items():
        for text in spellings:
            out.setdefault(text.strip().lower(), name)
    return out


@cache
def _label_pattern() -> re.Pattern[str]:
    names = sorted(labels(), key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    # a label ends with its dot, or before a space or a digit
    return re.compile(rf"(?i)(?P<label>{alternatives})(?:(?<=\.)|(?=[\s\u00a0\d]))[\s\u00a0]*")


@cache
def _default_label() -> str:
    value = load_data("locators.json").get("default", "page")
    return str(value)


_ROMAN = r"(?i:[ivxlcdm]+)(?![\w])"
_TOKEN = rf"(?:[\w.:]*\d[\w.:\-\u2013]*|{_ROMAN})"
_VALUE = re.compile(rf"\{{(?P<braced>[^{{}}]*)\}}|(?P<plain>{_TOKEN}(?:(?:\s*[,&]\s*|\s*[-\u2013]"
                    rf"\s*){_TOKEN})*)")
_LEAD = re.compile(r"^[\s\u00a0]*,?[\s\u00a0]*")


def parse_locator(text: str) -> tuple[Locator, int] | None:
    """The locator at the start of ``text`` and how many characters it took, or None.

    >>> parse_locator(", p. 71, and elsewhere")
    (Locator(label='page', value='71'), 7)
    >>> parse_locator("С. 71")[0]
    Locator(label='page', value='71')
    """
    pos = _LEAD.match(text).end()  # type: ignore[union-attr]
    label = None
    m = _label_pattern().match(text, pos)
    if m is not None:
        label = labels()[m.group("label").lower()]
        pos = m.end()
    v = _VALUE.match(text, pos)
    if v is None or (label is None and v.group("plain") is not None
                     and not any(ch.isdigit() for ch in v.group("plain"))):
        return None  # without a label only numbers are locators ("[@key, I think]")
    if v.group("braced") is not None:
        value, end = v.group("braced"), v.end()
    else:
        value = v.group("plain")
        end = v.end()
        stripped = value.rstrip(".:")
        end -= len(value) - len(stripped)
        value = stripped
        nxt = text[end:end + 1]
        if nxt and (nxt.isalpha() or nxt.isdigit()):
            return None  # "71st" or a word: not a locator
    if not value:
        return None
    return Locator(label or _default_label(), value), end


_PLAIN = ("Str", "Space", "SoftBreak")


def split_suffix(suffix: list[dict[str, Any]]) -> tuple[Locator | None, list[dict[str, Any]]]:
    """Read a locator from the start of a Pandoc suffix; return it and the rest of the suffix.

    Only the leading run of plain text (``Str`` and spaces) is read; formatted text after it is
    kept as it is.
    """
    head: list[dict[str, Any]] = []
    for node in suffix:
        if node.get("t") not in _PLAIN:
            break
        head.append(node)
    texts = [node["c"] if node["t"] == "Str" else " " for node in head]
    found = parse_locator("".join(texts))
    if found is None:
        return None, suffix
    locator, consumed = found
    rest: list[dict[str, Any]] = []
    used = 0
    for node, text in zip(head, texts):
        if used >= consumed:
            rest.append(node)
        elif used + len(text) > consumed:
            rest.append(str_(text[consumed - used:]))
        used += len(text)
    return locator, rest + suffix[len(head):]
