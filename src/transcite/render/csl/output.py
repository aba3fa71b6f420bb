"""Writing rendered pieces as HTML, plain text or Pandoc Markdown.

Formatting a value marks up itself flips inside the same formatting (italics inside italics
turn upright, as CSL asks); the style's own formatting nested in the same does not (citeproc-js);
quotes alternate between the locale's outer and inner marks by depth.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from mypy_extensions import mypyc_attr

from ...lazy import lazy_re
from .native import register
from .rich import Piece, R, last_char

__all__ = ["FORMATS", "Quotes", "render", "suffix_into_display"]

#: Output formats.
FORMATS = ("html", "text", "markdown")


@mypyc_attr(allow_interpreted_subclasses=True)
class Quotes:
    """The four quotation marks of a locale."""

    __slots__ = ("open", "close", "inner_open", "inner_close")

    def __init__(self, open_: str = "\u201c", close: str = "\u201d",
                 inner_open: str = "\u2018", inner_close: str = "\u2019") -> None:
        self.open = open_
        self.close = close
        self.inner_open = inner_open
        self.inner_close = inner_close


# superscript-like letters without a <super> decomposition, and their base letters
_SUPER_EXTRA = {"\u02c0": "\u0294", "\u02c1": "\u0295", "\u06e5": "\u0648",
                "\u06e6": "\u064a"}


def _super_base(ch: str) -> str:
    """The base character of a Unicode superscript ("ª" -> "a", "²" -> "2")."""
    if ch in _SUPER_EXTRA:
        return _SUPER_EXTRA[ch]
    decomposition = unicodedata.decomposition(ch)
    return chr(int(decomposition.split()[1], 16))


@cache
def _superscripts() -> re.Pattern[str]:
    """Superscript letters and digits, written as <sup> in HTML as CSL processors do."""
    return re.compile("[" + "".join(
        chr(c) for c in range(0xA0, 0x3300)
        if unicodedata.decomposition(chr(c)).startswith("<super>")) +
        "".join(_SUPER_EXTRA) + "]")
_HTML_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_MD_SPECIAL = lazy_re(r"([\\`*_\[\]<>#^~|])")

# kind -> (state slot, value set, html when switching on, html when switching off (flip))
_STATEFUL = {
    "i": ("style", "italic"), "o": ("style", "oblique"), "n-i": ("style", "normal"),
    "b": ("weight", "bold"), "l": ("weight", "light"), "n-b": ("weight", "normal"),
    "sc": ("variant", "small-caps"), "n-sc": ("variant", "normal"),
    "u": ("decor", "underline"), "n-u": ("decor", "none"),
}
_HTML_ON = {
    ("style", "italic"): ("<i>", "</i>"),
    ("style", "oblique"): ('<span style="font-style:oblique;">', "</span>"),
    ("style", "normal"): ('<span style="font-style:normal;">', "</span>"),
    ("weight", "bold"): ("<b>", "</b>"),
    ("weight", "light"): ('<span style="font-weight:light;">', "</span>"),
    ("weight", "normal"): ('<span style="font-weight:normal;">', "</span>"),
    ("variant", "small-caps"): ('<span style="font-variant:small-caps;">', "</span>"),
    ("variant", "normal"): ('<span style="font-variant:normal;">', "</span>"),
    ("decor", "underline"): ('<span style="text-decoration:underline;">', "</span>"),
    ("decor", "none"): ('<span style="text-decoration:none;">', "</span>"),
}
_MD_ON = {
    ("style", "italic"): ("*", "*"), ("style", "oblique"): ("*", "*"),
    ("weight", "bold"): ("**", "**"),
    ("variant", "small-caps"): ("[", "]{.smallcaps}"),
    ("decor", "underline"): ("[", "]{.underline}"),
}
_DEFAULT = {"style": "normal", "weight": "normal", "variant": "normal", "decor": "none"}


@mypyc_attr(allow_interpreted_subclasses=True)
class _Writer:
    def __init__(self, fmt: str, quotes: Quotes) -> None:
        self.fmt = fmt
        self.q = quotes
        self.state = dict(_DEFAULT)
        self.depth = 0
        self.out: list[str] = []

    def text(self, s: str) -> None:
        if self.fmt == "html":
            s = s.translate(_HTML_ESC)
            if not s.isascii() and _superscripts().search(s):
                s = _superscripts().sub(lambda m: f"<sup>{_super_base(m.group(0))}</sup>", s)
            self.out.append(s)
        elif self.fmt == "markdown":
            self.out.append(_MD_SPECIAL.sub(r"\\\1", s))
        else:
            self.out.append(s)

    def kids(self, node: R) -> None:
        for k in node.kids:
            self.piece(k)

    def piece(self, p: Piece) -> None:
        if isinstance(p, str):
            if p:
                self.text(p)
            return
        kind = p.kind
        if kind is None or kind == "nocase":
            self.kids(p)
        elif kind in _STATEFUL:
            self.stateful(p, *_STATEFUL[kind])
        elif kind == "q":
            self.quoted(p)
        elif kind in ("sup", "sub"):
            self.wrap(p, {"html": (f"<{kind}>", f"</{kind}>"),
                          "markdown": ("^", "^") if kind == "sup" else ("~", "~")})
        elif kind == "base":
            self.wrap(p, {"html": ('<span style="baseline">', "</span>")})
        elif kind == "nodecor":
            saved = dict(self.state)
            opened = []
            for slot, val in self.state.items():
                if val != _DEFAULT[slot] and self.fmt == "html":
                    opened.append(_HTML_ON[(slot, _DEFAULT[slot])])
            for o, _ in opened:
                self.out.append(o)
            self.state = dict(_DEFAULT)
            self.kids(p)
            for _, c in reversed(opened):
                self.out.append(c)
            self.state = saved
        elif kind in ("block", "left-margin", "right-inline", "indent"):
            self.display(p, kind)
        else:
            self.kids(p)

    def wrap(self, p: R, marks: dict[str, tuple[str, str]]) -> None:
        o, c = marks.get(self.fmt, ("", ""))
        self.out.append(o)
        self.kids(p)
        self.out.append(c)

    def stateful(self, p: R, slot: str, value: str) -> None:
        current = self.state[slot]
        if value != _DEFAULT[slot] and current == value and p.tag == "markup":
            value = _DEFAULT[slot]          # flip-flop: italics inside italics turn upright
        if value == current:
            self.kids(p)
            return
        table = _HTML_ON if self.fmt == "html" else _MD_ON if self.fmt == "markdown" else {}
        o, c = table.get((slot, value), ("", ""))
        self.state[slot] = value
        self.out.append(o)
        self.kids(p)
        self.out.append(c)
        self.state[slot] = current

    def quoted(self, p: R) -> None:
        shift = 1 if p.tag == "inner" and self.depth == 0 else 0   # ‘a value's own’
        self.depth += shift
        outer = self.depth % 2 == 0
        o, c = (self.q.open, self.q.close) if outer else (self.q.inner_open, self.q.inner_close)
        self.depth += 1
        self.text(o)
        self.kids(p)
        self.text(c)
        self.depth -= 1 + shift

    def display(self, p: R, kind: str) -> None:
        if self.fmt == "html":
            self.out.append(f'<div class="csl-{kind}">')
            self.kids(p)
            self.out.append("</div>")
        else:
            if kind == "block" and self.out and not self.out[-1].endswith("\n"):
                self.out.append("\n")
            self.kids(p)
            if kind == "left-margin":
                self.out.append("\u0000")   # a separator the caller turns into a space


def render(p: Piece | None, fmt: str = "html", quotes: Quotes | None = None) -> str:
    """The piece as ``html``, ``text`` or ``markdown``."""
    if p is None:
        return ""
    w = _Writer(fmt, quotes or Quotes())
    w.piece(p)
    s = "".join(w.out)
    if "\u0000" in s:
        s = re.sub(r"\u0000(\s*)", lambda m: m.group(1) or " ", s)
    return s


_DISPLAY = ("block", "left-margin", "right-inline", "indent")


def suffix_into_display(p: Piece, suffix: str) -> Piece | None:
    """``p`` with ``suffix`` added inside the display block it ends with, or None when it
    does not end with one."""
    if not isinstance(p, R):
        return None
    for n in range(len(p.kids) - 1, -1, -1):
        k = p.kids[n]
        if not last_char(k) and not (isinstance(k, R) and k.kind in _DISPLAY):
            continue
        if isinstance(k, R) and k.kind in _DISPLAY:
            new: Piece = R(k.kind, [R(None, [*k.kids, suffix])], k.tag)
        else:
            found = suffix_into_display(k, suffix)
            if found is None:
                return None
            new = found
        return R(p.kind, [*p.kids[:n], new, *p.kids[n + 1:]], p.tag)
    return None


register(globals())    # pickling when compiled (see .native)
