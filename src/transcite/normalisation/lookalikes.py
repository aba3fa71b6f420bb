"""Words that mix Latin and Cyrillic look-alike letters ("Pоссия" with a Latin P), found and
fixed: used by the typography step of normalisation and reported by ``transcite check``."""

from __future__ import annotations

import re
from functools import cache

from ..model import is_cyrillic
from ..resources import load_data

__all__ = ["CYRILLIC_LETTER", "LATIN", "WORD", "homoglyphs", "lookalike_words", "scripts",
           "suggest"]


@cache
def homoglyphs() -> tuple[dict[str, str], dict[str, str]]:
    """The look-alike letters: Latin -> Cyrillic and Cyrillic -> Latin (data/homoglyphs.json)."""
    table: dict[str, str] = load_data("homoglyphs.json")["latin_to_cyrillic"]
    return table, {v: k for k, v in table.items()}


WORD = re.compile(r"[^\W\d_]+")
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
CYRILLIC_LETTER = re.compile(r"[\u0400-\u04FF\u0500-\u052F]")   # as model.is_cyrillic


def scripts(word: str) -> tuple[int, int]:
    """How many Latin and how many Cyrillic letters ``word`` has."""
    return len(LATIN.findall(word)), len(CYRILLIC_LETTER.findall(word))


def suggest(word: str, to_cyrillic: bool) -> str | None:
    """``word`` written wholly in Cyrillic (or Latin) by its look-alike letters; None when a
    letter has no look-alike."""
    to_cyr, to_lat = homoglyphs()
    table = to_cyr if to_cyrillic else to_lat
    out = []
    for ch in word:
        wrong = bool(LATIN.match(ch)) if to_cyrillic else is_cyrillic(ch)
        if wrong:
            if ch not in table:
                return None
            out.append(table[ch])
        else:
            out.append(ch)
    return "".join(out)


def lookalike_words(text: str) -> list[tuple[str, str | None, bool]]:
    """(word, suggested fix or None, lone) for each word mixing Latin and Cyrillic letters.

    The fix writes the word in the script of most of its letters (ties: the script of most of
    the text), or in the other one when only that is possible ("ХХI" with Cyrillic Х is the
    Roman "XXI"). A lone Latin letter that looks Cyrillic between Cyrillic words ("c" in
    "статья c примерами", "M.: Наука", "T. 48") is reported too, with ``lone`` True; the Roman
    numeral X and units after a number ("600 °C", "573 K") are not.
    """
    if not LATIN.search(text) or not CYRILLIC_LETTER.search(text):
        return []   # every finding needs letters of both scripts
    matches = list(WORD.finditer(text))
    words = [m.group(0) for m in matches]
    lat_total = sum(scripts(w)[0] for w in words)
    cyr_total = sum(scripts(w)[1] for w in words)
    found: list[tuple[str, str | None, bool]] = []
    for i, word in enumerate(words):
        latin, cyrillic = scripts(word)
        if latin and cyrillic:
            to_cyrillic = cyrillic > latin or (cyrillic == latin and cyr_total >= lat_total)
            fix = suggest(word, to_cyrillic) or suggest(word, not to_cyrillic)
            found.append((word, fix, False))
        elif latin and len(word) == 1 and word in homoglyphs()[0] and 0 < i < len(words) - 1:
            before, after = scripts(words[i - 1]), scripts(words[i + 1])
            if not (before[1] and not before[0] and after[1] and not after[0]):
                continue
            if word == "X" or (word in "CKF" and re.search(r"(?:\d|°)\s*$",
                                                         text[:matches[i].start()])):
                continue
            found.append((word, homoglyphs()[0][word], True))
    return found
