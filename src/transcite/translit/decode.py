"""Spelling out a romanised word the lexicon does not know: a beam search over Cyrillic spellings.

Each Latin spelling unit may stand for some Cyrillic letters (the inverse of the channel model);
candidate spellings are ranked by their channel cost and a letter trigram model of Russian words,
and those the word list or the morphology dictionary (pymorphy3) knows are preferred.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import NamedTuple

from .channel import channel
from .lexicon import lexicon, morphology

__all__ = ["Spelling", "spell_out"]

_BEAM = 4
_UNIT_BITS = 8.0  # one unit of channel cost weighs as much as 8 bits of the letter model
_SOFT_COST = 0.15
_MARGIN = 12.0
_MAX_UNIT_COST = 1.0  # dearer spellings are slips, which the slip search finds
_UNSEEN = 16.0
_SOFTENED = frozenset("бвдзлмнпрстфчшщж")  # letters a soft sign may follow
_BEFORE_SOFT = frozenset("bcdfghjklmnpqrstvwxzeiy'")  # Latin that may come after a soft sign


class Spelling(NamedTuple):
    """One Cyrillic spelling of a Latin word: the word, its cost in bits, whether it is known."""

    cyrillic: str
    bits: float
    channel: float
    known: bool


#: (last two letters + unit) -> (letter-model bits, new last two letters, bits of adding ь)
_EXTENSIONS: dict[str, tuple[float, str, float | None]] = {}


@cache
def _inverse() -> tuple[dict[str, tuple[tuple[str, float], ...]], int]:
    ch = channel()
    inv: dict[str, list[tuple[str, float]]] = {}
    for table in (ch.one, ch.two):
        for cyr, spellings in table.items():
            for lat, cost in spellings.items():
                if lat and cost <= _MAX_UNIT_COST:
                    inv.setdefault(lat, []).append((cyr, cost * _UNIT_BITS))
    return {k: tuple(v) for k, v in inv.items()}, max(len(k) for k in inv)


@lru_cache(maxsize=20000)
def spell_out(latin: str, n: int = 5) -> tuple[Spelling, ...]:
    """The *n* best Cyrillic spellings of a folded Latin word, best first."""
    inv, longest = _inverse()
    costs = lexicon().char_costs
    get = costs.get
    m = len(latin)
    units_at = [[(k, inv[latin[p:p + k]]) for k in range(1, longest + 1)
                 if p + k <= m and latin[p:p + k] in inv] for p in range(m)]
    # beams[p]: (bits, channel bits, cyrillic, last two letters) for spellings of latin[:p]
    beams: list[list[tuple[float, float, str, str]]] = [[] for _ in range(m + 1)]
    beams[0] = [(0.0, 0.0, "", "^^")]
    soft_bits = _SOFT_COST * _UNIT_BITS
    ext = _EXTENSIONS
    floor = [float("inf")] * (m + 1)  # the best bits seen so far at each position
    for p in range(m):
        here = beams[p]
        if not here:
            continue
        if len(here) > _BEAM:
            here.sort()
            del here[_BEAM:]
        units = units_at[p]
        if not units:  # a character no scheme uses: skip it at a price
            beams[p + 1].extend((b + 2 * _UNIT_BITS, c + 2 * _UNIT_BITS, w, t)
                                for b, c, w, t in here)
            continue
        for bits, chan, word, tail in here:
            for size, targets in units:
                dest = beams[p + size]
                soft_ok = p + size < m and latin[p + size] in _BEFORE_SOFT
                for unit, cost in targets:
                    step = ext.get(tail + unit)
                    if step is None:
                        b, t = 0.0, tail
                        for letter in unit:
                            b += get(t + letter, _UNSEEN)
                            t = t[1] + letter
                        soft = (soft_bits + get(t + "ь", _UNSEEN)) if t[1] in _SOFTENED \
                            else None
                        step = ext[tail + unit] = (b, t, soft)
                    b, t, soft = step
                    b += bits + cost
                    q = p + size
                    if b > floor[q] + _MARGIN:
                        continue
                    if b < floor[q]:
                        floor[q] = b
                    w = word + unit
                    dest.append((b, chan + cost, w, t))
                    if soft_ok and soft is not None and b + soft <= floor[q] + _MARGIN:
                        dest.append((b + soft, chan + soft_bits, w + "ь", t[1] + "ь"))
    finals = sorted((b + get(t + "$", _UNSEEN), c, w) for b, c, w, t in beams[m])
    seen: set[str] = set()
    out: list[Spelling] = []
    lex = lexicon()
    words = morphology().dictionary.words  # pymorphy3's word forms (a DAWG)
    for bits, chan, cyr in finals:
        if cyr in seen or not cyr:
            continue
        seen.add(cyr)
        known = lex.zipf(cyr) > 0 or (len(out) < 3 and cyr in words)
        out.append(Spelling(cyr, bits, chan / _UNIT_BITS, known))
        if len(out) >= n + 2:
            break
    out.sort(key=lambda s: (not s.known, s.bits))
    return tuple(out[:n])
