"""Recognising the romanisation scheme of a Latin text.

The text is first rebuilt in Cyrillic (:mod:`.backtranslit`); each confidently rebuilt word is
then romanised by every scheme, and a scheme *explains* the word when its output equals the
word as written (case and typographic apostrophes aside). Words that every scheme or no scheme
explains say nothing about the scheme; the others vote. A scheme's score is the share of
informative words it explains; when no scheme explains nearly all of them but two or three do
together, the text is a mix.
"""

from __future__ import annotations

import math
import unicodedata

from .backtranslit import rebuild
from .results import SchemeGuess
from .scheme import LOADED, Scheme, has_cyrillic, scheme_index

__all__ = ["detect", "explaining"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "”": '"', "“": '"'})
_MIN_CONFIDENCE = 0.5
_ALONE = 0.9  # a scheme explaining this share of the informative words is the scheme
_TOGETHER = 0.95


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)


def _candidates() -> list[Scheme]:
    return [getattr(LOADED, e["name"]) for e in scheme_index() if e.get("lang", "ru") == "ru"]


def explaining(latin: str, cyrillic: str, schemes: list[Scheme] | None = None) -> set[str]:
    """Names of the schemes whose romanisation of *cyrillic* is *latin* as written."""
    target = _norm(latin)
    low = cyrillic.lower()
    return {s.name for s in (schemes or _candidates()) if _norm(s.word(low)) == target}


def _cover(votes: list[tuple[set[str], float]], names: list[str]) -> tuple[str, ...]:
    """Greedy: the fewest schemes (at most 3) that together explain the voting words."""
    total = sum(w for _, w in votes)
    chosen: list[str] = []
    left = list(votes)
    while left and len(chosen) < 3:
        best = max(names, key=lambda n: (sum(w for s, w in left if n in s), -names.index(n)))
        gain = sum(w for s, w in left if best in s)
        if gain <= 0:
            break
        chosen.append(best)
        left = [(s, w) for s, w in left if best not in s]
        if sum(w for _, w in left) <= (1 - _TOGETHER) * total:
            break
    return tuple(chosen)


def detect(text: str) -> SchemeGuess:
    """Which scheme (or mix) produced the romanised *text* (see the module docs)."""
    schemes = _candidates()
    names = [s.name for s in schemes]
    votes: list[tuple[set[str], float]] = []
    for word in rebuild(text).words:
        if not word.changed or word.confidence < _MIN_CONFIDENCE or has_cyrillic(word.source) \
                or not has_cyrillic(word.text) or len(word.source) < 2:
            continue
        explained = explaining(word.source, word.text, schemes)
        if explained and len(explained) < len(names):
            votes.append((explained, word.confidence))
        elif not explained:
            votes.append((set(), word.confidence * 0.5))
    if not votes:
        return SchemeGuess(None, 0.0, {}, False, ())
    total = sum(w for _, w in votes)
    scores = {n: round(sum(w for s, w in votes if n in s) / total, 3) for n in names}
    best = max(names, key=lambda n: (scores[n], -names.index(n)))
    evidence = 1 - math.exp(-total / 2)  # few informative words: little certainty
    if scores[best] >= _ALONE:
        return SchemeGuess(best, round(scores[best] * evidence, 3), scores, False, (best,))
    mix = _cover(votes, names)
    covered = sum(w for s, w in votes if any(n in s for n in mix)) / total
    mixed = len(mix) > 1 and covered >= _TOGETHER - 0.15
    confidence = round((covered if mixed else scores[best]) * evidence, 3)
    return SchemeGuess(best if scores[best] > 0 else None, confidence, scores, mixed,
                       mix if mixed else (best,))
