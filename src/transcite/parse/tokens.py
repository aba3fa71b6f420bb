"""Tokens of a reference string and the features the sequence tagger sees for each of them.

A token is a run of non-space characters with its character offsets, so that a run of tokens
given one label maps back to the exact slice of the input (spacing and punctuation as written).
A few glued forms are split so that each piece can take its own label: ``2005;61(3):327-335``,
``reaktorov.[Kinetics``, ``//Теплоэнергетика``, ``–М.:``.

:func:`features` is shared by training and tagging; changing it means retraining the model
(``tools/train_parser.py``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Token", "features", "tokenize"]


class Token(NamedTuple):
    """A token: its text and its ``[start, end)`` offsets in the string it came from."""

    text: str
    start: int
    end: int


_SPACE_RUN = re.compile(r"\S+")
# Split points inside a run of non-space characters (zero-width).
_SPLIT = re.compile(
    r"(?<=[\d)][;:])(?=[\dА-ЯA-Z(])"     # 2005;61  61(3):327
    r"|(?<=\d\),)(?=\d)"                 # 61(3),327
    r"|(?<=[^\s\[(])(?=\[[^\]\s])"       # reaktorov.[Kinetics
    r"|(?<=\]\.)(?=\w)"                  # ].Atomnaya
    r"|(?<=[a-zа-яё]{2}\.)(?=[A-ZА-ЯЁ][a-zа-яё])"  # al.Experimental  vector.Rosenergo
    r"|(?<=(?<!\S)//)(?=\S)"              # //Теплоэнергетика
    r"|(?<=[\w.])(?=//[^/\s])|(?<=[\w.]//)(?=[^/\s])"  # А.В.//Ядерная
    r"|(?<=(?<!\S)[–—])(?=\S)"            # –М.:  –2011.
    r"|(?<=(?<!\S)-)(?=[А-ЯЁA-Z№])"       # -С.46-51.  -№5.
    r"|(?<=\.)(?=[-–—]+[\w№])"           # энергия.-2009.  Т.96.-№.6.
    r"|(?<=\.[-–—])(?=[\w№])"             # .-2009 -> .- | 2009
    r"|(?<=\d\.)(?=[-–—](?!\S))"          # 2011.– №1 -> 2011. | –
    r"|(?<=\b[A-ZА-ЯЁ]\.)(?=[A-ZА-ЯЁ][a-zа-яё]{2,})"  # G.Influence  А.Б.Иванов
    r"|(?<=\.)(?=/)|(?<=\./)(?=\S)"        # Дж./ Основы
    r"|(?<=[a-zа-яё]{2})(?=/[A-ZА-ЯЁ]\.)|(?<=[a-zа-яё]{2}/)(?=[A-ZА-ЯЁ]\.)"  # вузов/В.А.
    r"|(?<=\d{4}\.)(?=[A-ZА-ЯЁ][a-zа-я]{0,3}\.)"  # 1983.V. 44
    r"|(?<=[A-Za-zА-Яа-яЁё]{2}\.)(?=(?:1[5-9]|20)\d\d\b)"  # Proceedings.2013,  ANS.1982
)


# Every split point is right after punctuation (or before "[" or "/") with no space on either side:
# only those positions are tried against _SPLIT.
_GLUED_AFTER = re.compile(r"[;:,.\]/–—)\[-](?=\S)")
_BEFORE_OPEN = re.compile(r"(?<=\S)[\[/]")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with offsets.

    >>> [t.text for t in tokenize("Атом. энергия. 2002;92(6):477-485. //Теплоэнергетика –М.:")]
    ['Атом.', 'энергия.', '2002;', '92(6):', '477-485.', '//', 'Теплоэнергетика', '–', 'М.:']
    """
    cuts: list[int] = []
    split = _SPLIT.match
    for c in _BEFORE_OPEN.finditer(text):  # "reaktorov.[Kinetics", "Дж./ Основы"
        if split(text, c.start()):
            cuts.append(c.start())
    for c in _GLUED_AFTER.finditer(text):  # punctuation with no space after it
        if split(text, c.end()):
            cuts.append(c.end())
    if len(cuts) > 1:
        cuts = sorted(set(cuts))
    out: list[Token] = []
    k, n_cuts = 0, len(cuts)
    for m in _SPACE_RUN.finditer(text):
        start, end = m.span()
        while k < n_cuts and cuts[k] <= start:
            k += 1
        if k == n_cuts or cuts[k] >= end:
            out.append(Token(m.group(), start, end))
            continue
        prev = start
        while k < n_cuts and cuts[k] < end:
            if cuts[k] > prev:
                out.append(Token(text[prev:cuts[k]], prev, cuts[k]))
                prev = cuts[k]
            k += 1
        out.append(Token(text[prev:end], prev, end))
    return out


_LEAD = "([{\"'«“„‘<"
_TRAIL = ")]}\"'»”’.,;:!?>"
_SHAPE_TABLE = str.maketrans(
    {**{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"},
     **{c: "x" for c in "abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя"},
     **{c: "d" for c in "0123456789"}, "–": "-", "—": "-", "’": "'", "“": '"', "”": '"',
     "«": '"', "»": '"'})
_COLLAPSE = re.compile(r"(x)x+|(X)X+|(d)d{3,}")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_INITIAL = re.compile(r"^(?:[A-ZА-ЯЁ][a-zа-яё]{0,3}\.-?){1,3}$")
_CYR = re.compile(r"[А-Яа-яЁё]")
_YEAR = re.compile(r"^[(\[]?(1[5-9]\d\d|20[0-4]\d)[a-z]?[)\].,;:]*$")
_RANGE = re.compile(r"\d+\s*[-–—]+\s*\d+")


def _shape(word: str) -> str:
    return _COLLAPSE.sub(lambda m: (m.group(1) or m.group(2) or m.group(3)) * 2,
                         word.translate(_SHAPE_TABLE))[:12]


class _Word:
    """Features of a token that depend on its text alone (cached: words repeat a lot)."""

    __slots__ = ("feats", "lw", "shape", "end", "initial", "year", "quote_marks", "as_prev",
                 "as_next", "as_prev2", "as_next2", "slash", "is_in", "stop")

    def __init__(self, w: str, lexicon: dict[str, str],
                 known: frozenset[str] | None = None) -> None:
        core = w.strip(_LEAD).rstrip(_TRAIL).strip(_LEAD)
        lw = core.lower()
        shape = _shape(w)
        end = w[-1] if w[-1] in _TRAIL else "_"
        beg = w[0] if w[0] in _LEAD else "_"
        f = ["b", "w=" + lw[:20], "s=" + shape, "e=" + end, "g=" + beg, "p3=" + lw[:3],
             "x3=" + lw[-3:]]
        cls = lexicon.get(lw)
        if cls is not None:
            f.append("lex=" + cls)
        if core and core[0].isupper():
            f.append("cap")
        if core.isupper() and len(core) > 1:
            f.append("caps")
        if _CYR.search(core):
            f.append("cyr")
        self.initial = bool(_INITIAL.match(core + ("." if w.endswith(".") else "")))
        if self.initial:
            f.append("init")
        self.year = bool(_YEAR.match(w))
        if self.year:
            f.append("year")
        elif lw.isdigit():
            f.append("num" + str(min(len(lw), 4)))
        if _RANGE.search(w):
            f.append("range")
        if _ROMAN.match(lw):
            f.append("roman")
        if "http" in lw or "www." in lw:
            f.append("url")
        if lw.startswith("10.") and "/" in lw:
            f.append("doi")
        self.feats = f
        self.lw = lw[:20]
        self.shape = shape
        self.end = end
        self.quote_marks = any(ch in _MARKS for ch in w)
        # what the word does to the state of the words after it (see features)
        self.slash = w == "//"
        self.is_in = self.lw in ("in", "в")
        self.stop = w.endswith((".", ":", "//")) and not self.initial
        # how this word appears in its neighbours' feature lists
        self.as_prev = ["-1w=" + self.lw, "-1s=" + shape, "-1e=" + end]
        self.as_next = ["+1w=" + self.lw, "+1s=" + shape, "+1e=" + end]
        self.as_prev2 = ["-2w=" + self.lw]
        self.as_next2 = ["+2w=" + self.lw]
        if known is not None:
            # features the model never saw change nothing; leaving them out saves the tagger
            # from looking them up (a quarter of its time)
            self.feats = [x for x in f if x in known]
            self.as_prev = [x for x in self.as_prev if x in known]
            self.as_next = [x for x in self.as_next if x in known]
            self.as_prev2 = [x for x in self.as_prev2 if x in known]
            self.as_next2 = [x for x in self.as_next2 if x in known]


_POS = [f"pos={k}" for k in range(11)]
_STATE_NAMES = ("inq", "inp", "inb", "afteryear", "afterslash", "afterin", "afterstop")
_STATE: dict[tuple[int | bool, ...], list[str]] = {}
_MARKS = frozenset("“«„”»\"()[]")
_CACHE: dict[str, _Word] = {}
_CACHE_OWNER: list[tuple[int, int]] = [(0, 0)]


def _word(w: str, lexicon: dict[str, str], known: frozenset[str] | None) -> _Word:
    owner = (id(lexicon), id(known))
    if _CACHE_OWNER[0] != owner:
        _CACHE.clear()
        _CACHE_OWNER[0] = owner
    found = _CACHE.get(w)
    if found is None:
        if len(_CACHE) > 200_000:
            _CACHE.clear()
        found = _CACHE[w] = _Word(w, lexicon, known)
    return found


def features(tokens: list[Token], lexicon: dict[str, str],
             known: frozenset[str] | None = None) -> list[list[str]]:
    """The feature strings of every token (one list per token), for the CRF.

    ``lexicon`` maps a lower-cased word (punctuation stripped) to a class name such as
    ``month``, ``place``, ``pub``, ``journal``, ``editor``, ``vol`` (see ``data/parse.json``).
    With ``known`` (the model's attributes), word features the model never saw are left out.
    """
    n = len(tokens)
    if not n:
        return []
    words = [_word(t.text, lexicon, known) for t in tokens]
    # the neighbours' features, shifted so that token i finds them at index i
    prev1 = [_BOS] + [w.as_prev for w in words[:-1]]
    prev2 = [_NONE, _NONE] + [w.as_prev2 for w in words[:-2]]
    next1 = [w.as_next for w in words[1:]] + [_EOS]
    next2 = [w.as_next2 for w in words[2:]] + [_NONE, _NONE]
    in_quote = in_paren = in_bracket = False
    seen_year = seen_slash = seen_in = False
    prev_stop = True
    out: list[list[str]] = []
    append = out.append
    states = _STATE
    for i, wd in enumerate(words):
        state = (10 * i // n, in_quote, in_paren, in_bracket, seen_year, seen_slash, seen_in,
                 prev_stop)
        extra = states.get(state)
        if extra is None:
            extra = states[state] = [_POS[state[0]]] + [
                name for name, on in zip(_STATE_NAMES, state[1:]) if on]
        append(wd.feats + extra + prev1[i] + prev2[i] + next1[i] + next2[i])
        # state for the next token
        if wd.quote_marks:
            for ch in tokens[i].text:
                if ch in "“«„":
                    in_quote = True
                elif ch in "”»":
                    in_quote = False
                elif ch == '"':
                    in_quote = not in_quote
                elif ch == "(":
                    in_paren = True
                elif ch == ")":
                    in_paren = False
                elif ch == "[":
                    in_bracket = True
                elif ch == "]":
                    in_bracket = False
        if wd.year:
            seen_year = True
        if wd.slash:
            seen_slash = True
        if wd.is_in:
            seen_in = True
        prev_stop = wd.stop
    return out


_BOS = ["BOS"]
_EOS = ["EOS"]
_NONE: list[str] = []
