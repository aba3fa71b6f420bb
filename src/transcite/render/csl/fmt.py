"""Formatting attributes of a CSL element, read once per style and applied to output.

The order follows CSL: periods stripped, text-case, font formatting, quotes, then affixes
outside all of it (inside for ``<layout>``), then ``display``.
"""

from __future__ import annotations

import re
from typing import Any

from mypy_extensions import mypyc_attr

from .native import register
from .rich import Piece, R, concat, map_text
from .textcase import apply_case

__all__ = ["Fmt", "NO_FMT"]

_FONT = {
    ("font-style", "italic"): "i", ("font-style", "oblique"): "o",
    ("font-style", "normal"): "n-i",
    ("font-weight", "bold"): "b", ("font-weight", "light"): "l",
    ("font-weight", "normal"): "n-b",
    ("font-variant", "small-caps"): "sc", ("font-variant", "normal"): "n-sc",
    ("text-decoration", "underline"): "u", ("text-decoration", "none"): "n-u",
    ("vertical-align", "sup"): "sup", ("vertical-align", "sub"): "sub",
    ("vertical-align", "baseline"): "base",
}


_PERIOD = re.compile(r"\.([^a-z]|$)")


@mypyc_attr(allow_interpreted_subclasses=True)
class Fmt:
    """Affixes, font formatting, quotes, text-case, strip-periods and display of an element."""

    __slots__ = ("prefix", "suffix", "kinds", "text_case", "quotes", "strip_periods",
                 "display", "affixes_inside", "plain", "_bare")

    def __init__(self, prefix: str = "", suffix: str = "", kinds: tuple[str, ...] = (),
                 text_case: str | None = None, quotes: bool = False,
                 strip_periods: bool = False, display: str | None = None,
                 affixes_inside: bool = False) -> None:
        self.prefix = prefix
        self.suffix = suffix
        self.kinds = kinds
        self.text_case = text_case
        self.quotes = quotes
        self.strip_periods = strip_periods
        self.display = display
        self.affixes_inside = affixes_inside
        self.plain = not (prefix or suffix or kinds or text_case or quotes or strip_periods
                          or display)
        self._bare: Fmt | None = None

    @classmethod
    def of(cls, el: Any, *, affixes: bool = True, affixes_inside: bool = False,
           text_case: bool = True, quotes: bool = True, strip_periods: bool = True) -> Fmt:
        """Read the formatting attributes of an lxml element; ``text_case`` and ``quotes``
        false ignore those attributes where CSL does not allow them (citeproc-js ignores
        text-case on groups and names, quotes on localized dates)."""
        get = el.get
        kinds = []
        for attr in ("font-style", "font-variant", "font-weight", "text-decoration",
                     "vertical-align"):
            v = get(attr)
            if v is not None and (attr, v) in _FONT:
                kinds.append(_FONT[(attr, v)])
        f = cls(get("prefix", "") if affixes else "", get("suffix", "") if affixes else "",
                tuple(kinds), get("text-case") if text_case else None,
                quotes and get("quotes") == "true",
                strip_periods and get("strip-periods") == "true", get("display"), affixes_inside)
        return f if not f.plain else NO_FMT

    def without_affixes(self) -> Fmt:
        """The same formatting without prefix and suffix (cached)."""
        bare = self._bare
        if bare is None:
            if not (self.prefix or self.suffix):
                bare = self
            else:
                bare = Fmt("", "", self.kinds, self.text_case, self.quotes, self.strip_periods,
                           self.display, self.affixes_inside)
            self._bare = bare
        return bare

    def apply(self, p: Piece | None, english: bool = True, tag: Any = None) -> Piece | None:
        """Format a piece (``None`` or empty stays ``None``)."""
        if p is None or p == "":
            return None
        if self.plain:
            return R(None, [p], tag) if tag is not None else p
        if self.affixes_inside:
            p = self._affix(p)
        if self.text_case:
            p = apply_case(p, self.text_case, english)
        if self.strip_periods:      # a period before a lower-case letter stays (citeproc-js)
            p = map_text(p, lambda s: _PERIOD.sub(r"\1", s) if "." in s else s)
        for k in self.kinds:
            p = R(k, [p])
        if self.quotes:
            p = R("q", [p])
        if not self.affixes_inside:
            p = self._affix(p)
        if self.display:
            p = R(self.display, [p])
        if tag is not None:
            p = R(None, [p], tag)
        return p

    def _affix(self, p: Piece) -> Piece:
        if not (self.prefix or self.suffix):
            return p
        parts: list[Piece] = []
        if self.prefix:
            parts.append(self.prefix)
        parts.append(p)
        if self.suffix:
            parts.append(self.suffix)
        return concat(parts)


NO_FMT = Fmt()


register(globals())    # pickling when compiled (see .native)
