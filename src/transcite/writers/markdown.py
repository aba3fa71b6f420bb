"""CSL text <-> pandoc Markdown, for CSL-YAML.

pandoc reads every string of a YAML bibliography as Markdown: ``2*3*4`` becomes italics,
``H~2~O`` a subscript, a leading ``#`` a heading, ``"quotes"`` curly quotes, ``--`` a dash. So the
CSL-YAML writer escapes what Markdown would read (:func:`to_markdown`) and writes CSL's markup as
pandoc's (``<i>`` -> ``*...*``, ``<span class="nocase">`` -> ``[...]{.nocase}``); the reader turns
it back (:func:`from_markdown`), as pandoc would read it.

>>> to_markdown('H~2~O and 2*3*4, <i>E. coli</i>')
'H\\\\~2\\\\~O and 2\\\\*3\\\\*4, *E. coli*'
>>> from_markdown(to_markdown('# 1. "Quoted" -- C# <span class="nocase">NASA</span>'))
'# 1. "Quoted" -- C# <span class="nocase">NASA</span>'
"""

from __future__ import annotations

import re

__all__ = ["from_markdown", "to_markdown"]

_ALWAYS = set("\\*_`[]^~$@<>#|\"'")
_TAG = re.compile(r"<(/?)(i|b|sup|sub|span)(\s[^>]*)?>")
_SPAN_CLASS = {'class="nocase"': "nocase", 'style="font-variant:small-caps;"': "smallcaps",
               'style="font-variant: small-caps;"': "smallcaps"}
_MD = {"i": ("*", "*"), "b": ("**", "**"), "sup": ("^", "^"), "sub": ("~", "~")}
_LIST_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)|^(\s*)([-+])(?=\s|$)")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def _escape_text(text: str) -> str:
    out = []
    for ch in text:
        out.append("\\" + ch if ch in _ALWAYS else ch)
    escaped = "".join(out)
    escaped = _ENTITY.sub(r"\\&", escaped)
    escaped = escaped.replace("--", "-\\-").replace("...", "..\\.")
    return escaped


def _escape_starts(text: str) -> str:
    """Escape what would start a list at the beginning of a line."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _LIST_START.match(line)
        if m and m.group(3):
            lines[i] = f"{m.group(1)}{m.group(2)}\\{m.group(3)}{line[m.end():]}"
        elif m and m.group(5):
            lines[i] = f"{m.group(4)}\\{m.group(5)}{line[m.end():]}"
    return "\n".join(lines)


def to_markdown(text: str) -> str:
    """CSL text (with CSL's HTML-like markup) as pandoc Markdown that reads back the same."""
    if not text:
        return text
    pieces: list[str] = []
    pos = 0
    for m in _TAG.finditer(text):
        pieces.append(_escape_text(text[pos:m.start()]))
        pieces.append(m.group(0))
        pos = m.end()
    pieces.append(_escape_text(text[pos:]))
    return _escape_starts(_markup(pieces))


def _markup(pieces: list[str]) -> str:
    """Join escaped text and tags, writing well-formed markup as Markdown (the rest stays
    raw HTML, which pandoc keeps)."""
    out: list[str] = []
    stack: list[tuple[int, str, str]] = []  # (index in out, tag, markdown kind)
    for piece in pieces:
        m = _TAG.fullmatch(piece) if piece.startswith("<") else None
        if m is None:
            out.append(piece)
            continue
        closing, tag, attrs = m.group(1), m.group(2), (m.group(3) or "").strip()
        if not closing:
            kind = _SPAN_CLASS.get(attrs, "") if tag == "span" else tag
            stack.append((len(out), tag, kind))
            out.append(piece)
            continue
        if not stack or stack[-1][1] != tag:
            out.append(piece)
            continue
        start, _, kind = stack.pop()
        inner = "".join(out[start + 1:])
        if kind and _fits(kind, inner):
            if kind in _MD:
                left, right = _MD[kind]
                out[start:] = [f"{left}{inner}{right}"]
            else:
                out[start:] = [f"[{inner}]{{.{kind}}}"]
        else:
            out.append(piece)
    return "".join(out)


def _fits(kind: str, inner: str) -> bool:
    if not inner or inner != inner.strip() or "<" in inner.replace("\\<", ""):
        return False
    if inner[0] in "*_^~[" or inner[-1] in "*_^~}":
        return False  # nested markup against the delimiters would read differently
    if kind in ("sup", "sub"):
        return not any(ch.isspace() for ch in inner)
    return True


# -- reading --------------------------------------------------------------------------------

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_CLOSE_TAGS = {"*": "i", "**": "b", "_": "i", "__": "b", "^": "sup", "~": "sub"}


def from_markdown(text: str) -> str:
    """pandoc Markdown (as CSL-YAML strings hold it) as CSL text with CSL's markup."""
    if not text or not any(ch in text for ch in "\\*_^~["):
        return text
    return _Reader(text).run(None)


class _Reader:
    __slots__ = ("pos", "s")

    def __init__(self, s: str) -> None:
        self.s = s
        self.pos = 0

    def run(self, until: str | None) -> str:
        s = self.s
        out: list[str] = []
        while self.pos < len(s):
            ch = s[self.pos]
            if until is not None and s.startswith(until, self.pos) and self._closes(until):
                self.pos += len(until)
                return "".join(out)
            if ch == "\\" and self.pos + 1 < len(s) and s[self.pos + 1] in _PUNCT:
                out.append(s[self.pos + 1])
                self.pos += 2
                continue
            opened = self._open()
            if opened is not None:
                out.append(opened)
                continue
            out.append(ch)
            self.pos += 1
        if until is not None:
            raise _Unclosed
        return "".join(out)

    def _closes(self, delim: str) -> bool:
        before = self.s[self.pos - 1] if self.pos else " "
        if before.isspace():
            return False
        if delim in ("*", "_") and self.s.startswith(delim * 2, self.pos):
            return False
        if delim.startswith("_"):
            after = self.s[self.pos + len(delim):self.pos + len(delim) + 1]
            return not after.isalnum()
        return True

    def _open(self) -> str | None:
        s, pos = self.s, self.pos
        for delim in ("**", "__", "*", "_", "^", "~"):
            if not s.startswith(delim, pos):
                continue
            if delim == "~" and s.startswith("~~", pos):
                return None
            after = s[pos + len(delim):pos + len(delim) + 1]
            if not after or after.isspace():
                return None
            if delim.startswith("_") and pos and (s[pos - 1].isalnum()):
                return None  # intraword underscores are not emphasis
            return self._group(delim, len(delim), _CLOSE_TAGS[delim])
        if s.startswith("[", pos):
            return self._span()
        return None

    def _group(self, delim: str, width: int, tag: str) -> str | None:
        start = self.pos
        self.pos += width
        try:
            inner = self.run(delim)
        except _Unclosed:
            self.pos = start
            return None
        if tag in ("sup", "sub") and any(ch.isspace() for ch in inner):
            self.pos = start
            return None
        return f"<{tag}>{inner}</{tag}>"

    def _span(self) -> str | None:
        start = self.pos
        self.pos += 1
        try:
            inner = self.run("]")
        except _Unclosed:
            self.pos = start
            return None
        m = re.match(r"\{\.(nocase|smallcaps)\}", self.s[self.pos:])
        if not m:
            self.pos = start
            return None
        self.pos += m.end()
        if m.group(1) == "nocase":
            return f'<span class="nocase">{inner}</span>'
        return f'<span style="font-variant:small-caps;">{inner}</span>'


class _Unclosed(Exception):
    """A delimiter that opens nothing: read it as text."""
