"""Romanising text and names with a :class:`~transcite.translit.scheme.Scheme`.

Text is cut into markup tags (left as they are: ``<i>``, ``<span class="nocase">``), words (runs
of letters) and everything else (kept). Words holding a Cyrillic letter are romanised; with
exceptions on, established spellings from ``exceptions.json`` are used for whole words and phrases
first. The result is NFC.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from ..model import Name
from .exceptions import match_case, romanise_matcher
from .scheme import Scheme, has_cyrillic

__all__ = ["KINDS", "WORD", "romanise_name_parts", "romanise_text"]

#: The kinds of text romanise() knows: titles (default), personal names, places of publication.
KINDS = ("title", "name", "place")
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
#: A word: letters, with any combining marks (stress accents) inside it.
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*")


def _words(segment: str, scheme: Scheme) -> str:
    return WORD.sub(lambda m: scheme.word(m.group()) if has_cyrillic(m.group()) else m.group(),
                    segment)


def _segment(segment: str, scheme: Scheme, kind: str, exceptions: bool) -> str:
    if not has_cyrillic(segment):
        return segment
    pattern, table = romanise_matcher(kind) if exceptions else (None, {})
    if pattern is None:
        return _words(segment, scheme)
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(segment):
        out.append(_words(segment[pos:m.start()], scheme))
        out.append(match_case(m.group(), table[m.group().lower()]))
        pos = m.end()
    out.append(_words(segment[pos:], scheme))
    return "".join(out)


def romanise_text(text: str, scheme: Scheme, *, kind: str = "title",
                  exceptions: bool | None = None) -> str:
    """Romanise *text* by *scheme*; see :func:`transcite.translit.romanise`."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not has_cyrillic(text):
        return text
    use = scheme.exceptions if exceptions is None else exceptions
    out: list[str] = []
    pos = 0
    for m in _TAG.finditer(text):
        out.append(_segment(text[pos:m.start()], scheme, kind, use))
        out.append(m.group())
        pos = m.end()
    out.append(_segment(text[pos:], scheme, kind, use))
    return unicodedata.normalize("NFC", "".join(out))


def romanise_name_parts(name: Name, scheme: Scheme, *, exceptions: bool | None = None) -> Name:
    """A copy of *name* with every part romanised (initials ``Ю.`` -> ``Yu.``), no variants."""
    def _part(part: str | None) -> str | None:
        if part is None:
            return None
        return romanise_text(part, scheme, kind="name", exceptions=exceptions)

    return replace(name, family=_part(name.family), given=_part(name.given),
                   dropping_particle=_part(name.dropping_particle),
                   non_dropping_particle=_part(name.non_dropping_particle),
                   suffix=_part(name.suffix), literal=_part(name.literal), variants=[])
