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
from dataclasses import dataclass

__all__ = ["Token", "features", "tokenize"]


@dataclass(frozen=True, slots=True)
class Token:
    """A token: its text and its ``[start, end)`` offsets in the string it came from."""

    text: str
    start: int
    end: int


_SPACE_RUN = re.compile(r"\S+")
# Split points inside a run of non-space characters (zero-width).
_SPLIT = re.compile(
    r"(?<=\d[;:])(?=[\dА-ЯA-Z(])"        # 2005;61  61(3):327
    r"|(?<=\d\),)(?=\d)"                 # 61(3),327
    r"|(?<=[^\s\[(])(?=\[[^\]\s])"       # reaktorov.[Kinetics
    r"|(?<=\]\.)(?=\w)"                  # ].Atomnaya
    r"|(?<=[a-zа-яё]{2}\.)(?=[A-ZА-ЯЁ][a-zа-яё])"  # al.Experimental  vector.Rosenergo
    r"|(?<=^//)(?=\S)"                   # //Теплоэнергетика
    r"|(?<=^[–—])(?=\S)"                 # –М.:  –2011.
    r"|(?<=^-)(?=[А-ЯЁA-Z№])"            # -С.46-51.  -№5.
)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with offsets.

    >>> [t.text for t in tokenize("Атом. энергия. 2002;92(6):477-485. //Теплоэнергетика –М.:")]
    ['Атом.', 'энергия.', '2002;', '92(6):', '477-485.', '//', 'Теплоэнергетика', '–', 'М.:']
    """
    out: list[Token] = []
    for m in _SPACE_RUN.finditer(text):
        word, base = m.group(), m.start()
        cuts = [c.start() for c in _SPLIT.finditer(word) if 0 < c.start() < len(word)]
        if not cuts:
            out.append(Token(word, base, m.end()))
            continue
        prev = 0
        for c in [*cuts, len(word)]:
            if c > prev:
                out.append(Token(word[prev:c], base + prev, base + c))
            prev = c
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


def _lexclass(core: str, lexicon: dict[str, str]) -> str | None:
    return lexicon.get(core)


def features(tokens: list[Token], lexicon: dict[str, str]) -> list[list[str]]:
    """The feature strings of every token (one list per token), for the CRF.

    ``lexicon`` maps a lower-cased word (punctuation stripped) to a class name such as
    ``month``, ``place``, ``pub``, ``journal``, ``editor``, ``vol`` (see ``data/parse.json``).
    """
    n = len(tokens)
    base: list[list[str]] = []
    words: list[str] = []
    shapes: list[str] = []
    ends: list[str] = []
    in_quote = in_paren = in_bracket = False
    seen_year = seen_slash = seen_in = False
    prev_stop = True
    for i, tok in enumerate(tokens):
        w = tok.text
        core = w.strip(_LEAD).rstrip(_TRAIL).strip(_LEAD)
        lw = core.lower()
        shape = _shape(w)
        end = w[-1] if w[-1] in _TRAIL else "_"
        beg = w[0] if w[0] in _LEAD else "_"
        f = [
            "b",
            "w=" + lw[:20],
            "s=" + shape,
            "e=" + end,
            "g=" + beg,
            "p3=" + lw[:3],
            "x3=" + lw[-3:],
            "pos=" + str(10 * i // n),
        ]
        cls = _lexclass(lw, lexicon)
        if cls is not None:
            f.append("lex=" + cls)
        if core and core[0].isupper():
            f.append("cap")
        if core.isupper() and len(core) > 1:
            f.append("caps")
        if _CYR.search(core):
            f.append("cyr")
        if _INITIAL.match(core + ("." if w.endswith(".") else "")):
            f.append("init")
        if _YEAR.match(w):
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
        if in_quote:
            f.append("inq")
        if in_paren:
            f.append("inp")
        if in_bracket:
            f.append("inb")
        if seen_year:
            f.append("afteryear")
        if seen_slash:
            f.append("afterslash")
        if seen_in:
            f.append("afterin")
        if prev_stop:
            f.append("afterstop")
        # state for the next token
        for ch in w:
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
        if "year" in f:
            seen_year = True
        if w == "//":
            seen_slash = True
        if lw in ("in", "в"):
            seen_in = True
        prev_stop = w.endswith((".", ":", "//")) and "init" not in f
        base.append(f)
        words.append(lw[:20])
        shapes.append(shape)
        ends.append(end)
    out: list[list[str]] = []
    for i, f in enumerate(base):
        g = list(f)
        if i > 0:
            g += ["-1w=" + words[i - 1], "-1s=" + shapes[i - 1], "-1e=" + ends[i - 1]]
        else:
            g.append("BOS")
        if i > 1:
            g.append("-2w=" + words[i - 2])
        if i + 1 < n:
            g += ["+1w=" + words[i + 1], "+1s=" + shapes[i + 1], "+1e=" + ends[i + 1]]
        else:
            g.append("EOS")
        if i + 2 < n:
            g.append("+2w=" + words[i + 2])
        out.append(g)
    return out
