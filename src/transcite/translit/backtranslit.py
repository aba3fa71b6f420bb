"""Rebuilding Cyrillic from romanised text: tokens, context, acronyms, initials and case.

Text is cut into words (Latin letters with the apostrophes and diacritics schemes use); the rest
(spaces, digits, punctuation, Cyrillic words) is kept. Each line is read twice: first every word
is analysed alone (:mod:`.guess`), then the share of clearly Russian words in the line decides
the doubtful ones - an English word in an English line stays, ``Most`` in a Russian line becomes
``Мост``. Surnames next to initials count as Russian context. Established spellings
(``exceptions.json``), romanised initials (``initials.json``) and Latin tokens that stay Latin
(``latin.json``: element symbols, technical acronyms) are looked up first. With a reversible
scheme the exact inverse is used instead.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from ..resources import DataError, data_path
from .exceptions import latin_matcher, match_case
from .guess import Analysis, Candidate, analyse
from .keys import fold, key
from .lexicon import lexicon
from .results import Rebuilt, WordGuess
from .scheme import Scheme, has_cyrillic, read_json

__all__ = ["rebuild", "restore_case"]

_L = r"[^\W\d_\u0400-\u052f]"
_M = r"[\u0300-\u036f]"
_C = r"[\u0400-\u052f]"
_AP = r"['’ʹʺ`\"″′ʼ´”“]"
#: A romanised word: letters (and combining marks), apostrophes only between letters or as one
#: trailing soft sign; Cyrillic look-alikes inside Latin words are allowed.
_WORD = re.compile(rf"(?:{_L}|{_M}|{_C})+(?:{_AP}{{1,2}}(?:{_L}|{_M}|{_C})+)*"
                   rf"(?:[ʹ′'’`ʼ](?![^\W\d_]))?")
_INITIAL = re.compile(r"(?:Shch|Sch|[YJI][aueo]|[ZKTCS]h|Ts|Tc|Eh|[A-Z])")
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_STRONG_RU = 0.5  # a line is Russian when at least this share of its words clearly are
_SOME_RU = 0.35
_SOFT = set("ьъ")
_FEW = 3  # a line with fewer words of three letters or more gives no context


@cache
def _initials() -> tuple[dict[str, str], frozenset[str]]:
    path = data_path("translit/initials.json")
    data = read_json(path)
    table, doubtful = data.get("initials"), data.get("doubtful", [])
    if not isinstance(table, dict) or not all(isinstance(v, str) and has_cyrillic(v)
                                              for v in table.values()):
        raise DataError(f"{path}: 'initials' must map Latin initials to Cyrillic letters")
    return dict(table), frozenset(doubtful)


@cache
def _keep() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    path = data_path("translit/latin.json")
    keep = read_json(path).get("keep")
    names = ("exact", "single_near_number", "before_dot")
    if not isinstance(keep, dict) or not all(isinstance(keep.get(n), list) for n in names):
        raise DataError(f"{path}: 'keep' needs lists {', '.join(names)}")
    return frozenset(keep["exact"]), frozenset(keep["single_near_number"]), \
        frozenset(keep["before_dot"])


def _latin_table(name: str) -> dict[str, str]:
    path = data_path("translit/latin.json")
    table = read_json(path).get(name)
    if not isinstance(table, dict):
        raise DataError(f"{path}: '{name}' must be an object")
    return {k: v for k, v in table.items() if not k.startswith("$")}


@cache
def _homoglyphs() -> dict[int, str]:
    return str.maketrans(_latin_table("homoglyphs"))


@cache
def _acronym_letters() -> tuple[re.Pattern[str], dict[str, str]]:
    table = _latin_table("acronym_letters")
    return re.compile("|".join(sorted(table, key=len, reverse=True))), table


def _spell_acronym(source: str) -> str | None:
    """An unknown all-capital acronym read letter by letter (None if a letter is not known)."""
    pattern, table = _acronym_letters()
    out, pos = [], 0
    for m in pattern.finditer(source):
        if m.start() != pos:
            return None
        out.append(table[m.group()])
        pos = m.end()
    return "".join(out).lower() if pos == len(source) else None


def restore_case(source: str, cyrillic: str, pairs: tuple[tuple[str, str], ...] = ()) -> str:
    """Give the Cyrillic word the capitalisation of its Latin *source*."""
    if source.islower() or not source[:1].isupper() and not source.isupper() and not any(
            c.isupper() for c in source):
        return cyrillic
    if source.isupper():
        return cyrillic.upper() if sum(1 for c in source if c.isalpha()) > 1 \
            else cyrillic[:1].upper() + cyrillic[1:]
    uppers = sum(1 for c in source if c.isupper())
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


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    source: str
    latin: str  # folded
    guess: Analysis | None = None
    fixed: str | None = None  # decided already: an exception, initial, kept or Cyrillic word
    confidence: float = 1.0
    initial: bool = False
    name: bool = False  # a capitalised word next to initials: a surname
    choice: Candidate | None = None


def _line_tokens(line: str, offset: int) -> list[_Token]:
    tokens = []
    plain = line.isascii()
    for m in _WORD.finditer(line):
        word = m.group()
        start, end = m.start() + offset, m.end() + offset
        if word[-1] in "'’`ʼ" and m.start() > 0 and line[m.start() - 1] in "'‘’`":
            word, end = word[:-1], end - 1  # a closing quote, not a soft sign
        if not plain and has_cyrillic(word):
            latin_part = re.sub(_C, "", word)
            word_l = word.translate(_homoglyphs())
            if len(latin_part) < len(word) / 2 or has_cyrillic(word_l):
                tokens.append(_Token(start, end, word, "", fixed=word))
                continue
            tokens.append(_Token(start, end, word, fold(word_l)))
            continue
        tokens.append(_Token(start, end, word, fold(word)))
    return tokens


def _mark(line: str, tokens: list[_Token], offset: int) -> None:
    """Flag initials, surnames next to them, and Latin tokens that stay Latin."""
    exact, singles, abbreviations = _keep()
    for tok in tokens:
        if tok.fixed is not None:
            continue
        after = tok.end - offset
        nxt = line[after:after + 2]
        prev = line[max(0, tok.start - offset - 1):tok.start - offset]
        if tok.source in exact or (tok.source in singles and (
                re.match(r"-?\d", nxt) or prev == "-" or prev.isdigit())) or (
                nxt[:1] == "." and tok.source in abbreviations) or (
                len(tok.source) > 1 and _ROMAN.fullmatch(tok.source)):
            tok.fixed, tok.confidence = tok.source, 0.9
        elif nxt[:1] == "." and _INITIAL.fullmatch(tok.source):
            tok.initial = True
    marks = [i for i, t in enumerate(tokens) if t.initial]
    for i in marks:
        for j in (i - 2, i - 1, i + 1, i + 2):
            if 0 <= j < len(tokens):
                tok = tokens[j]
                if not tok.initial and tok.fixed is None and tok.source[:1].isupper():
                    tok.name = True


def _russianness(tokens: list[_Token]) -> float | None:
    """The share of clearly Russian words in a line; None when it has too few words to say."""
    votes = total = 0
    for tok in tokens:
        g = tok.guess
        if g is None or len(tok.latin) < 3 or tok.initial:
            continue
        total += 1
        best = g.best
        if best is not None and best.source == "lexicon" and best.cost <= 0.5 \
                and best.zipf >= g.english:
            votes += 1
    return votes / total if total >= _FEW else None


def _plain(c: Candidate, source: str) -> bool:
    """No slips and no soft or hard sign the Latin does not show (for acronyms)."""
    return c.typos == 0 and c.source != "slip" and (
        not (_SOFT & set(c.cyrillic)) or "'" in fold(source))


def _decide_caps(tok: _Token, g: Analysis, russian: float) -> tuple[Candidate | None, float]:
    """An all-capital word: an acronym (ВМФ, КНР) or a code name (RELAP, PWR)."""
    short = len(tok.source) <= 3
    odds = lexicon().latin_odds(tok.latin)
    plain = [c for c in g.candidates if _plain(c, tok.source)]
    found = next((c for c in plain if c.source == "lexicon" and c.cost <= 0.5), None)
    if found is not None and (russian >= _SOME_RU or g.english < 3.0) and (short or odds > -4):
        return found, 0.85
    letters = _spell_acronym(tok.source)
    spelled = None if letters is None else Candidate(letters, 0.0, 0.0, 0, "spelled", False, 0.0)
    if spelled is None or russian < _SOME_RU or g.english >= 2.5:
        return None, 0.7
    if len(tok.source) <= 3 or len(tok.source) <= 5 and odds > -2.5 \
            or odds > 0.3 and russian >= _STRONG_RU:
        return spelled, 0.5
    return None, 0.6


def _decide(tok: _Token, russian: float) -> tuple[Candidate | None, float]:
    """The reading to use for a word (None: leave it) and the confidence of that decision."""
    g = tok.guess
    assert g is not None
    best = g.best
    if best is None:
        return None, 0.9 if g.english else 0.6
    if len(tok.source) > 1 and tok.source.isupper():
        return _decide_caps(tok, g, russian)
    conf = g.confidence()
    context = max(russian, 0.6 if tok.name else 0.0)
    if best.source == "lexicon" and best.cost < 1.0:
        if g.english > best.zipf + 0.5 and context < _STRONG_RU:
            return None, min(0.95, 0.5 + 0.1 * (g.english - best.zipf))
        if g.english and context < _SOME_RU:
            return None, 0.6
        return best, conf * (0.7 if g.english > best.zipf else 1.0)
    odds = lexicon().latin_odds(tok.latin)
    if context < _STRONG_RU:
        return None, 0.6
    if best.source == "slip":
        if g.english >= 3.0 and best.zipf < g.english and context < 0.7:
            return None, 0.5
        return best, conf
    if g.english >= 2.5 or odds < -1.5:
        return None, 0.5
    return best, conf


def _caps_word(text: str, start: int, size: int) -> bool:
    """True when the word around text[start:start + size] has 2+ other cased letters, all
    capitals."""
    lo, hi = start, start + size
    while lo > 0 and (text[lo - 1].isalpha() or text[lo - 1] in "ʹʺ"):
        lo -= 1
    while hi < len(text) and (text[hi].isalpha() or text[hi] in "ʹʺ"):
        hi += 1
    cased = [c for c in text[lo:start] + text[start + size:hi] if c.lower() != c.upper()]
    return len(cased) >= 2 and all(c.isupper() for c in cased)


def _exact_inverse(text: str, scheme: Scheme) -> Rebuilt:
    """The exact inverse of a reversible scheme. Letters without case in Latin (ISO 9's ʺ and
    ʹ for Ъ and Ь) are capitals when the other letters of their word, at least two, are."""
    inverse = scheme.inverse
    longest = max(len(k) for k in inverse)
    out: list[str] = []
    i = 0
    while i < len(text):
        for size in range(longest, 0, -1):
            chunk = text[i:i + size]
            low = chunk.lower()
            if len(chunk) == size and low in inverse:
                cyr = inverse[low]
                if chunk != low or chunk == chunk.upper() and _caps_word(text, i, size):
                    cyr = cyr.upper()
                out.append(cyr)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    rebuilt = "".join(out)
    pairs = zip(re.finditer(r"[^\W\d_]+", text), re.findall(r"[^\W\d_]+", rebuilt))
    return Rebuilt(rebuilt, 1.0, [WordGuess(m.group(), c, 1.0, m.group() != c, m.start())
                                  for m, c in pairs])


@cache
def _exception_starts() -> frozenset[str]:
    """The folded first words of the established Latin spellings (a quick pre-check)."""
    return frozenset(fold(re.split(r"[\s\-.]+", lat)[0]) for lat in latin_matcher()[1])


def _choose(tok: _Token, choice: Candidate, confidence: float) -> None:
    src = tok.source
    mixed = not src.islower() and not src.isupper() and sum(1 for ch in src if ch.isupper()) > 1
    tok.fixed = restore_case(tok.source, choice.cyrillic,
                             choice.traced(tok.latin) if mixed else ())
    tok.choice, tok.confidence = choice, confidence


def _rivals(tok: _Token, gap: float) -> list[Candidate]:
    """Readings close enough to the chosen one for context to matter (empty if none)."""
    g, choice = tok.guess, tok.choice
    if g is None or choice is None or choice is not g.best or tok.source.isupper() or tok.name:
        return []
    close = [c for c in g.candidates if c.score >= choice.score - gap
             and (c.source != "spelled" or c.known)
             and (c.source != "slip" or choice.cost > 0)]
    return close if len(close) > 1 else []


def _neighbour(text: str, a: _Token | None, b: _Token | None) -> str | None:
    """The lower-case Cyrillic of token *a* if only spaces separate it from *b*."""
    if a is None or b is None or not a.fixed or not has_cyrillic(a.fixed):
        return None
    first, second = (a, b) if a.start < b.start else (b, a)
    between = text[first.end:second.start]
    return a.fixed.lower() if between.strip() == "" else None


def _in_context(text: str, lines: list[list[_Token]]) -> None:
    """Second reading: let the document's habits and grammar break close ties."""
    from .context import context_bonus, grammar, habits_of

    gap = grammar()["weights"]["gap"]
    doubtful = []
    sure = []
    for tokens in lines:
        for i, t in enumerate(tokens):
            rivals = _rivals(t, gap)
            if rivals:
                doubtful.append((tokens, i, rivals))
            elif t.choice is not None and t.choice.cost > 0 and t.confidence >= 0.6:
                sure.append(t)
    if not doubtful:
        return
    habits = None
    for tokens, i, rivals in doubtful:
        tok = tokens[i]
        if habits is None and any(c.cost > 0 for c in rivals):  # only now worth counting
            habits = habits_of(t.choice.traced(t.latin) for t in sure if t.choice is not None)
        prev = _neighbour(text, tokens[i - 1] if i else None, tok)
        nxt = _neighbour(text, tokens[i + 1] if i + 1 < len(tokens) else None, tok)
        rescored = sorted(((c.score + context_bonus(c, tok.latin, prev, nxt, habits or
                                                    Counter()), c)
                           for c in rivals), key=lambda p: -p[0])
        (top, best), (second, _) = rescored[0], rescored[1]
        if best is not tok.choice:
            margin = min(1.0, (top - second) / 2)
            _choose(tok, best, round(max(0.3, 0.5 + 0.4 * margin) * min(1.0, tok.confidence
                                                                         + 0.2), 3))


def _prefer(g: Analysis, source: str, scheme: Scheme) -> Analysis:
    """Readings re-ranked for a text said to be in *scheme*: words of the lexicon that the
    scheme writes exactly as the source win unless they are much rarer."""
    target = fold(source)
    pool = {c.cyrillic: c for c in g.candidates}
    for cyr, zipf in lexicon().candidates(key(target))[:8]:  # rarer words the first pass left
        if cyr not in pool:
            pool[cyr] = Candidate(cyr, zipf, 0.0, 0, "lexicon", True, zipf)
    bonus = {cyr: 4.0 for cyr in pool if fold(scheme.word(cyr)) == target}
    if not bonus:
        return g
    ranked = sorted((c._replace(score=c.score + bonus.get(c.cyrillic, 0.0))
                     for c in pool.values()), key=lambda c: -c.score)
    return g._replace(candidates=tuple(ranked[:6]))


def _line(line: str, offset: int, scheme: Scheme | None = None) -> list[_Token]:
    tokens = _line_tokens(line, offset)
    pattern, table = latin_matcher()
    firsts = _exception_starts()
    spans = [] if pattern is None or not any(t.latin in firsts for t in tokens) else [
        (m.start() + offset, m.end() + offset, match_case(m.group(), table[m.group().lower()]))
        for m in pattern.finditer(line)]
    for tok in tokens:
        span = next((s for s in spans if s[0] <= tok.start < s[1]), None)
        if span is not None:
            tok.fixed = span[2] if tok.start == span[0] else ""
            tok.confidence = 0.95
    _mark(line, tokens, offset)
    for tok in tokens:
        if tok.fixed is None:
            tok.guess = analyse(tok.latin, tok.name or (tok.source[:1].isupper()
                                                        and not tok.initial))
    line_ru = _russianness(tokens)
    russian = 0.0 if line_ru is None else line_ru
    initials, doubtful = _initials()
    for tok in tokens:
        if tok.fixed is not None or tok.initial:
            continue
        if line_ru is None:  # no context: the word's own look decides
            g = tok.guess
            best = g.best if g is not None else None
            russian = 0.6 if g is not None and (
                g.english < 2.5 and lexicon().latin_odds(tok.latin) > -1.0
                or best is not None and best.source == "lexicon" and best.cost <= 0.5
                and best.zipf >= g.english) else 0.0
        if scheme is not None and tok.guess is not None:
            tok.guess = _prefer(tok.guess, tok.source, scheme)
        choice, conf = _decide(tok, russian)
        if choice is None:
            tok.fixed, tok.confidence = tok.source, conf
        else:
            _choose(tok, choice, conf)
    only_initials = all(t.initial or t.fixed is not None and not t.latin for t in tokens)
    for i, tok in enumerate(tokens):
        if not tok.initial:
            continue
        near = tokens[max(0, i - 3):i] + tokens[i + 1:i + 4]
        surname = any(t.name and t.fixed is not None and has_cyrillic(t.fixed) for t in near)
        cyr = initials.get(tok.source)
        if cyr is not None and (surname or only_initials or (line_ru or 0.0) >= _SOME_RU):
            tok.fixed = cyr
            tok.confidence = 0.6 if tok.source in doubtful else 0.9
        else:
            tok.fixed, tok.confidence = tok.source, 0.6
    return tokens


_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_NAME_PARTS = frozenset({"NOUN", "ADJF", "ADJS", "PRTF", "NUMR"})  # may start a name
#: Generic words of geographic names, lower case inside them (Южно-Китайское море, Крымский мост).
_GENERIC = frozenset("""море моря морю морем морей океан океана океане река реки реке озеро озера
    озере залив залива заливе пролив пролива проливе остров острова острове полуостров
    полуострова гора горы хребет хребта мост моста мосту мостом канал канала улица улицы
    площадь проспект область области край края район района""".split())
_SMALL = frozenset("и в с к о у а".split())


def _sentence_start(text: str, start: int) -> bool:
    """True at the start of a text, a sentence (after ``.``, ``!``, ``?``), a quotation or a
    bracket, or after ``:``, ``/`` and ``–`` (a new part of a reference)."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in ".!?\n:/–—«“„\"'([{"


def _readings(word: str) -> tuple[bool, bool]:
    """(known only as a common word, may be part of a name) for a Cyrillic word."""
    from .lexicon import morphology

    parses = morphology().parse(word.lower())
    if not parses or not all(p.is_known for p in parses):
        return False, True
    tags = [set(str(p.tag).replace(" ", ",").split(",")) for p in parses]
    common = not any(_PROPER & t for t in tags)
    return common, any(_NAME_PARTS & t for t in tags)


def _dictionary_case(text: str, lines: list[list[_Token]]) -> None:
    """Case follows the dictionary and the sentence, not the romanisation's stray capitals.

    A capitalised word inside a sentence is written in lower case when the dictionary knows it
    only as a common word and it cannot begin a name: a conjunction or preposition (``Kitaya I
    Rossii`` -> ``Китая и России``), the generic word of a geographic name (``Most``,
    ``Moryu`` -> ``мост``, ``морю``), or a verb, adverb or other word between lower-case ones.
    Names, places, the first word of a sentence, a quotation or a part of the reference,
    surnames next to initials, capitalised compounds (``Южно-Китайскому``), words next to other
    capitalised words (``Российской Федерации``, ``Правительства РФ``) and acronyms keep their
    capitals."""
    for tokens in lines:
        for k, tok in enumerate(tokens):
            word, src = tok.fixed, tok.source
            if not word or tok.initial or tok.name or tok.choice is None or not has_cyrillic(word):
                continue
            if not src[:1].isupper() or (len(src) > 1 and not src[1:].islower()):
                continue  # lower case already, or capitals inside (an acronym, CamelCase)
            if _sentence_start(text, tok.start) or text[tok.start - 1:tok.start] in "-‐" or (
                    text[tok.end:tok.end + 1] in "-‐" and text[tok.end + 1:tok.end + 2].isupper()):
                continue
            low = word.lower()
            common, name_part = _readings(word)
            if not common:
                continue
            if low in _SMALL or low in _GENERIC:
                tok.fixed = word[:1].lower() + word[1:]
                continue
            prev = tokens[k - 1] if k else None
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            between_lower = (prev is not None and prev.source[:1].islower()
                             and not text[prev.end:tok.start].strip()) and (
                nxt is None or not nxt.source[:1].isupper()
                or text[tok.end:nxt.start].strip(" ,"))
            if between_lower and not name_part:
                tok.fixed = word[:1].lower() + word[1:]


def rebuild(text: str, *, scheme: Scheme | None = None) -> Rebuilt:
    """Rebuild Cyrillic from romanised *text* (see :func:`transcite.translit.to_cyrillic`)."""
    if scheme is not None and scheme.reversible:
        return _exact_inverse(text, scheme)
    out: list[str] = []
    guesses: list[WordGuess] = []
    lines = []
    offset = 0
    for line in text.splitlines(keepends=True):
        lines.append(_line(line, offset, scheme))
        offset += len(line)
    _in_context(text, lines)
    _dictionary_case(text, lines)
    pos = 0
    for tokens in lines:
        for tok in tokens:
            if tok.fixed == "":  # inside an established phrase already written out
                pos = tok.end
                continue
            result = tok.source if tok.fixed is None else tok.fixed
            out.append(text[pos:tok.start])
            out.append(result)
            guesses.append(WordGuess(tok.source, result, round(tok.confidence, 3),
                                     result != tok.source, tok.start))
            pos = tok.end
    out.append(text[pos:])
    confidence = min((w.confidence for w in guesses), default=1.0)
    return Rebuilt("".join(out), confidence, guesses)
