"""CSL ``text-case``: lowercase, uppercase, capitalize-first, capitalize-all, sentence, title.

Text inside ``<span class="nocase">`` (a ``nocase`` node) is left alone. Title case applies
to English items only (CSL 1.0.2): stop words and single letters stay lower case unless
first or after a colon (a stop word also when last); words that already carry capitals
(acronyms, brand names, "iPod") are kept, as they are by capitalize-first and -all.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...lazy import lazy_re
from ...resources import load_data
from .rich import Piece, R

__all__ = ["apply_case"]

_STOP = frozenset(load_data("csl-textcase.json")["stop_words"])
_WORD = lazy_re(r"[^\W_]+(?:['\u2019`][^\W_]+)*", re.U)
_PROTECTED = frozenset({"nocase", "sc", "sup", "sub"})
_LATIN = lazy_re(r"[A-Za-z\u00C0-\u024F]")
_PUNCT = lazy_re(r"[-\u2013\u2014/.,;?!:\[\]()\"'\u2018\u2019\u201c\u201d]")


def _leaves(p: Piece, out: list[tuple[str, bool]], protected: bool = False) -> None:
    if isinstance(p, str):
        out.append((p, protected))
        return
    prot = protected or p.kind in _PROTECTED
    for k in p.kids:
        _leaves(k, out, prot)


def _rebuild(p: Piece, texts: list[str], pos: list[int]) -> Piece:
    if isinstance(p, str):
        t = texts[pos[0]]
        pos[0] += 1
        return t
    return R(p.kind, [_rebuild(k, texts, pos) for k in p.kids], p.tag)


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def apply_case(p: Piece, case: str, english: bool = True) -> Piece:
    """Apply a CSL text-case to a piece."""
    if case == "title" and not english:
        return p
    fn = _CASES.get(case)
    if fn is None:
        return p
    leaves: list[tuple[str, bool]] = []
    _leaves(p, leaves)
    texts = fn(leaves)
    if isinstance(p, str):
        return texts[0]
    return _rebuild(p, texts, [0])


def _simple(f: Callable[[str], str]) -> Callable[[list[tuple[str, bool]]], list[str]]:
    def run(leaves: list[tuple[str, bool]]) -> list[str]:
        return [t if prot else f(t) for t, prot in leaves]
    return run


def _words(leaves: list[tuple[str, bool]]) -> list[tuple[int, int, int, str]]:
    """Every word as (leaf index, start, end, text), protected leaves' words included (they
    count for positions but are not changed)."""
    found = []
    for n, (t, _) in enumerate(leaves):
        for m in _WORD.finditer(t):
            found.append((n, m.start(), m.end(), m.group(0)))
    return found


def _replace(leaves: list[tuple[str, bool]],
             changes: dict[tuple[int, int], tuple[int, str]]) -> list[str]:
    out = []
    for n, (t, prot) in enumerate(leaves):
        if prot:
            out.append(t)
            continue
        mine = sorted((s, e, w) for (ln, s), (e, w) in changes.items() if ln == n)
        if not mine:
            out.append(t)
            continue
        buf, last = [], 0
        for s, e, w in mine:
            buf.append(t[last:s])
            buf.append(w)
            last = e
        buf.append(t[last:])
        out.append("".join(buf))
    return out


def _capitalize_first(leaves: list[tuple[str, bool]]) -> list[str]:
    texts = [t for t, _ in leaves]
    for n, (t, prot) in enumerate(leaves):      # only the first word matters
        m = _WORD.search(t)
        if m is None:
            continue
        w = m.group(0)
        if prot or w != w.lower():      # "iPod", "mcDonald" keep their capitals
            return texts
        texts[n] = t[:m.start()] + _cap(w) + t[m.end():]
        return texts
    return texts


def _capitalize_all(leaves: list[tuple[str, bool]]) -> list[str]:
    changes = {(n, s): (e, _cap(w)) for n, s, e, w in _words(leaves) if w == w.lower()}
    return _replace(leaves, changes)


def _all_caps(leaves: list[tuple[str, bool]]) -> bool:
    text = "".join(t for t, prot in leaves if not prot)
    return any(c.isalpha() for c in text) and not any(c.islower() for c in text)


def _sentence(leaves: list[tuple[str, bool]]) -> list[str]:
    upper = _all_caps(leaves)
    changes = {}
    for i, (n, s, e, w) in enumerate(_words(leaves)):
        if leaves[n][1]:
            continue
        if i == 0:
            new = _cap(w.lower()) if upper else _cap(w)
        elif upper or not (len(w) > 1 and w.isupper()):
            new = w.lower() if (upper or w[1:].islower() or w.islower()) else w
        else:
            new = w
        if new != w:
            changes[(n, s)] = (e, new)
    return _replace(leaves, changes)


def _title(leaves: list[tuple[str, bool]]) -> list[str]:
    """Title case as CSL 1.0.2 describes it and citeproc-js does it: a lower-case word is
    capitalised when it is the first word, follows a colon, question or exclamation mark, or
    is neither a stop word nor a single letter; a stop word of two letters or more ending the
    title is capitalised too. Words that carry a capital already are never changed."""
    words = _words(leaves)
    changes = {}
    last = len(words) - 1
    for i, (n, s, e, w) in enumerate(words):
        if leaves[n][1] or w != w.lower() or not _LATIN.match(w):
            continue
        stop = w in _STOP
        text = leaves[n][0]
        if i == 0 or _after_break(leaves, n, s) or (len(w) > 1 and not stop) or (
                i == last and stop and len(w) > 1) or (
                text[e:e + 1] == "-" and (len(w) == 1 or
                                          (n == 0 and not _PUNCT.search(text, 0, s)))):
            # a letter before a hyphen ("E-Mail"), and, as citeproc-js does, any word before
            # the value's first mark when that is a hyphen ("Employee Pro-Environmental")
            changes[(n, s)] = (e, _cap(w))
    return _replace(leaves, changes)


def _after_break(leaves: list[tuple[str, bool]], n: int, s: int) -> bool:
    """True when the last mark before a word (spaces, quotes and brackets aside) is a colon,
    question mark or exclamation mark."""
    text = leaves[n][0][:s]
    m = n
    while True:
        stripped = text.rstrip(" \u00a0\"'\u2018\u201c([")
        if stripped:
            return stripped[-1] in ":?!"
        m -= 1
        if m < 0:
            return False
        text = leaves[m][0]


_CASES: dict[str, Callable[[list[tuple[str, bool]]], list[str]]] = {
    "lowercase": _simple(str.lower),
    "uppercase": _simple(str.upper),
    "capitalize-first": _capitalize_first,
    "capitalize-all": _capitalize_all,
    "sentence": _sentence,
    "title": _title,
}
