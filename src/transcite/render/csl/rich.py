"""Rendered output as a small tree of formatted pieces, and the operations on it.

A *piece* is a ``str`` or an :class:`R` node: a formatting ``kind`` over a list of pieces. The
engine builds pieces bottom-up (every element's output is final once made, as in CSL's
definition of affixes, delimiters and formatting), merging punctuation where two pieces meet.
Quotes are nodes too, so that their marks are chosen at the end by nesting depth (outer and
inner quotes alternate) and punctuation can move inside them when the locale asks.

Kinds: ``i`` italic, ``o`` oblique, ``n-i`` normal style, ``b`` bold, ``l`` light, ``n-b``
normal weight, ``sc`` small caps, ``n-sc`` normal variant, ``u`` underline, ``n-u`` no
decoration, ``sup``, ``sub``, ``base`` baseline, ``q`` quoted, ``nocase`` (text-case leaves it
alone), ``nodecor`` (all formatting reset), ``block``/``left-margin``/``right-inline``/
``indent`` (CSL ``display``), and ``None`` (a plain sequence, possibly carrying a ``tag``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Union

from mypy_extensions import mypyc_attr

from ...lazy import lazy_re
from ...resources import load_data
from .native import register

__all__ = ["R", "Piece", "drop_first", "drop_last", "first_char", "fix_punct", "is_empty",
           "join", "join_each", "last_char", "map_text", "parse_rich", "plain", "seq",
           "punct_in_quotes"]


@mypyc_attr(allow_interpreted_subclasses=True)
class R:
    """A node of rendered output: ``kind`` formatting over ``kids``; ``tag`` marks a role
    (``names``, ``date``, ``year-suffix``...) that later stages look for."""

    __slots__ = ("kind", "kids", "tag", "fc", "lc", "hq")

    def __init__(self, kind: str | None, kids: list[Piece], tag: Any = None) -> None:
        self.kind = kind
        self.kids = kids
        self.tag = tag
        self.fc: str | None = None     # first and last rendered character, once asked
        self.lc: str | None = None
        self.hq: bool | None = None    # holds a quote node, once asked

    def __repr__(self) -> str:
        t = f" #{self.tag}" if self.tag is not None else ""
        return f"R({self.kind}{t}: {self.kids!r})"


Piece = Union[str, R]  # noqa: UP007 - a runtime alias, used before annotations exist

_TABLE = load_data("csl-punctuation.json")
_MERGE: dict[str, str] = _TABLE["merge"]
_NO_DELIM_BEFORE: str = _TABLE["no_delimiter_before"]
_ENDS = frozenset(k[0] for k in _MERGE)
_STARTS = frozenset(k[1] for k in _MERGE)
_OPEN_Q = "\u201c"
_CLOSE_Q = "\u201d"


def is_empty(p: Piece | None) -> bool:
    """True when the piece renders nothing."""
    if p is None:
        return True
    if isinstance(p, str):
        return not p
    return all(is_empty(k) for k in p.kids)


def seq(pieces: list[Piece], tag: Any = None) -> Piece | None:
    """A plain sequence of non-empty pieces (``None`` when there are none)."""
    kept = [p for p in pieces if p]
    if not kept:
        return None
    if len(kept) == 1 and tag is None:
        return kept[0]
    return R(None, kept, tag)


def first_char(p: Piece) -> str:
    """The first character the piece renders ('' if none); a quote node starts with a mark."""
    if isinstance(p, str):
        return p[:1]
    c = p.fc
    if c is not None:
        return c
    c = ""
    if p.kind == "q":
        c = _OPEN_Q if any(first_char(k) for k in p.kids) else ""
    else:
        for k in p.kids:
            c = first_char(k)
            if c:
                break
    p.fc = c
    return c


def last_char(p: Piece) -> str:
    """The last character the piece renders ('' if none)."""
    if isinstance(p, str):
        return p[-1:]
    c = p.lc
    if c is not None:
        return c
    c = ""
    if p.kind == "q":
        c = _CLOSE_Q if any(first_char(k) for k in p.kids) else ""
    else:
        for k in reversed(p.kids):
            c = last_char(k)
            if c:
                break
    p.lc = c
    return c


def drop_first(p: Piece, ch: str) -> Piece:
    """The piece without the run of ``ch`` it starts with (a copy; pieces are shared)."""
    if isinstance(p, str):
        return p.lstrip(ch)
    if p.kind == "q":
        return p
    kids = list(p.kids)
    for n, k in enumerate(kids):
        if first_char(k):
            kids[n] = drop_first(k, ch)
            break
    return R(p.kind, kids, p.tag)


def drop_last(p: Piece, ch: str) -> Piece:
    """The piece without the run of ``ch`` it ends with (a copy)."""
    if isinstance(p, str):
        return p.rstrip(ch)
    if p.kind == "q":
        return p
    kids = list(p.kids)
    for n in range(len(kids) - 1, -1, -1):
        if last_char(kids[n]):
            kids[n] = drop_last(kids[n], ch)
            break
    return R(p.kind, kids, p.tag)


def fix_punct(pieces: list[Piece]) -> list[Piece]:
    """Merge punctuation where neighbouring pieces meet ("?" + "." -> "?", "." + "." -> ".")."""
    out: list[Piece] = []
    ends, starts = _ENDS, _STARTS
    last = ""
    for y in pieces:
        if y.__class__ is str:
            if not y:
                continue
            b = y[0]
        else:
            b = first_char(y)
            if not b:
                continue
        if b == "." and last == _CLOSE_Q and out and _period_ends_quote(out[-1]):
            y = drop_first(y, ".")
            b = first_char(y)
            if not b:
                continue
        if out and last in ends and b in starts:
            y, b = _merge_seam(out, y, b)
            if not b:
                last = last_char(out[-1]) if out else ""
                continue
        out.append(y)
        last = y[-1] if y.__class__ is str else last_char(y)
    return out


def _merge_seam(out: list[Piece], y: Piece, b: str) -> tuple[Piece, str]:
    """Merge punctuation between ``out[-1]`` and ``y`` (changing ``out`` in place)."""
    merge = _MERGE
    while out:
        x = out[-1]
        a = last_char(x)
        rule = merge.get(a + b)
        if rule is None:
            break
        if rule == "first":
            y2 = drop_first(y, b)
            b2 = first_char(y2)
            if b2 == b:
                break
            y, b = y2, b2
            if not b:
                break
        else:
            x2 = drop_last(x, a)
            a2 = last_char(x2)
            if a2 == a:
                break
            if a2:
                out[-1] = x2
            else:
                out.pop()
    return y, b


def _period_ends_quote(p: Piece) -> bool:
    """True when a period after ``p`` would double the end of the quotation ``p`` ends with:
    the quotation ends with a period ("Done." + "."), or with an inner quotation ending in
    a period, question or exclamation mark ("On 'Why?'" + ".")."""
    q = _ends_in_quote(p)
    if q is None:
        return False
    inner = R(None, list(q.kids))
    nested = _ends_in_quote(inner)
    if nested is not None and last_char(inner) == _CLOSE_Q:
        return last_char(R(None, list(nested.kids))) in ".?!"
    return last_char(inner) == "."


def concat(pieces: list[Piece]) -> Piece:
    """The pieces as one, punctuation merged at every seam: a plain string when they are all
    strings (the common case, and the cheapest to render), else a sequence node."""
    for p in pieces:
        if p.__class__ is not str:
            merged = fix_punct(pieces)
            if len(merged) == 1:
                return merged[0]
            return R(None, merged)
    merge = _MERGE
    ends, starts = _ENDS, _STARTS
    out = ""
    for piece in pieces:
        y = str(piece)
        if not y:
            continue
        while out and y and out[-1] in ends and y[0] in starts:
            a, b = out[-1], y[0]
            rule = merge.get(a + b)
            if rule == "first":
                y = y.lstrip(b)
            elif rule == "second":
                out = out.rstrip(a)
            else:
                break
        out += y
    return out


def join_concat(pieces: list[Piece], delimiter: str) -> Piece:
    """A group's or a name list's pieces with ``delimiter`` between every two, whatever they
    start with (citeproc-js: "Journal. ;22"), as one piece, punctuation merged at the seams."""
    if len(pieces) == 1:
        return pieces[0]
    if not delimiter:
        return concat(pieces)
    out: list[Piece] = [pieces[0]]
    for p in pieces[1:]:
        out.append(delimiter)
        out.append(p)
    return concat(out)


def join(pieces: list[Piece], delimiter: str) -> list[Piece]:
    """Pieces with ``delimiter`` between them (not before a piece starting with , ; or .),
    punctuation merged at every seam."""
    if not delimiter or len(pieces) < 2:
        return fix_punct(pieces) if len(pieces) > 1 else pieces
    out: list[Piece] = [pieces[0]]
    for p in pieces[1:]:
        if first_char(p) not in _NO_DELIM_BEFORE or not first_char(p):
            out.append(delimiter)
        out.append(p)
    return fix_punct(out)


def join_each(pieces: list[Piece], delimiters: list[str]) -> list[Piece]:
    """Like :func:`join`, with its own delimiter before each piece after the first."""
    out: list[Piece] = pieces[:1]
    for p, d in zip(pieces[1:], delimiters):
        if d and (first_char(p) not in _NO_DELIM_BEFORE or not first_char(p)):
            out.append(d)
        out.append(p)
    return fix_punct(out) if len(out) > 1 else out


def plain(p: Piece | None) -> str:
    """The text of a piece without formatting (quotes as straight double quotes)."""
    if p is None:
        return ""
    if isinstance(p, str):
        return p
    inner = "".join(plain(k) for k in p.kids)
    if p.kind == "q" and inner:
        return f'"{inner}"'
    return inner


def map_text(p: Piece, fn: Callable[[str], str]) -> Piece:
    """Apply ``fn`` to every text leaf (a copy)."""
    if isinstance(p, str):
        return fn(p)
    return R(p.kind, [map_text(k, fn) for k in p.kids], p.tag)


def find_tag(p: Piece | None, tag: str) -> R | None:
    """The first node (depth first) whose tag is ``tag`` or a tuple starting with it."""
    if p is None or isinstance(p, str):
        return None
    if p.tag == tag or (isinstance(p.tag, tuple) and p.tag and p.tag[0] == tag):
        return p
    for k in p.kids:
        found = find_tag(k, tag)
        if found is not None:
            return found
    return None


def _ends_in_quote(p: Piece) -> R | None:
    if isinstance(p, str):
        return None
    if p.kind == "q":
        return p
    for k in reversed(p.kids):
        if last_char(k):
            return _ends_in_quote(k)
    return None


def has_quote(p: Piece) -> bool:
    """True when the piece holds a quote node (cached on the node)."""
    if isinstance(p, str):
        return False
    hq = p.hq
    if hq is None:
        hq = p.kind == "q" or any(has_quote(k) for k in p.kids)
        p.hq = hq
    return hq


def punct_in_quotes(p: Piece) -> Piece:
    """Move a period or comma that follows a closing quote inside it (American style); cite
    prefixes and suffixes (tagged ``affix``) are left as the writer typed them."""
    if isinstance(p, str) or p.tag == "affix" or not has_quote(p):
        return p
    kids = p.kids
    new: list[Piece] | None = None
    for n, k in enumerate(kids):
        if isinstance(k, R):
            k2 = punct_in_quotes(k)
            if k2 is not k:
                if new is None:
                    new = list(kids)
                new[n] = k2
    cur = new if new is not None else kids
    for n in range(len(cur) - 1):
        node = cur[n]
        if not isinstance(node, R) or node.tag == "affix":
            continue
        c = first_char(cur[n + 1])
        if c in (".", ",", "!", "?") and c and _ends_in_quote(cur[n]) is not None and \
                not _kept_in_affix(cur[n + 1], c):
            if new is None:
                new = list(cur)
                cur = new
            new[n] = _append_in_quote(new[n], c)
            new[n + 1] = drop_first_one(new[n + 1])
    return p if new is None else R(p.kind, new, p.tag)


def _kept_in_affix(p: Piece, c: str) -> bool:
    """True when ``c``, the first character of ``p``, belongs to a cite prefix or suffix
    that keeps it (citeproc-js moves a suffix's period into quotes only when text follows
    it, and never its comma)."""
    while isinstance(p, R):
        if p.tag == "affix":
            return c == "," or plain(p).strip() == c
        for k in p.kids:
            if first_char(k):
                p = k
                break
        else:
            return False
    return False


def drop_first_one(p: Piece) -> Piece:
    """The piece without its first character."""
    if isinstance(p, str):
        return p[1:]
    kids = list(p.kids)
    for n, k in enumerate(kids):
        if first_char(k):
            kids[n] = drop_first_one(k)
            break
    return R(p.kind, kids, p.tag)


def _append_in_quote(p: Piece, c: str) -> Piece:
    assert isinstance(p, R)
    if p.kind == "q":
        inner = R(None, list(p.kids))
        if _ends_in_quote(inner) is not None:
            return R("q", [_append_in_quote(inner, c)], p.tag)
        if last_char(inner) in "?!." and c == ".":
            return p                # "Why?" + "." -> "Why?" ("Why?," keeps its comma)
        merged = fix_punct([inner, c])
        return R("q", merged, p.tag)
    kids = list(p.kids)
    for n in range(len(kids) - 1, -1, -1):
        if last_char(kids[n]):
            kids[n] = _append_in_quote(kids[n], c)
            break
    return R(p.kind, kids, p.tag)


# --- CSL-JSON rich text in values -------------------------------------------------------------

_MARKUP = lazy_re(
    r'<(i|b|sup|sub|sc|u)>|</(i|b|sup|sub|sc|u|span)>'
    r'|<span\s+class="(nocase|nodecor)"\s*>'
    r'|<span\s+style="\s*font-variant:\s*small-caps;?\s*"\s*>'
    r'|<span\s+style="baseline"\s*>'
    r"|(\")|(\u201c)|(\u201d)|(')|(\u2018)|(\u2019)")
_TAG_KIND = {"i": "i", "b": "b", "sup": "sup", "sub": "sub", "sc": "sc", "u": "u"}
_WORDCHAR = lazy_re(r"\w")
#: What makes a value more than plain text: markup or a quotation mark.
_PLAIN_RICH = lazy_re("[<\"'\u201c\u2018\u2019\u201d]")


def parse_rich(text: str, curly: bool = True) -> Piece:
    """Parse CSL-JSON rich text: ``<i> <b> <sup> <sub> <sc>``, ``<span class="nocase">``,
    ``<span class="nodecor">``, small-caps spans, and quotation marks (straight or curly)
    become nodes; an apostrophe inside a word becomes a typographic one. With ``curly`` false
    (cite prefixes and suffixes) typographic quotation marks are kept as written."""
    if not text or _PLAIN_RICH.search(text) is None:
        return text
    root: list[Any] = [None, []]   # [kind, kids]
    stack = [root]
    pos = 0
    for m in _MARKUP.finditer(text):
        if m.start() > pos:
            stack[-1][1].append(text[pos:m.start()])
        pos = m.end()
        tok = m.group(0)
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if m.group(1):
            node: list[Any] = [_TAG_KIND[m.group(1)], [], None, tok]
            stack.append(node)
        elif m.group(2):
            kind = "span" if m.group(2) == "span" else _TAG_KIND[m.group(2)]
            if len(stack) > 1 and (stack[-1][0] == kind or
                                   (kind == "span" and stack[-1][0] in ("nocase", "nodecor",
                                                                        "sc", "base"))):
                _close(stack)
            else:
                stack[-1][1].append(tok)
        elif m.group(3):
            stack.append([m.group(3), [], None, tok])
        elif tok.startswith("<span"):
            stack.append(["sc" if "small" in tok else "base", [], None, tok])
        else:
            closing = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}
            top = stack[-1]
            word_before = bool(_WORDCHAR.match(before))
            word_after = bool(_WORDCHAR.match(after))
            if len(stack) > 1 and top[0] == "q" and top[2] == tok and not word_after and \
                    not before.isspace():
                _close(stack)
            elif not curly and tok in "\u201c\u201d\u2018\u2019" and not (
                    tok == "\u2019" and word_before and word_after):
                stack[-1][1].append(tok)
            elif tok in ("'", "\u2019") and word_before and word_after:
                stack[-1][1].append("\u2019")
            elif tok in closing and not after.isspace() and not (word_before and tok in "'\""):
                # a value's own quotation opened with a curly single mark is an inner one
                # (‘so’, as citeproc-js shows it); what it quotes takes the outer marks
                inner = tok == "\u2018" and not any(n[0] == "q" for n in stack)
                stack.append(["q", [], closing[tok], tok, "inner" if inner else None])
            elif tok in ("'", "\u2019"):
                stack[-1][1].append("\u2019")
            else:
                stack[-1][1].append(tok)
    if pos < len(text):
        stack[-1][1].append(text[pos:])
    while len(stack) > 1:    # unclosed markup: keep its text as written
        node = stack.pop()
        opener = (node[2] if len(node) > 2 else '"') if node[0] == "q" else \
            node[3] if len(node) > 3 else ""
        if opener == "'":
            opener = "\u2019"      # '09, 'tis: an apostrophe, not a quote
        stack[-1][1].extend([opener, *node[1]] if opener else node[1])
    return _build(root)


def _close(stack: list[Any]) -> None:
    node = stack.pop()
    stack[-1][1].append(_build(node))


def _build(node: list[Any]) -> Piece:
    kids: list[Piece] = []
    for k in node[1]:
        if not k:
            continue
        if isinstance(k, str) and kids and isinstance(kids[-1], str):
            kids[-1] += k
        else:
            kids.append(k)
    if node[0] is None:
        if len(kids) == 1 and isinstance(kids[0], str):
            return kids[0]
        return R(None, kids) if kids else ""
    if len(node) > 4:
        return R(node[0], kids, node[4])
    # formatting a value marks up itself flips inside the same formatting (citeproc-js)
    return R(node[0], kids, "markup" if node[0] in ("i", "b", "sc") else None)


register(globals())    # pickling when compiled (see .native)
