"""Rebuilding Cyrillic from romanised text: tokens, context, acronyms, initials and case.

Text is cut into words (Latin letters with the apostrophes and diacritics schemes use), and the
rest (spaces, digits, punctuation, Cyrillic words) is kept. Each line is read twice: first every
word is analysed alone (:mod:`.guess`), then the share of clearly Russian words in the line
decides the doubtful ones - an English word in an English line stays, ``Most`` in a Russian line
becomes ``Мост``. Established spellings (``exceptions.json``) and romanised initials
(``initials.json``) are looked up first. With a reversible scheme the exact inverse is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..resources import DataError, data_path
from .exceptions import latin_matcher, match_case
from .guess import Analysis, analyse
from .keys import fold
from .results import Rebuilt, WordGuess
from .schemes import Scheme, _load_json, has_cyrillic

__all__ = ["rebuild", "restore_case"]

_L = r"[^\W\d_\u0400-\u052f]"
_M = r"[\u0300-\u036f]"
_AP = r"['’ʹʺ`\"″′ʼ´]"
#: A romanised word: letters (and combining marks), apostrophes only between letters or as one
#: trailing soft sign; Cyrillic look-alikes inside Latin words are allowed.
_WORD = re.compile(rf"(?:{_L}|{_M}|[\u0400-\u052f])+(?:{_AP}{{1,2}}(?:{_L}|{_M}|[\u0400-\u052f])+)*"
                   rf"(?:[ʹ′'’`ʼ](?![^\W\d_]))?")
_INITIAL = re.compile(r"(?:Shch|Sch|[YJI][aueo]|[ZKTCS]h|Ts|Tc|Eh|[A-Z])")
_STRONG_RU = 0.5  # a line is Russian when at least this share of its words clearly are
_OUT_RU = 0.35


@cache
def _initials() -> tuple[dict[str, str], frozenset[str]]:
    path = data_path("translit/initials.json")
    data = _load_json(path)
    table, doubtful = data.get("initials"), data.get("doubtful", [])
    if not isinstance(table, dict) or not all(isinstance(v, str) and has_cyrillic(v)
                                              for v in table.values()):
        raise DataError(f"{path}: 'initials' must map Latin initials to Cyrillic letters")
    return dict(table), frozenset(doubtful)


@cache
def _homoglyphs() -> dict[int, str]:
    pairs = "аa еe оo рp сc уy хx кk мm тt АA ВB ЕE КK МM НH ОO РP СC ТT ХX УY іi"
    return str.maketrans({p[0]: p[1] for p in pairs.split()})


def restore_case(source: str, cyrillic: str, pairs: tuple[tuple[str, str], ...] = ()) -> str:
    """Give the Cyrillic word the capitalisation of its Latin *source*."""
    letters = [c for c in source if c.isalpha()]
    if not letters:
        return cyrillic
    uppers = sum(1 for c in letters if c.isupper())
    if uppers == 0:
        return cyrillic
    if len(letters) > 1 and uppers == len(letters):
        return cyrillic.upper()
    if uppers > 1 and pairs and source.isascii():
        out, pos = [], 0
        low = source.lower()
        for cyr, lat in pairs:
            lat = lat.lstrip("~")
            up = pos < len(source) and source[pos].isupper()
            out.append(cyr.upper() if up else cyr)
            pos += len(lat) if low.startswith(lat, pos) else max(1, len(lat))
        text = "".join(out)
        if len(text) == len(cyrillic):
            return text
    return cyrillic[:1].upper() + cyrillic[1:]


@dataclass
class _Token:
    start: int
    end: int
    source: str
    latin: str  # folded
    guess: Analysis | None = None
    fixed: str | None = None  # an exception, initial or Cyrillic word: decided already
    confidence: float = 1.0


def _line_tokens(line: str, offset: int) -> list[_Token]:
    tokens = []
    for m in _WORD.finditer(line):
        word = m.group()
        start, end = m.start() + offset, m.end() + offset
        if word[-1] in "'’`ʼ" and m.start() > 0 and line[m.start() - 1] in "'‘’`":
            word, end = word[:-1], end - 1  # a closing quote, not a soft sign
        if has_cyrillic(word):
            latin_part = re.sub(r"[\u0400-\u052f]", "", word)
            if not re.search("[A-Za-z]", latin_part) or len(latin_part) < len(word) / 2:
                tokens.append(_Token(start, end, word, "", fixed=word))
                continue
            word_l = word.translate(_homoglyphs())
            if has_cyrillic(word_l):
                tokens.append(_Token(start, end, word, "", fixed=word))
                continue
            tokens.append(_Token(start, end, word, fold(word_l)))
            continue
        tokens.append(_Token(start, end, word, fold(word)))
    return tokens


def _is_initial(line: str, tok: _Token, offset: int) -> bool:
    after = tok.end - offset
    return (after < len(line) and line[after] == "." and _INITIAL.fullmatch(tok.source)
            is not None)


def _russianness(tokens: list[_Token]) -> float:
    votes = total = 0
    for tok in tokens:
        g = tok.guess
        if g is None or len(tok.latin) < 3:
            continue
        total += 1
        best = g.best
        if best is not None and best.source == "lexicon" and best.cost <= 0.5 \
                and best.zipf >= g.english:
            votes += 1
    return votes / total if total else 0.0


def _decide(tok: _Token, russian: float) -> tuple[str | None, float]:
    """The Cyrillic for a word (None: leave it) and the confidence of that decision."""
    g = tok.guess
    assert g is not None
    best = g.best
    if best is None:
        return None, 0.9 if g.english else 0.6
    conf = g.confidence()
    caps = tok.source.isupper() and len(tok.source) > 1
    if best.source == "lexicon" and best.cost < 1.0:
        if g.english > best.zipf + 0.5 and russian < _STRONG_RU:
            return None, min(0.95, 0.5 + 0.1 * (g.english - best.zipf))
        if g.english and russian < _OUT_RU:
            return None, 0.6
        return best.cyrillic, conf * (0.7 if g.english > best.zipf else 1.0)
    if caps and len(tok.source) > 5:
        return None, 0.7  # an unknown long all-capital word: a code name, keep it
    if russian < _STRONG_RU or g.english >= 2.5:
        return None, 0.6
    return best.cyrillic, conf


def _exact_inverse(text: str, scheme: Scheme) -> Rebuilt:
    inverse = scheme.inverse
    longest = max(len(k) for k in inverse)
    out: list[str] = []
    words: list[WordGuess] = []
    i = 0
    while i < len(text):
        for size in range(longest, 0, -1):
            chunk = text[i:i + size]
            low = chunk.lower()
            if len(chunk) == size and low in inverse:
                cyr = inverse[low]
                out.append(cyr.upper() if chunk != low else cyr)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    rebuilt = "".join(out)
    for m in re.finditer(r"[^\W\d_]+", text):
        words.append(WordGuess(m.group(), "", 1.0, True))
    # pair each source word with the rebuilt word at the same position (1:1 letters)
    cyr_words = re.findall(r"[^\W\d_]+", rebuilt)
    words = [WordGuess(w.source, c, 1.0, w.source != c) for w, c in zip(words, cyr_words)]
    return Rebuilt(rebuilt, 1.0, words)


def rebuild(text: str, *, scheme: Scheme | None = None) -> Rebuilt:
    """Rebuild Cyrillic from romanised *text* (see :func:`transcite.translit.to_cyrillic`)."""
    if scheme is not None and scheme.reversible:
        return _exact_inverse(text, scheme)
    pattern, table = latin_matcher()
    out: list[str] = []
    guesses: list[WordGuess] = []
    pos = 0
    offset = 0
    for line in text.splitlines(keepends=True):
        tokens = _line_tokens(line, offset)
        fixed_spans: list[tuple[int, int, str]] = []
        if pattern is not None:
            for m in pattern.finditer(line):
                fixed_spans.append((m.start() + offset, m.end() + offset,
                                    match_case(m.group(), table[m.group().lower()])))
        for tok in tokens:
            span = next((s for s in fixed_spans if s[0] <= tok.start < s[1]), None)
            if span is not None:
                tok.fixed = span[2] if tok.start == span[0] else ""
                tok.confidence = 0.95
            elif tok.fixed is None:
                tok.guess = analyse(tok.latin)
        russian = _russianness(tokens)
        for tok in tokens:
            if tok.fixed is None and _is_initial(line, tok, offset) and russian >= _OUT_RU:
                table_i, doubtful = _initials()
                cyr = table_i.get(tok.source)
                if cyr is not None:
                    tok.fixed = cyr
                    tok.confidence = 0.6 if tok.source in doubtful else 0.9
        for tok in tokens:
            if tok.fixed == "":  # inside an established phrase already written out
                pos = tok.end
                continue
            out.append(text[pos:tok.start])
            if tok.fixed is not None:
                result, conf = tok.fixed, tok.confidence
            else:
                cyr, conf = _decide(tok, russian)
                best = tok.guess.best if tok.guess else None
                result = tok.source if cyr is None else restore_case(
                    tok.source, cyr, best.pairs if best and best.cyrillic == cyr else ())
            out.append(result)
            guesses.append(WordGuess(tok.source, result, round(conf, 3), result != tok.source))
            pos = tok.end
        offset += len(line)
    out.append(text[pos:])
    confidence = min((w.confidence for w in guesses), default=1.0)
    return Rebuilt("".join(out), confidence, guesses)
