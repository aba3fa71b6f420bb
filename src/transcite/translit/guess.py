"""Guessing the Cyrillic behind one romanised word.

Candidates come from the lexicon by key (every scheme's spelling of a word shares its key), then,
when none fits well, from keys one slip away (a dropped, added, swapped or confused sound), and
last from spelling the word out letter by letter (:mod:`.decode`). Each candidate is aligned with
the Latin word (:mod:`.channel`) and scored by its frequency less its spelling cost.
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache
from typing import Any, NamedTuple

from ..resources import DataError, data_path
from .channel import align
from .decode import spell_out
from .keys import key, latin_tables
from .lexicon import lexicon
from .scheme import read_json

__all__ = ["Analysis", "Candidate", "analyse", "scoring"]

_CONFUSABLE = ("SQWZszC", "kgHC", "HQ", "IZ", "dt", "bp", "vf", "aoeuI")


class Candidate(NamedTuple):
    """A Cyrillic reading of a Latin word (lower case) with the evidence for it."""

    cyrillic: str
    zipf: float
    cost: float
    typos: int
    source: str  # "lexicon", "slip" (a key one slip away), "spelled" (letter by letter)
    known: bool
    score: float
    pairs: tuple[tuple[str, str], ...] = ()

    def traced(self, latin: str) -> tuple[tuple[str, str], ...]:
        """Which Latin spelling stands for which Cyrillic letters (computed when needed)."""
        if self.pairs or self.source == "spelled":
            return self.pairs
        return _traced(latin, self.cyrillic, self.cost)


@lru_cache(maxsize=50_000)
def _traced(latin: str, cyrillic: str, cost: float) -> tuple[tuple[str, str], ...]:
    found = align(latin, cyrillic, typos=True, limit=max(4.0, cost + 1))
    return found.pairs if found else ()


class Analysis(NamedTuple):
    """All readings of one folded Latin word, best first, and its English frequency."""

    latin: str
    candidates: tuple[Candidate, ...]
    english: float
    sureness: float = 0.0

    @property
    def best(self) -> Candidate | None:
        """The best reading, if any."""
        return self.candidates[0] if self.candidates else None

    def confidence(self) -> float:
        """How sure the best reading is (0..1): its share of the evidence, lowered for slips
        and for spelled-out words."""
        return self.sureness


def _sureness(candidates: tuple[Candidate, ...]) -> float:
    if not candidates:
        return 0.0
    best = candidates[0]
    total = sum(10 ** (c.score - best.score) for c in candidates)
    quality = math.exp(-0.5 * best.cost)
    if best.source == "spelled":
        quality *= 0.6 if best.known else 0.4
    elif best.source == "slip":
        quality *= 0.8
    return round(max(0.0, min(1.0, quality / total)), 3)


@cache
def scoring() -> dict[str, Any]:
    """The scoring weights of ``channel.json``."""
    path = data_path("translit/channel.json")
    table = read_json(path).get("scoring")
    needed = ("cost_weight", "known_zipf", "unknown_zipf", "max_candidates", "typo_search_below",
              "proper_slip")
    if not isinstance(table, dict) or any(k not in table for k in needed):
        raise DataError(f"{path}: 'scoring' needs {', '.join(needed)}")
    return table


def _score(zipf: float, cost: float) -> float:
    return zipf - float(scoring()["cost_weight"]) * cost


def _from_lexicon(latin: str, words: list[tuple[str, float]], source: str,
                  out: dict[str, Candidate], penalty: float = 0.0) -> None:
    limit = scoring()["max_candidates"]
    best = max((c.score for c in out.values()), default=-math.inf)
    for cyr, zipf in words[:limit]:
        if cyr in out or zipf - penalty < best - 2.5:
            continue
        found = None if source == "slip" else align(latin, cyr, typos=False, trace=False)
        slips = 0
        if found is None:  # a slip away from the Latin: the full alignment, without a trace
            found = align(latin, cyr, typos=True, limit=3.0, trace=False)
            slips = 1
        if found is None:
            continue
        cand = Candidate(cyr, zipf, found.cost, slips, source, True,
                         _score(zipf, found.cost) - penalty)
        out[cyr] = cand
        best = max(best, cand.score)


@cache
def _key_alphabet() -> str:
    units = latin_tables()[2]
    letters = set("abdefgklmnoprstuvz") | {v for v in units.values() if v}
    return "".join(sorted(letters))


def _norm(k: str) -> str:
    k = re.sub("I{2,}", "I", k)
    return re.sub(r"(?:(?<=^)|(?<=[aeou]))I(?=e)", "", k)


def _slips(k: str) -> set[str]:
    """Keys one slip away from *k* that may exist: a slip at position i keeps the start k[:i]
    and the end after it, so only positions where both are found in the lexicon are tried."""
    out: set[str] = set()
    n = len(k)
    lex = lexicon()
    first = lex.longest_prefix(k)  # a slip at i needs k[:i] to start some key: i <= first
    last = n - lex.longest_suffix(k)  # ... and k[i + 1:] to end one: i >= last - 1
    lo, hi = max(0, last - 2), min(n, first + 1)
    for i in range(lo, min(n, hi)):
        out.add(k[:i] + k[i + 1:])
        if i + 1 < n:
            out.add(k[:i] + k[i + 1] + k[i] + k[i + 2:])
        for group in _CONFUSABLE:
            if k[i] in group:
                out.update(k[:i] + s + k[i + 1:] for s in group if s != k[i])
    for i in range(lo, hi + 1):
        out.update(k[:i] + s + k[i:] for s in _key_alphabet())
    out.discard(k)
    return {_norm(v) if "II" in v or "Ie" in v else v for v in out if v}


@cache
def _compound_table() -> tuple[float, int, tuple[tuple[str, str], ...]]:
    """(penalty, shortest second part, (prefix key, prefix)) from ``compounds.json``."""
    from .keys import cyrillic_keys

    path = data_path("translit/compounds.json")
    data = read_json(path)
    prefixes, penalty, rest = data.get("prefixes"), data.get("penalty"), data.get("min_rest")
    if not isinstance(prefixes, list) or not isinstance(penalty, (int, float)) \
            or not isinstance(rest, int):
        raise DataError(f"{path}: needs 'prefixes' (list), 'penalty' and 'min_rest'")
    pairs = {(k, p) for p in prefixes for k in cyrillic_keys(p)}
    return float(penalty), rest, tuple(sorted(pairs, key=lambda kp: -len(kp[0])))


def _add_compounds(latin: str, k: str, found: dict[str, Candidate]) -> None:
    """Readings as a known first part (тепло-, супер-) plus a word of the lexicon."""
    penalty, min_rest, table = _compound_table()
    lex = lexicon()
    for pk, prefix in table:
        if len(k) - len(pk) < min_rest or not k.startswith(pk):
            continue
        for rest, zipf in lex.candidates(k[len(pk):])[:3]:
            word = prefix + rest
            if word in found:
                continue
            aligned = align(latin, word, typos=False, trace=False) \
                or align(latin, word, typos=True, limit=2.0, trace=False)
            if aligned is not None:
                found[word] = Candidate(word, zipf - penalty, aligned.cost, 0, "lexicon", True,
                                        _score(zipf - penalty, aligned.cost))


def _add_spelled(latin: str, found: dict[str, Candidate], exact_only: bool = True) -> bool:
    """Add the word's spelled-out readings. True when the best is spelled exactly (by some
    scheme) and, with *exact_only*, is a known word: then no slip needs looking for."""
    lex = lexicon()
    weights = scoring()
    spelled = spell_out(latin)
    top_bits = min((s.bits for s in spelled), default=0.0)
    for s in spelled:
        zipf = max(lex.zipf(s.cyrillic), weights["known_zipf"]) if s.known \
            else weights["unknown_zipf"]
        score = _score(zipf, s.channel) - 0.05 * (s.bits - top_bits)
        if s.cyrillic in found and found[s.cyrillic].score >= score:
            continue
        listed = lex.zipf(s.cyrillic)  # a word of the lexicon reached by spelling it out
        found[s.cyrillic] = Candidate(s.cyrillic, listed or zipf, s.channel, 0,
                                      "lexicon" if listed else "spelled", s.known, score)
    return bool(spelled) and spelled[0].channel == 0 and (spelled[0].known or not exact_only)


@lru_cache(maxsize=200_000)
def analyse(latin: str, proper: bool = False) -> Analysis:
    """Readings of a folded Latin word (see the module docs).

    ``proper`` (a capitalised word that may be a name) makes corrections of slips dearer, so a
    rare surname is spelled out rather than turned into a common word one letter away.
    """
    lex = lexicon()
    k = key(latin)
    found: dict[str, Candidate] = {}
    _from_lexicon(latin, lex.candidates(k), "lexicon", found)
    weights = scoring()
    searching = len(k) >= 3 and (not found or min(c.cost for c in found.values())
                                 >= weights["typo_search_below"])
    spelled = False
    if searching:
        _add_compounds(latin, k, found)
        searching = not found or min(c.cost for c in found.values()) >= 0.5
    if searching:  # the word's own spelling first: slips only if that is no known word
        spelled = True
        if _add_spelled(latin, found, exact_only=not proper):
            searching = False
    if searching:
        for variant in _slips(k):
            if lex.has_key(variant):
                _from_lexicon(latin, lex.candidates(variant), "slip", found,
                              weights["proper_slip"] if proper else 0.0)
    if not spelled and max((c.score for c in found.values()), default=-math.inf) < 1.0:
        _add_spelled(latin, found)
    ranked = sorted(found.values(), key=lambda c: -c.score)
    english = lex.english_zipf(latin) if latin.isascii() and latin.isalpha() else 0.0
    top = tuple(ranked[:6])
    return Analysis(latin, top, english, _sureness(top))
