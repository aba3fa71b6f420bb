"""Context that breaks ties between close readings of a word.

Two kinds of evidence, both weighed in ``grammar.json``:

* the document's habits: an informal spelling (``ь`` written ``y`` in ``postroity``) seen in
  words read with confidence elsewhere in the same text makes that spelling cheap for the
  doubtful words too (``tsely`` -> ``цель``);
* grammar, from pymorphy3's tags: a preposition governs cases (``v izmenenii`` -> ``в
  изменении``), an adjective agrees with the noun after it (``sovmestnykh usheniy`` ->
  ``совместных учений``), and a full adjective agreeing with neither neighbour is unlikely.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ..resources import DataError, data_path
from .channel import channel
from .guess import Candidate, scoring
from .lexicon import morphology
from .scheme import read_json

__all__ = ["Habits", "Tag", "context_bonus", "grammar", "habits_of", "tags"]

_DECLINABLE = {"NOUN", "ADJF", "PRTF", "NPRO", "NUMR"}
_ADJECTIVAL = {"ADJF", "PRTF"}
_CASE = {"gen2": "gent", "loc2": "loct", "acc2": "accs", "gen1": "gent", "loc1": "loct"}


@dataclass(frozen=True, slots=True)
class Tag:
    """The parts of a pymorphy3 tag that context needs."""

    pos: str
    case: str | None
    number: str | None
    gender: str | None


@cache
def grammar() -> dict[str, Any]:
    """The validated ``grammar.json``."""
    path = data_path("translit/grammar.json")
    data = read_json(path)
    preps, weights = data.get("prepositions"), data.get("weights")
    if not isinstance(preps, dict) or not all(isinstance(v, list) for v in preps.values()):
        raise DataError(f"{path}: 'prepositions' must map words to lists of cases")
    needed = ("preposition", "agreement", "dangling_adjective", "habit", "gap")
    if not isinstance(weights, dict) or any(k not in weights for k in needed):
        raise DataError(f"{path}: 'weights' needs {', '.join(needed)}")
    endings = data.get("adjective_endings")
    if not isinstance(endings, list):
        raise DataError(f"{path}: 'adjective_endings' must be a list")
    return {"prepositions": {k: frozenset(_CASE.get(c, c) for c in v) for k, v in preps.items()},
            "weights": weights, "endings": tuple(endings)}


@lru_cache(maxsize=50_000)
def tags(word: str) -> tuple[Tag, ...]:
    """The grammatical readings the morphology dictionary has for a lower-case Cyrillic word
    (straight from the dictionary: words it does not know have none)."""
    morph = morphology()
    dictionary = morph.dictionary
    found = dictionary.words.get(word)
    if not found:
        found = [item for _, items in dictionary.words.similar_items(word, morph.char_substitutes)
                 for item in items]
    out = []
    for para_id, index in found or ():
        t = dictionary.build_tag_info(para_id, index)
        case = _CASE.get(t.case, t.case) if t.case else None
        out.append(Tag(str(t.POS), case, t.number, t.gender))
    return tuple(dict.fromkeys(out))


def _agree(a: Tag, b: Tag) -> bool:
    return a.case == b.case and a.number == b.number and (
        a.number == "plur" or a.gender is None or b.gender is None or a.gender == b.gender)


def _grammar_bonus(word: str, prev: str | None, nxt: str | None) -> float:
    table = grammar()
    weights, endings = table["weights"], table["endings"]
    governed = table["prepositions"].get(prev) if prev else None
    prev_adjective = prev is not None and governed is None and prev.endswith(endings)
    if governed is None and not prev_adjective and not word.endswith(endings):
        return 0.0
    mine = [t for t in tags(word) if t.pos in _DECLINABLE]
    if not mine:
        return 0.0
    bonus = 0.0
    if governed is not None:
        ok = any(t.case in governed for t in mine)
        bonus += weights["preposition"] if ok else -weights["preposition"]
    elif prev and prev_adjective:
        before = [t for t in tags(prev) if t.pos in _ADJECTIVAL]
        if before and len(before) == len(tags(prev)):
            ok = any(_agree(a, b) for a in before for b in mine)
            bonus += weights["agreement"] if ok else -weights["agreement"] / 2
    if nxt and word.endswith(endings) and all(t.pos in _ADJECTIVAL for t in mine):
        after = [t for t in tags(nxt) if t.pos in _DECLINABLE]
        if after and not any(_agree(a, b) for a in mine for b in after):
            before_ok = prev and any(_agree(a, b) for a in tags(prev) for b in mine
                                     if a.pos in _DECLINABLE)
            if not before_ok:
                bonus -= weights["dangling_adjective"]
    return bonus


Habits = Counter[tuple[str, str]]


def habits_of(pairs: Iterable[tuple[tuple[str, str], ...]]) -> Habits:
    """Count the informal spellings (those with a cost) in the given alignments."""
    ch = channel()
    out: Habits = Counter()
    for aligned in pairs:
        for cyr, lat in aligned:
            table = ch.one.get(cyr) if len(cyr) == 1 else ch.two.get(cyr)
            if table and table.get(lat, 0.0) > 0:
                out[(cyr, lat)] += 1
    return out


def _habit_refund(pairs: tuple[tuple[str, str], ...], habits: Habits) -> float:
    if not habits:
        return 0.0
    ch = channel()
    weight = grammar()["weights"]["habit"] * scoring()["cost_weight"]
    refund = 0.0
    for cyr, lat in pairs:
        seen = habits.get((cyr, lat), 0)
        if seen:
            table = ch.one.get(cyr) if len(cyr) == 1 else ch.two.get(cyr)
            refund += weight * (table or {}).get(lat, 0.0) * min(1.0, seen / 2)
    return refund


def context_bonus(candidate: Candidate, latin: str, prev: str | None, nxt: str | None,
                  habits: Habits) -> float:
    """How much the neighbours and the document's habits favour this reading."""
    bonus = _grammar_bonus(candidate.cyrillic, prev, nxt)
    if habits and candidate.cost > 0:
        bonus += _habit_refund(candidate.traced(latin), habits)
    return bonus
