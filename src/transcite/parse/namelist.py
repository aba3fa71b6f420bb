"""Splitting a written list of names (``Иванов И.И., Петров П.П. и др.``) into :class:`Name` s.

Handles the orders people write: ``Family I.I.`` (GOST and the romanised References lists),
``Family, I.`` pairs (APA), ``I. Family`` and ``Given Family`` (IEEE, most humanities styles),
mixed ``Family, Given, Given Family and Given Family`` (Chicago, MLA), Vancouver ``Smith JR``,
``;`` separated lists, a missing comma between two GOST names, and the ``et al.`` / ``и др.``
marker. Role words (``ed.``, ``eds.``, ``под ред.``, ``trans.``, ``пер. с англ.``) are dropped
by :func:`strip_role`.
"""

from __future__ import annotations

import re
from functools import cache

from ..model import Name
from ..names import INITIAL, split_name
from .lexicon import tables

__all__ = ["given_name", "split_names", "strip_role"]

# "u. a." / "e.a." only in lower case and after a space or comma: "Petrov E.A." and
# "Kurachenko Yu.A." end with initials, not with the marker
_ET_AL = re.compile(r"(?:,?\s*\[?\s*(?:(?i:et\.?\s*al\.?|и\s+др\.?|и\s+другие|and\s+others)|"
                    r"(?<=[\s,\[])(?:u\.\s*a\.|e\.\s?a\.))\s*\]?\.?\s*)$")
# Role words; each must end a word ("Пер." is a role, "Перегуда" is a name).
_ROLE = re.compile(
    r"^\s*(?:(?:in|в)\s*:?\s+)?(?:"
    r"(?:под\s+(?:общ\.?\s+|науч\.?\s+|общей\s+|научной\s+)?ред(?:\.|акцией\b)|"
    r"отв\.?\s*ред\.|сост\.|пер\.\s+с\s+\w+\.?(?:\s+яз\.?)?|пер\.|"
    r"edited\s+(?:and\s+translated\s+)?by\b|eds?\.(?:\s*by\b)?|eds\b|editors?\b|"
    r"translated\s+by\b|trans(?:l)?\.(?:\s+by\b)?|hrsg\.(?:\s+v(?:on\b|\.))?|hg\.|"
    r"compiled\s+by\b|comp\.)\s*:?\s*)+",
    re.IGNORECASE)
_ROLE_TAIL = re.compile(
    r"(?:,?\s*[(\[]?\s*(?<![\w'’-])(?:eds?|editors?|hrsg|hg|trans|transl|comp|"
    r"red|ред|сост|пер)\.?\s*[)\]]?\s*\.?)$", re.IGNORECASE)
_ETAL_CUES = ("al", "др", "e.a", "e. a", "others", "друг", "u. a", "u.a")
_AND_CUES = (" and ", "&", " и ", " und ", " et ", " y ", " AND ", " And ")
_ROLE_CUES = ("ed", "ред", "tr", "пер", "hrsg", "hg", "comp", "сост", "by", "in ", "в ")
_INITIALS_ONLY = re.compile(rf"^(?:{INITIAL}\s?)+$|^[A-ZА-ЯЁ]{{1,3}}$")
_GOST_NAME = rf"[A-ZА-ЯЁ][\w'’`-]+(?:\s[A-ZА-ЯЁ][\w'’-]+)?\s?(?:{INITIAL}\s?){{1,3}}"
_WORD_DOT = re.compile(r"(?:[a-zа-яё]{2}|[A-ZА-ЯЁ]{3,})\.$")   # ("FERCH." too)
_LOST_DOT = re.compile(r"\.(?:[A-ZА-ЯЁ]|Yu|Ya|Yo|Ye|Zh|Ch|Sh|Ts|Kh|Ju|Ja|Ju)$|"
                       r"(?<=\s[A-ZА-ЯЁ]\.\s)[A-ZА-ЯЁ]$")
_AFFILIATION = re.compile(r"(?<=\s[A-ZА-ЯЁ]\.[A-ZА-ЯЁ]\.)\d(?=[.,]|\s|$)|"
                          r"(?<=\s[A-ZА-ЯЁ]\.)\d(?=\.)|"
                          r"(?<=\s[A-ZА-ЯЁ]\.[A-ZА-ЯЁ])\d(?=\.)")
_GLUED_NEXT = re.compile(r"(?<=\s[A-ZА-ЯЁ]\.[A-ZА-ЯЁ]\.)(?=[A-ZА-ЯЁ][a-zа-яё]{2,})")
_TWO_GOST = re.compile(rf"(?:{_GOST_NAME}\s*){{2,}}")
_GLUED = re.compile(rf"(?<=\.)\s+(?=[A-ZА-ЯЁ][\w'’-]+\s?(?:{INITIAL}))")
_AND = re.compile(r"\s*(?:,\s*)?(?:\band\b|&|\bи\b|\bund\b|\bet\b(?!\s*al)|\by\b)\s+",
                  re.IGNORECASE)
_VANCOUVER = re.compile(r"^([A-ZА-ЯЁ][\w'’-]+(?:\s[A-ZА-ЯЁ][\w'’-]+)?)\s([A-ZА-ЯЁ]{1,3})\.?$")


def strip_role(text: str) -> tuple[str, bool]:
    """Remove role words (``ed.``, ``под ред.``, ``(Eds.)``); say whether any were there.

    >>> strip_role("под ред. П.Л. Кириллова")
    ('П.Л. Кириллова', True)
    >>> strip_role("R. Smith (Eds.)")
    ('R. Smith', True)
    """
    t = text.strip()
    low = t.lower()
    if not any(k in low for k in _ROLE_CUES):
        return t.strip(" ,;:"), False
    stripped = _ROLE.sub("", t, count=1)
    tail = _ROLE_TAIL.sub("", stripped) if any(k in low[-14:] for k in _ROLE_CUES) else stripped
    found = stripped != t or tail != stripped
    return tail.strip(" ,;:"), found


def _is_initials(piece: str) -> bool:
    return bool(_INITIALS_ONLY.match(piece.strip()))


# a family name's ending that no given name has: "Stojanovich Dragisa", "Поплавский Владимир"
_SURNAME_END = re.compile(r"(?:sky|skiy|skii|skij|skaya|enko|ovich|evich|vich|shvili|dze|ский|цкий|"
                          r"ская|цкая|енко|вич|швили|дзе)$")
_TWO_WORDS_INITIALS = re.compile(r"^([A-ZА-ЯЁ][a-zа-яё'’-]+) ([A-ZА-ЯЁ][a-zа-яё'’-]+)"
                                 r"((?:\s?[A-ZА-ЯЁ][a-zа-яё]?\.)+)$")
_TWO_WORDS = re.compile(r"^([A-ZА-ЯЁ][a-zа-яё'’-]+) ([A-ZА-ЯЁ][a-zа-яё'’-]+)$")


@cache
def _given_names() -> frozenset[str]:
    return frozenset(w.lower() for w in tables()["given_names"])


def given_name(word: str) -> bool:
    """True for a common given name (``Georgy``, ``Kenneth``, ``Сергей``; parse.json)."""
    return word.lower() in _given_names()


def _family_first(first: str, second: str) -> bool:
    """``Khorasanov Georgy``, ``Хайкин Саймон``: a two-word name printed family first (its second
    word a Russian given name, or its first word a family name by its ending)."""
    given = _given_names()
    if second.lower() in given:
        return first.lower() not in given
    return bool(_SURNAME_END.search(first)) and not _SURNAME_END.search(second)


def _one(piece: str) -> Name:
    two = _TWO_WORDS.match(piece)
    if two and _family_first(two.group(1), two.group(2)):
        return Name(family=two.group(1), given=two.group(2))
    with_initials = _TWO_WORDS_INITIALS.match(piece)
    if with_initials and given_name(with_initials.group(2)) and not given_name(
            with_initials.group(1)):
        # "Stepanov Vladimir A.", "Kok Kenneth D.": family, given name and initials
        return Name(family=with_initials.group(1),
                    given=f"{with_initials.group(2)} {with_initials.group(3).strip()}")
    m = _VANCOUVER.match(piece)
    if m and not piece.isupper():
        letters = ". ".join(m.group(2)) + "."
        return Name(family=m.group(1), given=letters)
    return split_name(piece)


_GLUED_INITIALS = re.compile(r"(?<![\w.])(?:[A-ZА-ЯЁ]\.){1,3}(?=[A-ZА-ЯЁ][a-zа-яё'’-]{2,})")


def split_names(text: str) -> tuple[list[Name], str | None]:
    """Split a list of names; return the names and the et-al marker as written (or None).

    >>> names, etal = split_names("Колесов В.Ф., Петров Ю.В. и др.")
    >>> [n.display() for n in names], etal
    (['Колесов, В. Ф.', 'Петров, Ю. В.'], 'и др.')
    >>> [n.display() for n in split_names("Bergk, V., Haefeli, W. E. & Gasse, C.")[0]]
    ['Bergk, V.', 'Haefeli, W. E.', 'Gasse, C.']
    >>> [n.display() for n in split_names("Derrick, D., I. Stavness and B. Gick")[0]]
    ['Derrick, D.', 'Stavness, I.', 'Gick, B.']
    """
    t = " ".join(text.split()).strip(",;:")
    if "." in t:    # "В.А.Степанов": initials glued to the family name after them
        t = _GLUED_INITIALS.sub(r"\g<0> ", t)
    etal = None
    low = t[-16:].lower()
    m = _ET_AL.search(t) if any(k in low for k in _ETAL_CUES) else None
    if m and m.start() > 0:
        etal = m.group(0).strip(" ,")
        t = t[: m.start()].strip(" ,;")
    if not t:
        return [], etal
    if ";" in t:
        pieces = [p.strip() for p in t.split(";")]
        pieces = [q for p in pieces for q in _AND.split(p) if q.strip()]
        listed: list[Name] = []
        for p in pieces:
            listed.extend(split_names(p)[0] if p.count(",") > 1 and not _is_pair(p) else
                          [_one(p)])
        return listed, etal
    if any(k in t for k in _AND_CUES):
        t = _AND.sub(", ", t)
    if "." in t:
        # "Melnikov S.P1., Sizov A.N.1": affiliation marks after the initials; "Долгополов
        # Н.Ю.Мезенцев П.П.": initials glued to the next family name
        t = _AFFILIATION.sub("", t)
        t = _GLUED_NEXT.sub(" ", t)
    pieces = [_tidy_piece(p) for p in t.split(",") if p.strip()]
    # a missing comma between two GOST-style names: "Tyapunina N.A. Annunciation B.V."
    split_pieces: list[str] = []
    for p in pieces:
        if p.count(" ") >= 2 and _TWO_GOST.fullmatch(p):
            split_pieces.extend(s.strip() for s in _GLUED.split(p) if s.strip())
        else:
            split_pieces.append(p)
    pieces = split_pieces
    names: list[Name] = []
    i = 0
    # a list in capitals ("CHI, M. T. H."): a short family name is no run of initials when
    # dotted initials follow it
    caps = not any(c.islower() for c in t)
    inverted = len(pieces) > 1 and " " not in pieces[0] and not _is_initials(pieces[0])
    while i < len(pieces):
        p = pieces[i]
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        family = not _is_initials(p) or (caps and nxt is not None and len(p) > 1 and
                                         "." not in p and "." in nxt)
        if nxt is not None and family and (
                _is_initials(nxt) or (inverted and " " not in p and _given_like(nxt))):
            names.append(split_name(f"{p}, {nxt}"))
            i += 2
            continue
        if p.lower() in ("jr", "jr.", "sr", "sr.") and names:
            names[-1].suffix = p
            i += 1
            continue
        names.append(_one(p))
        i += 1
    return names, etal


def _tidy_piece(piece: str) -> str:
    """Drop a sentence-final dot after a word (``Vrchoticky.``), add a lost one (``P.N``)."""
    p = piece.strip()
    if _WORD_DOT.search(p):
        p = p[:-1]
    elif _LOST_DOT.search(p):
        p += "."
    p = p.replace("..", ".")
    return p


def _is_pair(piece: str) -> bool:
    family, _, given = piece.partition(",")
    return bool(family.strip()) and (_is_initials(given) or _given_like(given.strip()))


_PARTICLES = frozenset({"de", "da", "di", "du", "von", "van", "der", "del", "della", "la", "le"})


def _given_like(piece: str) -> bool:
    """``Marc``, ``Mary Ann``, ``J. Robert``: one or two capitalised words, no family marker."""
    words = piece.split()
    if len(words) > 1 and words[-1].lower() in _PARTICLES:  # "Pierre-Marc de"
        words = words[:-1]
    return 0 < len(words) <= 2 and all(w[:1].isupper() for w in words) and not any(
        w.lower() in ("university", "press", "inc", "ltd") for w in words)
