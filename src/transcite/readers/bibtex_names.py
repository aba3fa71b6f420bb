"""BibTeX name lists split the way bibtexparser v2 splits them, fast for plain names.

``Smith, John and Иванов, И. И.`` has no braces or backslashes; for such a list the ``and``
separators and each name's First/von/Last/Jr parts are found with a regular expression and
string splits, following bibtexparser's rules (``split_multiple_persons_names`` and
``parse_single_name_into_parts`` in non-strict mode) exactly. A list with braces or
backslashes is handed to bibtexparser. Parts are cached, as the same people recur.
"""

from __future__ import annotations

from functools import lru_cache

from ..lazy import lazy_re

__all__ = ["NameParts", "name_parts", "split_names"]

#: (first, von, last, jr) words.
NameParts = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]

_NEEDS_BIBTEXPARSER = lazy_re(r"[{}\\]")
_AND = lazy_re(r"[ \r\n\t]+[aA][nN][dD][ \r\n\t]+(?=[^ \r\n\t])")
_WORD_SEP = lazy_re(r"[ ~\r\n\t]+")
_COMMA_OR_SPACE = lazy_re(r"[ ~\r\n\t,]+")


class InvalidName(ValueError):
    """bibtexparser could not read a name (kept as a literal by the caller)."""


def split_names(value: str) -> list[str]:
    """The names of a BibTeX name list, as bibtexparser splits it (not stripped) - except
    that a name starting with a command (``and \\"{O}zdemir``) keeps its first characters,
    which bibtexparser 2.0 drops."""
    if _NEEDS_BIBTEXPARSER.search(value):
        return _split_braced(value)
    names = value.strip(" \r\n\t")
    if not names:
        return []
    return _AND.split(names)


def _split_braced(value: str) -> list[str]:
    """bibtexparser's ``split_multiple_persons_names`` state machine, with the escape fixed:
    a backslash right after `` and `` starts the next name (bibtexparser started it after
    the escaped character)."""
    names = value.strip(" \r\n\t")
    if not names:
        return []
    ws = " \r\n\t"
    start, find_a, find_n, find_d, end_ws, next_word = range(6)
    step = start
    depth = 0
    spans: list[list[int | None]] = [[0]]
    possible_end = 0
    i = 0
    n = len(names)
    while i < n:
        ch = names[i]
        if ch == "\\":
            if step == next_word and depth == 0:
                spans[-1].append(possible_end)
                spans.append([i])
            step = start
            i += 2
            continue
        if ch == "{":
            if step == next_word:
                spans[-1].append(possible_end)
                spans.append([i])
            depth += 1
            step = start
        elif ch == "}":
            if depth:
                depth -= 1
            step = start
        elif depth:
            step = start
        elif step == start:
            if ch in ws:
                step, possible_end = find_a, i
        elif step == find_a:
            if ch in "aA":
                step = find_n
            elif ch not in ws:
                step = start
        elif step in (find_n, find_d):
            if ch in ("nN" if step == find_n else "dD"):
                step += 1
            elif ch in ws:
                step, possible_end = find_a, i
            else:
                step = start
        elif step == end_ws:
            step = next_word if ch in ws else start
        elif ch not in ws:                              # next_word
            spans[-1].append(possible_end)
            spans.append([i])
            step = start
        i += 1
    spans[-1].append(None)
    return [names[a:b] for a, b in spans]


def _case(word: str) -> int:
    for ch in word:
        if ch.isalpha():
            return 1 if ch.isupper() else 0
    return -1


def _words(text: str) -> list[str]:
    return [w for w in _WORD_SEP.split(text) if w]


@lru_cache(maxsize=65536)
def name_parts(name: str) -> NameParts:
    """(first, von, last, jr) of one name, as bibtexparser's non-strict parser gives them;
    raises :class:`InvalidName` where it fails."""
    if _NEEDS_BIBTEXPARSER.search(name):
        from bibtexparser.middlewares.names import (
            InvalidNameError,
            parse_single_name_into_parts,
        )

        try:
            p = parse_single_name_into_parts(name, strict=False)
        except InvalidNameError as exc:
            raise InvalidName(str(exc)) from None
        return tuple(p.first), tuple(p.von), tuple(p.last), tuple(p.jr)
    chunks = name.split(",")
    sections = [_words(c) for c in chunks[:2]]
    if len(chunks) > 2:     # a third section takes the rest: later commas only end words
        sections.append([w for w in _COMMA_OR_SPACE.split(",".join(chunks[2:])) if w])
    if not sections[-1]:
        sections.pop()
    if not any(sections):
        return (), (), (), ()
    first: list[str] = []
    von: list[str] = []
    last: list[str] = []
    jr: list[str] = []
    if len(sections) == 1:
        p0 = sections[0]
        if len(p0) == 1:
            last = p0
        elif len(p0) == 2:
            first, last = p0[:1], p0[1:]
        else:
            cases = [_case(w) for w in p0]
            if 0 in cases:
                firstl = cases.index(0) - len(cases)
                lastl = -cases[::-1].index(0) - 1
                if lastl == -1:
                    lastl -= 1
                first, von, last = p0[:firstl], p0[firstl:lastl + 1], p0[lastl + 1:]
            else:
                first, last = p0[:-1], p0[-1:]
    else:
        if sections[-1] and sections[-1][0]:
            first = sections[-1]
        if len(sections) == 3 and sections[-2] and sections[-2][0]:
            jr = sections[-2]
        p0 = sections[0]
        if len(p0) == 1:
            last = p0
        else:
            cases = [_case(w) for w in p0]
            if 0 in cases:
                split = max((i for i, c in enumerate(cases[:-1]) if c == 0), default=-1) + 1
                von, last = p0[:split], p0[split:]
            else:
                last = p0
    return tuple(first), tuple(von), tuple(last), tuple(jr)
