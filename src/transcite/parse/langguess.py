"""Telling romanised Russian (``Kinetika sistemy reaktorov``) from English in Latin text.

A small, transparent score: Russian function words and typical romanised endings and letter
clusters count for Russian, English function and frequent words count against. It only has to
decide between the two languages a Russian journal's ``References`` list mixes.
"""

from __future__ import annotations

import re
from functools import cache

from .lexicon import tables

__all__ = ["romanised_score", "looks_romanised"]

_WORD = re.compile(r"[A-Za-z’']+")
_STRONG = ("zh", "kh", "shch", "yy", "iy", "yj", "ij", "yh")


@cache
def _lists() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    t = tables()["romanised_russian"]
    return frozenset(t["ru_words"]), frozenset(t["en_words"]), tuple(t["endings"])


def romanised_score(text: str) -> float:
    """Score in [-1, 1]: above 0 leans to romanised Russian, below 0 to English.

    >>> romanised_score("Kinetika sistemy svyazannykh impul’snykh reaktorov") > 0.3
    True
    >>> romanised_score("Kinetics of the system of coupled pulsed reactors") < 0
    True
    """
    ru_words, en_words, endings = _lists()
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0.0
    score = 0.0
    for w in words:
        if w in en_words:
            score -= 1.0
        elif w in ru_words:
            score += 1.0
        else:
            hit = 0.0
            if len(w) > 3 and w.endswith(endings):
                hit += 0.5
            if any(c in w for c in _STRONG):
                hit += 0.5
            if len(w) > 3 and not hit and w.endswith(("tion", "ing", "ment", "ness", "ity", "ies",
                                                       "ed", "al", "ics", "ous", "ble")):
                hit -= 0.7
            score += hit
    return max(-1.0, min(1.0, score / len(words)))


def looks_romanised(text: str, threshold: float = 0.2) -> bool:
    """True when ``text`` reads as romanised Russian rather than English."""
    return romanised_score(text) > threshold
