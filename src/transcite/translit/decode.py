"""Spelling out a romanised word the lexicon does not know: a beam search over Cyrillic spellings.

Each Latin spelling unit may stand for some Cyrillic letters (the inverse of the channel model);
candidate spellings are ranked by their channel cost and a letter trigram model of Russian words,
and those the morphology dictionary (pymorphy3) knows are preferred.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from .channel import channel
from .lexicon import lexicon, morphology

__all__ = ["Spelling", "spell_out"]

_BEAM = 12
_UNIT_BITS = 8.0  # one unit of channel cost weighs as much as 8 bits of the letter model
_SOFT = "ь"
_CONSONANTS = set("бвгджзклмнпрстфхцчшщ")


@dataclass(frozen=True, slots=True)
class Spelling:
    """One Cyrillic spelling of a Latin word: the word, its cost in bits, whether it is known."""

    cyrillic: str
    bits: float
    channel: float
    known: bool


@cache
def _inverse() -> tuple[dict[str, list[tuple[str, float]]], int]:
    ch = channel()
    inv: dict[str, list[tuple[str, float]]] = {}
    for table in (ch.one, ch.two):
        for cyr, spellings in table.items():
            for lat, cost in spellings.items():
                if lat:
                    inv.setdefault(lat, []).append((cyr, cost))
    longest = max(len(k) for k in inv)
    return inv, longest


@lru_cache(maxsize=20000)
def spell_out(latin: str, n: int = 5) -> tuple[Spelling, ...]:
    """The *n* best Cyrillic spellings of a folded Latin word, best first."""
    inv, longest = _inverse()
    lex = lexicon()
    m = len(latin)
    # beams[p]: (bits, channel cost, cyrillic) for spellings of latin[:p]
    beams: list[list[tuple[float, float, str]]] = [[] for _ in range(m + 1)]
    beams[0] = [(0.0, 0.0, "")]
    for p in range(m):
        here = sorted(beams[p])[:_BEAM]
        if not here:
            continue
        units = [(latin[p:p + k], inv[latin[p:p + k]]) for k in range(1, longest + 1)
                 if p + k <= m and latin[p:p + k] in inv]
        for bits, cost, cyr in here:
            options = units
            if not options:  # a character no scheme uses: skip it at a price
                beams[p + 1].append((bits + 2 * _UNIT_BITS, cost + 1.0, cyr))
                continue
            for lat, targets in options:
                for unit, c in targets:
                    word = cyr
                    b = bits + c * _UNIT_BITS
                    for letter in unit:
                        b += lex.char_cost(("^^" + word)[-2:] + letter)
                        word += letter
                    beams[p + len(lat)].append((b, cost + c, word))
                    if unit[-1] in _CONSONANTS and p + len(lat) < m:
                        soft = word + _SOFT
                        beams[p + len(lat)].append(
                            (b + 0.4 * _UNIT_BITS + lex.char_cost(("^^" + word)[-2:] + _SOFT),
                             cost + 0.4, soft))
    finals = []
    for bits, cost, cyr in beams[m]:
        finals.append((bits + lex.char_cost(("^^" + cyr)[-2:] + "$"), cost, cyr))
    finals.sort()
    seen: set[str] = set()
    out: list[Spelling] = []
    morph = morphology()
    for bits, cost, cyr in finals:
        if cyr in seen or not cyr:
            continue
        seen.add(cyr)
        out.append(Spelling(cyr, bits, cost, bool(morph.word_is_known(cyr))))
        if len(out) >= max(n, 12):
            break
    out.sort(key=lambda s: (not s.known, s.bits))
    return tuple(out[:n])
