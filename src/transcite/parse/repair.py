"""Structural corrections to the tagger's labels that no reference style contradicts.

* ``//`` (GOST's "in" sign) is never part of the author list or the title: it and the words the
  tagger kept in the author or title run after it belong to the container; the words between
  the authors and the first ``//`` are the title.
* A bracketed translation (``[Mathematical model. Part 1]``) carries one label.
* In a ``Family I.I.`` author list (the family name comes first), nothing but ``et al.`` /
  ``и др.`` follows the last initials: words the tagger added after them start the title
  (``Иванов И.И. Заглавие // Журнал`` with a one-word title).
"""

from __future__ import annotations

import re

from .tokens import Token

__all__ = ["repair"]

_INITIALS = re.compile(r"^(?:[A-ZА-ЯЁ][a-zа-яё]{0,3}\.-?){1,3},?$")
_STRICT_INITIALS = re.compile(r"^(?:[A-ZА-ЯЁ]\.-?){1,3},?$")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_GLUED_INITIALS = re.compile(r"^(?:[A-ZА-ЯЁ][a-zа-яё]?\.){2,}$")
_ETAL = frozenset({"et", "et.", "al.", "al", "al.,", "и", "др.", "др", "[и", "др.]", "e.a.",
                   "др.,"})
_NAMES = ("author", "editor", "translator")
_GOST_LIST = re.compile(r"^(?:[A-ZА-ЯЁ][\w'’-]+(?: [A-ZА-ЯЁ][\w'’-]+)?,? "
                        r"(?:[A-ZА-ЯЁ][a-zа-яё]{0,3}\. ?(?:- ?)?){1,3},? ?)+$")


def repair(tokens: list[Token], labels: list[str]) -> list[str]:
    """Return corrected labels (the input list is not changed)."""
    out = list(labels)
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.text.startswith("//") and out[i] in ("author", "title", "editor", "genre"):
            j = i
            while j < n and out[j] in ("author", "title", "editor", "genre") and (
                    j == i or not tokens[j].text.startswith("//")):
                out[j] = "journal"
                j += 1
    # before the first "//" stands the title (GOST's "Title // Container"): a run the tagger took
    # for the container there, after the authors, is the title
    slash = next((i for i, t in enumerate(tokens) if t.text.startswith("//")), None)
    if slash is not None and slash > 0:
        k = slash - 1
        while k >= 0 and out[k] in ("journal", "container"):
            k -= 1
        if k >= 0 and out[k] in ("author", "editor", "translator") and k + 1 < slash:
            for j in range(k + 1, slash):
                out[j] = "title"
    # a bracketed translation is one unit: "[Mathematical modeling ... Mathematical model]."
    # keeps the label of its first word (the tagger may start the container at its inner stop)
    i = 0
    while i < n:
        if tokens[i].text.startswith("[") and out[i] in ("title", "journal", "container"):
            j = i
            while j < n and "]" not in tokens[j].text and j - i < 60:
                j += 1
            if j < n and "]" in tokens[j].text:
                for k in range(i + 1, j + 1):
                    out[k] = out[i]
                i = j
        i += 1
    _area_boundaries(tokens, out)
    # the leading author run
    end = 0
    while end < n and out[end] == "author":
        end += 1
    if end >= 3 and not _INITIALS.match(tokens[0].text):
        # the last initials that still close a "Family I.I." list ("... Biosphere and
        # noosphere. M. Iris-press": "M." is no author's)
        cands = [k for k in range(end) if _INITIALS.match(tokens[k].text)]
        last = cands[-1] if cands else None

        def head_of(k: int) -> str:
            return " ".join(t.text for t in tokens[: k + 1])

        if last is not None and not _GOST_LIST.match(head_of(last)):
            for k in reversed(cands[:-1]):
                if _GOST_LIST.match(head_of(k)):
                    # unless an "and" joins a name after them ("..., Sazonova, L.V. and
                    # Fel'dman, V.I.")
                    if not any(tokens[j].text in ("and", "&", "и") and j + 1 < n and
                               tokens[j + 1].text[:1].isupper() and any(
                                   _STRICT_INITIALS.match(t.text) for t in tokens[j + 1: j + 3])
                               for j in range(k + 1, last)):
                        last = k
                    break
        head = " ".join(t.text for t in tokens[: last + 1]) if last is not None else ""
        k = last + 1 if last is not None else end
        while k < end and tokens[k].text in _ETAL:
            k += 1
        # "Hobson P.R., et al. Dense, Fast ...": a closed "et al." ends the list
        closed = k > (last or 0) + 1 and tokens[k - 1].text in ("al.", "др.", "др.]")
        if last is not None and (closed or not tokens[last].text.endswith(",")) and \
                _GOST_LIST.match(head):
            # an "and" after the last initials joins no name when they are a Russian list's glued
            # initials ("Yuferov A.G. Reactimeters and ..."); after "Thomas F. LaPorta and
            # Mischa Schwartz" it does
            tail = [t.text for t in tokens[k:end]]
            # ("Tarantino M. ALFRED Overview and Safety Features": the "and" is the title's)
            ands = [i for i, w in enumerate(tail) if w in ("and", "&", "und") or (
                w == "и" and "др." not in tail)]
            joined = not _GLUED_INITIALS.match(tokens[last].text) and bool(ands) and (
                ands[0] <= 1 or any(_STRICT_INITIALS.match(w) or w.endswith(",")
                                    for w in tail[: ands[0]]))
            # what follows the last initials has none of its own: no author (a GOST list
            # gives every author initials), so the title - in Cyrillic even when a comma ends
            # its first word (in Latin "Stephen H. Kellert," is a given name and a family name)
            # glued initials ("Manturov G.N. Methodological, Constant ...") close a Russian
            # list: no given-first name follows them
            if k < end and not joined and (closed or _CYRILLIC.search(tokens[k].text) or
                                           _GLUED_INITIALS.match(tokens[last].text) or
                                           not tokens[k].text.endswith((",", ":", ";"))):
                for j in range(k, end):
                    out[j] = "title"
    _names_end_with_family(tokens, out)
    return out


_DASH = frozenset({"–", "—", "-", ".–", ".—", ".-"})
_CONTAINERS = ("journal", "container")


def _area_boundaries(tokens: list[Token], out: list[str]) -> None:
    """GOST's ". – " ends the container's area: words the tagger put in the date run before
    that dash (no digit among them: "// Поверхность. Физика, | химия, механика. – 1982") are
    the container's; a parenthesised number right after the issue ("№ 8-9 (172-173). –",
    the volume's running number) is the issue's, not the pages'."""
    n = len(tokens)
    i = 1
    while i < n:
        if out[i] == "date" and out[i - 1] in _CONTAINERS:
            j = i
            while j < n and out[j] == "date" and tokens[j].text not in _DASH:
                j += 1
            if i < j < n and out[j] == "date" and not any(
                    any(c.isdigit() for c in tokens[k].text) for k in range(i, j)):
                for k in range(i, j):
                    out[k] = out[i - 1]
            i = j + 1
            continue
        if out[i] != out[i - 1] and out[i - 1] == "volume" and tokens[i].text.startswith("(") \
                and any(c.isdigit() for c in tokens[i - 1].text):
            j = i
            while j < n and out[j] == out[i] and ")" not in tokens[j].text:
                j += 1
            if j < n and out[j] == out[i] and j + 1 < n and tokens[j + 1].text in _DASH and \
                    all(re.fullmatch(r"[\d()\-–.,]+", tokens[k].text) for k in range(i, j + 1)):
                for k in range(i, j + 1):
                    out[k] = "volume"
            i = j + 1
            continue
        i += 1


def _names_end_with_family(tokens: list[Token], out: list[str]) -> None:
    """A name list given-name-first ends with a family name, never with initials: a lone
    capitalised word the tagger took for the title after an initials-first list ("/ И.И.
    Петров, С.С. Сидоров."), or the family name of the last name an "and" joins, given first
    ("..., B. AND E. FERCH. Title"), is the list's."""
    n = len(tokens)
    for i in range(1, n - 1):
        label = out[i]
        if label not in _NAMES or out[i + 1] != "title" or \
                not _STRICT_INITIALS.match(tokens[i].text):
            continue
        if (i + 2 >= n or out[i + 2] != "title") and \
                re.fullmatch(r"[A-ZА-ЯЁ][a-zа-яё'’-]+[.,]?", tokens[i + 1].text):
            start = i
            while start > 0 and out[start - 1] == label:
                start -= 1
            first = next((k for k in range(start, i) if tokens[k].text not in ("/", "//")), i)
            if first + 1 < i and _STRICT_INITIALS.match(tokens[first].text) and \
                    not _INITIALS.match(tokens[first + 1].text):
                out[i + 1] = label
                continue
        # "..., B. AND E. FERCH. Title": the last name, joined by "and", is given first; its
        # family name (any case) ends the list
        k = i
        while k > 0 and out[k - 1] == label and _STRICT_INITIALS.match(tokens[k - 1].text):
            k -= 1
        if k > 0 and out[k - 1] == label and tokens[k - 1].text.lower() in ("and", "&", "и") \
                and re.fullmatch(r"[A-ZА-ЯЁ][A-Za-zА-Яа-яЁё'’-]+[.,]", tokens[i + 1].text):
            out[i + 1] = label
            continue
        # "DENCE, M.R. AND COHEN, A.J., Title": the last name, joined by "and", family first
        if i + 3 < n and tokens[i + 1].text.lower() in ("and", "&") and \
                out[i + 2] == out[i + 3] == "title" and \
                re.fullmatch(r"[A-ZА-ЯЁ][A-Za-zА-Яа-яЁё'’-]+,", tokens[i + 2].text) and \
                _STRICT_INITIALS.match(tokens[i + 3].text):
            for j in (i + 1, i + 2, i + 3):
                out[j] = label
