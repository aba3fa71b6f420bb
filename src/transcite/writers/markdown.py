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

from collections.abc import Callable

from ..lazy import lazy_re

__all__ = ["from_markdown", "to_markdown"]

_ALWAYS = set("\\*_`[]^~$@<>#|\"'")
_TAG = lazy_re(r"<(/?)(i|b|sup|sub|span)(\s[^>]*)?>")
_SPAN_CLASS = {'class="nocase"': "nocase", 'style="font-variant:small-caps;"': "smallcaps",
               'style="font-variant: small-caps;"': "smallcaps"}
_MD = {"i": ("*", "*"), "b": ("**", "**"), "sup": ("^", "^"), "sub": ("~", "~")}
_LIST_START = lazy_re(r"^(\s*)(\d+)([.)])(?=\s|$)|^(\s*)([-+])(?=\s|$)")
_ENTITY = lazy_re(r"&(?=#?\w+;)")


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
    if len(pieces) == 1:
        return _escape_starts(pieces[0])
    written = _escape_starts(_markup(pieces))
    if from_markdown(written) != text:
        # Markup pandoc would pair otherwise (``<i>a</i><i>b</i>`` as ``*a**b*``): raw HTML.
        written = _escape_starts("".join(pieces))
        if from_markdown(written) != text:
            # a "tag" no HTML reader takes as one (``<span c{\'e}lass=...>``: its
            # backslash would read as an escape): all of it as text
            written = _escape_starts(_escape_text(text))
    return written


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
#
# Emphasis follows pandoc's own Markdown reader (its ``enclosure``/``one``/``two``/``three``
# rules), not CommonMark's: a run of one, two or three delimiters opens unless followed by a
# space; one ``*`` closes at the next ``*`` (a ``**`` inside opens strong text first), so
# ``*it***b**`` is italics then bold; ``_`` neither opens after a word nor closes before one.

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_MAX_DEPTH = 48  # deeper nesting reads as text (hostile input must not exhaust the stack)


def from_markdown(text: str) -> str:
    """pandoc Markdown (as CSL-YAML strings hold it) as CSL text with CSL's markup."""
    if not text or not any(ch in text for ch in "\\*_^~["):
        return text
    reader = _Reader(text)
    return reader.inlines(lambda: False)


class _Reader:
    __slots__ = ("after_str", "depth", "pos", "s")

    def __init__(self, s: str) -> None:
        self.s = s
        self.pos = 0
        self.depth = 0
        self.after_str = -1  # where the last word (or closed emphasis) ended

    def inlines(self, stop: Callable[[], bool]) -> str:
        """Inlines up to the end or to where ``stop`` holds (not consumed)."""
        out: list[str] = []
        s = self.s
        while self.pos < len(s) and not stop():
            out.append(self.inline())
        return "".join(out)

    def inline(self) -> str:
        s, pos = self.s, self.pos
        ch = s[pos]
        if ch == "\\" and pos + 1 < len(s) and s[pos + 1] in _PUNCT:
            self.pos += 2
            return s[pos + 1]
        if self.depth < _MAX_DEPTH:
            if ch == "*" or (ch == "_" and self.after_str != pos):
                return self._enclosure(ch)
            if ch in "^~":
                got = self._script(ch)
                if got is not None:
                    return got
            if ch == "[":
                got = self._span()
                if got is not None:
                    return got
        self.pos += 1
        if ch.isalnum():
            self.after_str = self.pos
        return ch

    def _ender(self, c: str, n: int) -> bool:
        s, pos = self.s, self.pos
        if s[pos:pos + n] != c * n:
            return False
        return c == "*" or not s[pos + n:pos + n + 1].isalnum()

    def _close(self, n: int) -> None:
        self.pos += n
        self.after_str = self.pos

    def _enclosure(self, c: str) -> str:
        s, start = self.s, self.pos
        end = start
        while end < len(s) and s[end] == c:
            end += 1
        run = s[start:end]
        self.pos = end
        if end < len(s) and s[end].isspace() or len(run) > 3:
            return run
        self.depth += 1
        try:
            if len(run) == 3:
                return self._three(c)
            if len(run) == 2:
                return self._two(c, "")
            return self._one(c, "")
        finally:
            self.depth -= 1

    def _three(self, c: str) -> str:
        inner = self.inlines(lambda: self._ender(c, 1))
        if self._ender(c, 3):
            self._close(3)
            return f"<b><i>{inner}</i></b>"
        if self._ender(c, 2):
            self._close(2)
            return self._one(c, f"<b>{inner}</b>")
        if self._ender(c, 1):
            self._close(1)
            return self._two(c, f"<i>{inner}</i>")
        return c * 3 + inner

    def _two(self, c: str, prefix: str) -> str:
        inner = self.inlines(lambda: self._ender(c, 2))
        if self._ender(c, 2):
            self._close(2)
            return f"<b>{prefix}{inner}</b>"
        return c * 2 + prefix + inner

    def _one(self, c: str, prefix: str) -> str:
        out: list[str] = []
        s = self.s
        while self.pos < len(s):
            if not self._ender(c, 1):
                out.append(self.inline())
                continue
            pos = self.pos
            if s.startswith(c * 2, pos):
                self.pos += 2
                if not self._ender(c, 1):
                    out.append(self._two(c, ""))
                    continue
                self.pos = pos
            break
        inner = "".join(out)
        if self.pos < len(s) and self._ender(c, 1):
            self._close(1)
            return f"<i>{prefix}{inner}</i>"
        return c + prefix + inner

    def _script(self, c: str) -> str | None:
        """``^sup^`` and ``~sub~``: no spaces inside, and ``~~`` is not a subscript."""
        s, start = self.s, self.pos
        if s.startswith(c * 2, start) and c == "~":
            return None
        self.pos = start + 1
        self.depth += 1
        try:
            out: list[str] = []
            while self.pos < len(s) and s[self.pos] != c and not s[self.pos].isspace():
                out.append(self.inline())
        finally:
            self.depth -= 1
        if not out or self.pos >= len(s) or s[self.pos] != c:
            self.pos = start
            return None
        self.pos += 1
        tag = "sup" if c == "^" else "sub"
        return f"<{tag}>{''.join(out)}</{tag}>"

    def _span(self) -> str | None:
        s, start = self.s, self.pos
        self.pos += 1
        self.depth += 1
        try:
            inner = self.inlines(lambda: self.s[self.pos] == "]")
        finally:
            self.depth -= 1
        m = _SPAN_ATTR.match(s, self.pos)
        if m is None:
            self.pos = start
            return None
        self.pos = m.end()
        if m.group(1) == "nocase":
            return f'<span class="nocase">{inner}</span>'
        return f'<span style="font-variant:small-caps;">{inner}</span>'


_SPAN_ATTR = lazy_re(r"\]\{\.(nocase|smallcaps)\}")
